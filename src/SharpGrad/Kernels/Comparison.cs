using System.Numerics;

namespace SharpGrad.Kernels;

// Comparisons (ICompare family, run by Dispatch.Compare in the operands' promoted dtype). IEEE
// semantics: every comparison with NaN is false except !=.

internal readonly struct EqOp : ICompare<EqOp>
{
    public static bool Invoke<T>(T a, T b) where T : INumber<T> => a == b;
}

internal readonly struct NeOp : ICompare<NeOp>
{
    public static bool Invoke<T>(T a, T b) where T : INumber<T> => a != b;
}

internal readonly struct LtOp : ICompare<LtOp>
{
    public static bool Invoke<T>(T a, T b) where T : INumber<T> => a < b;
}

internal readonly struct LeOp : ICompare<LeOp>
{
    public static bool Invoke<T>(T a, T b) where T : INumber<T> => a <= b;
}

internal readonly struct GtOp : ICompare<GtOp>
{
    public static bool Invoke<T>(T a, T b) where T : INumber<T> => a > b;
}

internal readonly struct GeOp : ICompare<GeOp>
{
    public static bool Invoke<T>(T a, T b) where T : INumber<T> => a >= b;
}

/// <summary><c>a == b || (isnan(a) &amp;&amp; isnan(b))</c>: where a reduction's result came from, NaN included.</summary>
internal readonly struct EqOrBothNaNOp : ICompare<EqOrBothNaNOp>
{
    public static bool Invoke<T>(T a, T b) where T : INumber<T> => a == b || (T.IsNaN(a) && T.IsNaN(b));
}

/// <summary><c>a == b || isnan(a)</c>: PyTorch's argmax mask in the infinity-norm gradient.</summary>
internal readonly struct EqOrLeftNaNOp : ICompare<EqOrLeftNaNOp>
{
    public static bool Invoke<T>(T a, T b) where T : INumber<T> => a == b || T.IsNaN(a);
}

/// <summary>A map of two bools to a bool: logical ops, and bitwise ops on bool tensors.</summary>
internal interface IBoolBinary<TSelf> where TSelf : IBoolBinary<TSelf>
{
    static abstract bool Invoke(bool a, bool b);
}

/// <summary>A bitwise map of two integers.</summary>
internal interface IBitwiseBinary<TSelf> where TSelf : IBitwiseBinary<TSelf>
{
    static abstract T Invoke<T>(T a, T b) where T : IBinaryInteger<T>;
}

internal readonly struct AndOp : IBoolBinary<AndOp>, IBitwiseBinary<AndOp>
{
    public static bool Invoke(bool a, bool b) => a & b;
    public static T Invoke<T>(T a, T b) where T : IBinaryInteger<T> => a & b;
}

internal readonly struct OrOp : IBoolBinary<OrOp>, IBitwiseBinary<OrOp>
{
    public static bool Invoke(bool a, bool b) => a | b;
    public static T Invoke<T>(T a, T b) where T : IBinaryInteger<T> => a | b;
}

internal readonly struct XorOp : IBoolBinary<XorOp>, IBitwiseBinary<XorOp>
{
    public static bool Invoke(bool a, bool b) => a ^ b;
    public static T Invoke<T>(T a, T b) where T : IBinaryInteger<T> => a ^ b;
}

internal readonly struct BoolBinary<TOp> : IBinaryKernel<bool, bool> where TOp : IBoolBinary<TOp>
{
    public static bool Scalar(bool a, bool b) => TOp.Invoke(a, b);
    public static void Span(ReadOnlySpan<bool> a, ReadOnlySpan<bool> b, Span<bool> d)
    {
        for (int i = 0; i < d.Length; i++) d[i] = TOp.Invoke(a[i], b[i]);
    }
    public static void SpanScalar(ReadOnlySpan<bool> a, bool b, Span<bool> d)
    {
        for (int i = 0; i < d.Length; i++) d[i] = TOp.Invoke(a[i], b);
    }
    public static void ScalarSpan(bool a, ReadOnlySpan<bool> b, Span<bool> d)
    {
        for (int i = 0; i < d.Length; i++) d[i] = TOp.Invoke(a, b[i]);
    }
}

internal readonly struct BitwiseBinary<TOp, T> : IBinaryKernel<T, T> where TOp : IBitwiseBinary<TOp> where T : IBinaryInteger<T>
{
    public static T Scalar(T a, T b) => TOp.Invoke(a, b);
    public static void Span(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d)
    {
        for (int i = 0; i < d.Length; i++) d[i] = TOp.Invoke(a[i], b[i]);
    }
    public static void SpanScalar(ReadOnlySpan<T> a, T b, Span<T> d)
    {
        for (int i = 0; i < d.Length; i++) d[i] = TOp.Invoke(a[i], b);
    }
    public static void ScalarSpan(T a, ReadOnlySpan<T> b, Span<T> d)
    {
        for (int i = 0; i < d.Length; i++) d[i] = TOp.Invoke(a, b[i]);
    }
}

internal readonly struct NotBool : IUnaryKernel<bool, bool>
{
    public static bool Scalar(bool x) => !x;
    public static void Span(ReadOnlySpan<bool> x, Span<bool> d)
    {
        for (int i = 0; i < x.Length; i++) d[i] = !x[i];
    }
}

internal readonly struct NotBits<T> : IUnaryKernel<T, T> where T : IBinaryInteger<T>
{
    public static T Scalar(T x) => ~x;
    public static void Span(ReadOnlySpan<T> x, Span<T> d)
    {
        for (int i = 0; i < x.Length; i++) d[i] = ~x[i];
    }
}
