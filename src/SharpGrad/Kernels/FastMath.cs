using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SharpGrad.Kernels;

// Note [FastMath driver]: one loop runs a kernel over a span at the widest accelerated width
// (Vector512, else Vector256, else Vector128, else ScalarFloat). Spans shorter than a vector go
// to the next narrower width. The tail is one more full vector ending at the last element: it
// overlaps elements already done and recomputes them with the same result. That vector is loaded
// before the loop writes anything, so d may be x itself (in place); d may not overlap x otherwise.
// Each vector takes the kernel's inlined fast path when IsFast holds for all its lanes, else the
// general path in an out-of-line call (rare: NaN, infinities, |x| beyond the fast range).
// Accuracy, special values and aliasing are tested at every width in FastMathTests.

/// <summary>
/// SIMD exp, sigmoid and tanh on float spans, accurate to 1-2 ulp (Note [Fast exp]): span in,
/// span out, allocation-free, and faster than TensorPrimitives' float versions.
/// </summary>
internal static class FastMath
{
    /// <summary>d[i] = exp(x[i]) (torch.exp). d may be x itself.</summary>
    public static void Exp(ReadOnlySpan<float> x, Span<float> d) => Run<ExpKernel>(x, d);

    /// <summary>d[i] = 1 / (1 + exp(-x[i])) (torch.sigmoid). d may be x itself.</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> d) => Run<SigmoidKernel>(x, d);

    /// <summary>d[i] = tanh(x[i]) (torch.tanh). d may be x itself.</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> d) => Run<TanhKernel>(x, d);

    /// <summary>d[i] = K(x[i]) at the widest accelerated width (Note [FastMath driver]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<K>(ReadOnlySpan<float> x, Span<float> d) where K : IFloatKernel
    {
        Validate(x, d);
        int n = x.Length;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count) Loop<K, Simd512, Vector512<float>>(x, d);
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count) Loop<K, Simd256, Vector256<float>>(x, d);
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count) Loop<K, Simd128, Vector128<float>>(x, d);
        else Loop<K, ScalarFloat, float>(x, d);
    }

    /// <summary>d[i] = K(x[i]) with vectors S (any width, also software-emulated ones: tests use that).</summary>
    public static void Run<K, S, TV>(ReadOnlySpan<float> x, Span<float> d)
        where K : IFloatKernel where S : ISimdFloat<TV> where TV : struct
    {
        Validate(x, d);
        if (x.Length >= S.Count) Loop<K, S, TV>(x, d);
        else Loop<K, ScalarFloat, float>(x, d);
    }

    private static void Validate(ReadOnlySpan<float> x, Span<float> d)
    {
        if (d.Length < x.Length) throw new ArgumentException("Destination is too short.", nameof(d));
        if (x.Overlaps(d, out int offset) && offset != 0)
            throw new ArgumentException("The destination must be the input itself or not overlap it.", nameof(d));
    }

    /// <summary>K(x) on every lane: the fast path when it applies, else the general one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Apply<K, S, TV>(TV x) where K : IFloatKernel where S : ISimdFloat<TV> where TV : struct =>
        K.IsFast<S, TV>(x) ? K.Fast<S, TV>(x) : K.Any<S, TV>(x);

    /// <summary>The loop; requires x.Length == 0 or x.Length >= S.Count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Loop<K, S, TV>(ReadOnlySpan<float> x, Span<float> d)
        where K : IFloatKernel where S : ISimdFloat<TV> where TV : struct
    {
        nuint n = (nuint)x.Length, width = (nuint)S.Count;
        if (n == 0) return;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ds = ref MemoryMarshal.GetReference(d);
        nuint lastStart = n - width;
        TV last = S.Load(ref xs, lastStart);
        for (nuint i = 0; i < lastStart; i += width)
        {
            TV v = S.Load(ref xs, i);
            if (K.IsFast<S, TV>(v)) S.Store(K.Fast<S, TV>(v), ref ds, i);
            else StoreAny<K, S, TV>(v, ref ds, i);
        }
        if (K.IsFast<S, TV>(last)) S.Store(K.Fast<S, TV>(last), ref ds, lastStart);
        else StoreAny<K, S, TV>(last, ref ds, lastStart);
    }

    /// <summary>The rare general path, out of line so the loop stays small (and keeps vectors in registers).</summary>
    /// <remarks>
    /// Fully optimised from the first call like <see cref="Loop"/>: left to tiered PGO, this callee
    /// (and so sigmoid and tanh of 1e6 floats) ran ~2.5x slower for whole benchmark runs (2.1 ms
    /// against 0.8 ms with <c>DOTNET_TieredPGO=0</c>).
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void StoreAny<K, S, TV>(TV v, ref float ds, nuint i)
        where K : IFloatKernel where S : ISimdFloat<TV> where TV : struct =>
        S.Store(K.Any<S, TV>(v), ref ds, i);
}
