using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;
using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad.Kernels;

// Unary floating point maps (Note [Kernel families]). Integer and bool inputs are converted to the
// default dtype before these run (Dispatch.UnaryFloat), as PyTorch does.
//
// Note [Float32 accuracy]: TensorPrimitives' float32 tanh, sigmoid, log and rsqrt are off by one
// ulp or more for a large share of inputs (tanh by thousands of ulps near 0), and MathF is off by
// an ulp on some. PyTorch's float32 results are within an ulp of correctly rounded, and tanh(x)
// feeding 1 - tanh(x)^2 turns one ulp into a visible gradient error. So for float32 these ops
// compute in double (TensorPrimitives' double paths, still vectorized) and round once: the
// result is the correctly rounded value in all but rare double-rounding cases.

internal readonly struct SqrtOp : IUnaryFloat<SqrtOp>
{
    public static T Invoke<T>(T x) where T : IFloatingPointIeee754<T> => T.Sqrt(x);
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T> => TensorPrimitives.Sqrt(x, d);
}

internal readonly struct RsqrtOp : IUnaryFloat<RsqrtOp>
{
    public static T Invoke<T>(T x) where T : IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(1 / Math.Sqrt(double.CreateTruncating(x))) : T.One / T.Sqrt(x);

    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) ViaDouble.Apply<RsqrtOp, T>(x, d);
        else TensorPrimitives.ReciprocalSqrt(x, d);
    }
}

internal readonly struct LogOp : IUnaryFloat<LogOp>
{
    public static T Invoke<T>(T x) where T : IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(Math.Log(double.CreateTruncating(x))) : T.Log(x);

    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) ViaDouble.Apply<LogOp, T>(x, d);
        else TensorPrimitives.Log(x, d);
    }
}

internal readonly struct SinOp : IUnaryFloat<SinOp>
{
    public static T Invoke<T>(T x) where T : IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(Math.Sin(double.CreateTruncating(x))) : T.Sin(x);

    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) ViaDouble.Apply<SinOp, T>(x, d);
        else TensorPrimitives.Sin(x, d);
    }
}

internal readonly struct CosOp : IUnaryFloat<CosOp>
{
    public static T Invoke<T>(T x) where T : IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(Math.Cos(double.CreateTruncating(x))) : T.Cos(x);

    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) ViaDouble.Apply<CosOp, T>(x, d);
        else TensorPrimitives.Cos(x, d);
    }
}

/// <summary>
/// log(1 + x), accurate for small x. .NET's <c>LogP1</c> computes <c>Log(x + 1)</c>, which keeps only
/// about six digits at x = 1e-10 (rounding 1 + x loses the rest); Kahan's correction restores them.
/// </summary>
internal readonly struct Log1pOp : IUnaryFloat<Log1pOp>
{
    public static T Invoke<T>(T x) where T : IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(Core(double.CreateTruncating(x))) : Core(x);

    private static T Core<T>(T x) where T : IFloatingPointIeee754<T>
    {
        T u = T.One + x;
        if (u == T.One) return x;
        if (T.IsPositiveInfinity(u)) return u;
        return T.Log(u) * (x / (u - T.One));
    }
}

/// <summary>
/// log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)), stable for any x (no overflow, no cancellation);
/// float32 computes in double and rounds once (Note [Float32 accuracy]).
/// </summary>
internal readonly struct LogSigmoidOp : IUnaryFloat<LogSigmoidOp>
{
    public static T Invoke<T>(T x) where T : IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(Core(double.CreateTruncating(x))) : Core(x);

    private static T Core<T>(T x) where T : IFloatingPointIeee754<T> =>
        T.Min(x, T.Zero) - Log1pOp.Invoke(T.Exp(-T.Abs(x)));
}

/// <summary>exp(x) - 1, accurate for small x (Kahan's correction; .NET's <c>ExpM1</c> is <c>Exp(x) - 1</c>).</summary>
internal readonly struct Expm1Op : IUnaryFloat<Expm1Op>
{
    public static T Invoke<T>(T x) where T : IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(Core(double.CreateTruncating(x))) : Core(x);

    private static T Core<T>(T x) where T : IFloatingPointIeee754<T>
    {
        T u = T.Exp(x);
        if (u == T.One) return x;
        T um1 = u - T.One;
        if (um1 == -T.One || T.IsPositiveInfinity(u)) return um1;
        return um1 * (x / T.Log(u));
    }
}

