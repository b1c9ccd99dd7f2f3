using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

using static SharpGrad.Kernels.FastMathSpans;

namespace SharpGrad.Kernels;

// Note [FastMath ops]: the exp, sigmoid and tanh operator structs (Note [Kernel families]): float spans run the
// FastMath kernels; float64 spans and single elements use TensorPrimitives / the BCL. The scalar
// member is used by the strided driver for non-contiguous elements, so for float it runs the same
// kernel on one element (ScalarFloat) and gives the same bits as the span path.

internal static class FastMathSpans
{
    /// <summary>
    /// x viewed as <typeparamref name="TTo"/>; only called when <typeparamref name="TFrom"/> is that
    /// type (generic math kernels branch on <c>typeof(T)</c> and then need the concrete span).
    /// </summary>
    public static ReadOnlySpan<TTo> As<TFrom, TTo>(ReadOnlySpan<TFrom> x) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<TFrom, TTo>(ref MemoryMarshal.GetReference(x)), x.Length);

    /// <summary>d viewed as <typeparamref name="TTo"/>; only called when <typeparamref name="TFrom"/> is that type.</summary>
    public static Span<TTo> As<TFrom, TTo>(Span<TFrom> d) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<TFrom, TTo>(ref MemoryMarshal.GetReference(d)), d.Length);

    /// <summary>x viewed as floats; only called when T is float.</summary>
    public static ReadOnlySpan<float> AsFloat<T>(ReadOnlySpan<T> x) => As<T, float>(x);

    /// <summary>d viewed as floats; only called when T is float.</summary>
    public static Span<float> AsFloat<T>(Span<T> d) => As<T, float>(d);
}

/// <summary>out = exp(x) (torch.exp), FastMath for float.</summary>
internal readonly struct ExpOp : IUnaryFloat<ExpOp>
{
    /// <summary>exp(x).</summary>
    public static T Invoke<T>(T x) where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return (T)(object)FastMath.Apply<ExpKernel, ScalarFloat, float>((float)(object)x);
        return T.Exp(x);
    }

    /// <summary>d[i] = exp(x[i]).</summary>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) FastMath.Exp(AsFloat(x), AsFloat(d));
        else TensorPrimitives.Exp(x, d);
    }
}

/// <summary>out = 1 / (1 + exp(-x)) (torch.sigmoid), FastMath for float.</summary>
internal readonly struct SigmoidOp : IUnaryFloat<SigmoidOp>
{
    /// <summary>1 / (1 + exp(-x)).</summary>
    public static T Invoke<T>(T x) where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return (T)(object)FastMath.Apply<SigmoidKernel, ScalarFloat, float>((float)(object)x);
        return T.One / (T.One + T.Exp(-x));
    }

    /// <summary>d[i] = 1 / (1 + exp(-x[i])).</summary>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) FastMath.Sigmoid(AsFloat(x), AsFloat(d));
        else if (!x.IsEmpty) TensorPrimitives.Sigmoid(x, d); // TensorPrimitives.Sigmoid throws on empty spans
    }
}

/// <summary>out = tanh(x) (torch.tanh), FastMath for float.</summary>
internal readonly struct TanhOp : IUnaryFloat<TanhOp>
{
    /// <summary>tanh(x).</summary>
    public static T Invoke<T>(T x) where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return (T)(object)FastMath.Apply<TanhKernel, ScalarFloat, float>((float)(object)x);
        return T.Tanh(x);
    }

    /// <summary>d[i] = tanh(x[i]).</summary>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) FastMath.Tanh(AsFloat(x), AsFloat(d));
        else
        {
            // TensorPrimitives.Tanh (float64) cancels badly for small |x| (millions of ulps near
            // 1e-8, and tanh(-0) = +0): Math.Tanh per element is exact enough.
            for (int i = 0; i < x.Length; i++) d[i] = T.Tanh(x[i]);
        }
    }
}