internal readonly struct FloorOp : IUnaryFloat<FloorOp>
{
    public static T Invoke<T>(T x) where T : IFloatingPointIeee754<T> => T.Floor(x);
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T> => TensorPrimitives.Floor(x, d);
}

internal readonly struct CeilOp : IUnaryFloat<CeilOp>
{
    public static T Invoke<T>(T x) where T : IFloatingPointIeee754<T> => T.Ceiling(x);
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T> => TensorPrimitives.Ceiling(x, d);
}

/// <summary>Rounds half to even, as <c>torch.round</c> does.</summary>
internal readonly struct RoundOp : IUnaryFloat<RoundOp>
{
    public static T Invoke<T>(T x) where T : IFloatingPointIeee754<T> => T.Round(x, MidpointRounding.ToEven);
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T> => TensorPrimitives.Round(x, MidpointRounding.ToEven, d);
}

/// <summary>Runs a float op's double-precision span kernel on float32 data, rounding once (Note [Float32 accuracy]).</summary>
internal static class ViaDouble
{
    private const int Chunk = 256;

    public static void Apply<TOp, T>(ReadOnlySpan<T> x, Span<T> d) where TOp : IUnaryFloat<TOp> where T : IFloatingPointIeee754<T>
    {
        Span<double> buffer = stackalloc double[Chunk];
        for (int start = 0; start < x.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, x.Length - start);
            var wide = buffer[..n];
            var source = x.Slice(start, n);
            for (int i = 0; i < n; i++) wide[i] = double.CreateTruncating(source[i]);
            TOp.Invoke<double>(wide, wide);
            var destination = d.Slice(start, n);
            for (int i = 0; i < n; i++) destination[i] = T.CreateTruncating(wide[i]);
        }
    }
}

// Unary maps on every numeric dtype.

/// <summary>relu(x) = x &lt; 0 ? 0 : x: NaN and -0 pass through unchanged, as in PyTorch.</summary>
internal readonly struct ReluOp : IUnaryNumber<ReluOp>
{
    public static T Invoke<T>(T x) where T : INumber<T> => x < T.Zero ? T.Zero : x;

    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : INumber<T>
    {
        if (typeof(T) == typeof(float)) Vectorised(FastMathSpans.As<T, float>(x), FastMathSpans.As<T, float>(d));
        else if (typeof(T) == typeof(double)) Vectorised(FastMathSpans.As<T, double>(x), FastMathSpans.As<T, double>(d));
        else if (typeof(T) == typeof(int)) Vectorised(FastMathSpans.As<T, int>(x), FastMathSpans.As<T, int>(d));
        else if (typeof(T) == typeof(long)) Vectorised(FastMathSpans.As<T, long>(x), FastMathSpans.As<T, long>(d));
        else for (int i = 0; i < x.Length; i++) d[i] = Invoke(x[i]);
    }

    /// <summary>
    /// x &amp; ~(x &lt; 0) a register at a time: the mask is all ones exactly where x &lt; 0, so NaN
    /// (which compares false) and -0 pass through bit for bit, like the scalar form.
    /// </summary>
    private static void Vectorised<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, INumber<T>
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            ref T xr = ref MemoryMarshal.GetReference(x);
            ref T dr = ref MemoryMarshal.GetReference(d);
            for (; i + Vector256<T>.Count <= x.Length; i += Vector256<T>.Count)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                Vector256.AndNot(v, Vector256.LessThan(v, Vector256<T>.Zero)).StoreUnsafe(ref dr, (nuint)i);
            }
        }
        for (; i < x.Length; i++) d[i] = Invoke(x[i]);
    }
}

/// <summary>|x|; integer minimum values wrap (stay negative) as in PyTorch rather than overflow.</summary>
internal readonly struct AbsOp : IUnaryNumber<AbsOp>
{
    public static T Invoke<T>(T x) where T : INumber<T> => x < T.Zero ? -x : T.IsNaN(x) ? x : T.Abs(x);

    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : INumber<T>
    {
        if (typeof(T) == typeof(float) || typeof(T) == typeof(double)) TensorPrimitives.Abs(x, d);
        else for (int i = 0; i < x.Length; i++) d[i] = Invoke(x[i]);
    }
}

/// <summary>sign(x) = (0 &lt; x) - (x &lt; 0): NaN and ±0 give 0, as in PyTorch.</summary>
internal readonly struct SignOp : IUnaryNumber<SignOp>
{
    public static T Invoke<T>(T x) where T : INumber<T> => x > T.Zero ? T.One : x < T.Zero ? -T.One : T.Zero;
}

internal readonly struct SquareOp : IUnaryNumber<SquareOp>
{
    public static T Invoke<T>(T x) where T : INumber<T> => x * x;
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : INumber<T> => TensorPrimitives.Multiply(x, x, d);
}

internal readonly struct CubeOp : IUnaryNumber<CubeOp>
{
    public static T Invoke<T>(T x) where T : INumber<T> => x * x * x;
}

internal readonly struct InverseSquareOp : IUnaryFloat<InverseSquareOp>
{
    public static T Invoke<T>(T x) where T : IFloatingPointIeee754<T> => T.One / (x * x);
}

// Binary maps.

/// <summary>max(a, b) propagating NaN, <c>torch.maximum</c>.</summary>
internal readonly struct MaximumOp : IBinaryNumber<MaximumOp>
{
    public static T Invoke<T>(T a, T b) where T : INumber<T> => T.Max(a, b);
    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Max(a, b, d);
    public static void Invoke<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : INumber<T> => TensorPrimitives.Max(a, b, d);
    public static void Invoke<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Max(b, a, d);
}

/// <summary>min(a, b) propagating NaN, <c>torch.minimum</c>.</summary>
internal readonly struct MinimumOp : IBinaryNumber<MinimumOp>
{
    public static T Invoke<T>(T a, T b) where T : INumber<T> => T.Min(a, b);
    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Min(a, b, d);
    public static void Invoke<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : INumber<T> => TensorPrimitives.Min(a, b, d);
    public static void Invoke<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Min(b, a, d);
}

/// <summary>
/// The one-sided clamp a &lt; lo ? lo : a (std::max semantics): a NaN input stays NaN and a NaN
/// bound leaves the input unchanged, as <c>torch.clamp_min</c> does.
/// </summary>
internal readonly struct ClampMinOp : IBinaryNumber<ClampMinOp>
{
    public static T Invoke<T>(T a, T lo) where T : INumber<T> => a < lo ? lo : a;
}

/// <summary>The one-sided clamp hi &lt; a ? hi : a, <c>torch.clamp_max</c>.</summary>
internal readonly struct ClampMaxOp : IBinaryNumber<ClampMaxOp>
{
    public static T Invoke<T>(T a, T hi) where T : INumber<T> => hi < a ? hi : a;
}

/// <summary>Floating point power, <c>std::pow</c>.</summary>
internal readonly struct PowOp : IBinaryFloat<PowOp>
{
    public static T Invoke<T>(T a, T b) where T : IFloatingPointIeee754<T> => T.Pow(a, b);
}

/// <summary>
/// Integer power by repeated squaring with wrap-around, PyTorch's <c>powi</c>: a negative exponent
/// gives 1 for base 1, ±1 for base -1 and 0 otherwise.
/// </summary>
internal readonly struct IntPowKernel<T> : IBinaryKernel<T, T> where T : IBinaryInteger<T>
{
    public static T Scalar(T a, T b)
    {
        if (T.IsNegative(b))
        {
            if (a == T.One) return T.One;
            if (a == -T.One) return T.IsEvenInteger(b) ? T.One : -T.One;
            return T.Zero;
        }
        T result = T.One;
        while (b != T.Zero)
        {
            if (!T.IsEvenInteger(b)) result *= a;
            b >>= 1;
            a *= a;
        }
        return result;
    }

    public static void Span(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d)
    {
        for (int i = 0; i < d.Length; i++) d[i] = Scalar(a[i], b[i]);
    }

    public static void SpanScalar(ReadOnlySpan<T> a, T b, Span<T> d)
    {
        for (int i = 0; i < d.Length; i++) d[i] = Scalar(a[i], b);
    }

    public static void ScalarSpan(T a, ReadOnlySpan<T> b, Span<T> d)
    {
        for (int i = 0; i < d.Length; i++) d[i] = Scalar(a, b[i]);
    }
}
