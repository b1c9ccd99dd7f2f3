using System.Numerics;

namespace SharpGrad.Kernels;

// Note [Kernel families]: an operator is a struct implementing one family interface whose members
// are generic over the element type. The drivers in Elementwise dispatch a tensor's runtime dtype
// to the matching T once, then call the struct's span members on whole innermost runs
// (Note [Strided loop]). Span members default to scalar loops; operators override them with
// TensorPrimitives (SIMD) where it covers the op. Kernels know nothing about autograd.

/// <summary>A unary map defined for every numeric dtype.</summary>
internal interface IUnaryNumber<TSelf> where TSelf : IUnaryNumber<TSelf>
{
    static abstract T Invoke<T>(T x) where T : INumber<T>;

    static virtual void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : INumber<T>
    {
        for (int i = 0; i < x.Length; i++) d[i] = TSelf.Invoke(x[i]);
    }
}

/// <summary>A unary map defined for floating point dtypes only.</summary>
internal interface IUnaryFloat<TSelf> where TSelf : IUnaryFloat<TSelf>
{
    static abstract T Invoke<T>(T x) where T : IFloatingPointIeee754<T>;

    static virtual void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++) d[i] = TSelf.Invoke(x[i]);
    }
}

/// <summary>A binary map defined for every numeric dtype.</summary>
internal interface IBinaryNumber<TSelf> where TSelf : IBinaryNumber<TSelf>
{
    static abstract T Invoke<T>(T a, T b) where T : INumber<T>;

    static virtual void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = TSelf.Invoke(a[i], b[i]);
    }

    static virtual void Invoke<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : INumber<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = TSelf.Invoke(a[i], b);
    }

    static virtual void Invoke<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = TSelf.Invoke(a, b[i]);
    }
}

/// <summary>A binary map defined for floating point dtypes only.</summary>
internal interface IBinaryFloat<TSelf> where TSelf : IBinaryFloat<TSelf>
{
    static abstract T Invoke<T>(T a, T b) where T : IFloatingPointIeee754<T>;

    static virtual void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = TSelf.Invoke(a[i], b[i]);
    }

    static virtual void Invoke<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = TSelf.Invoke(a[i], b);
    }

    static virtual void Invoke<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = TSelf.Invoke(a, b[i]);
    }
}

/// <summary>A comparison of two numbers giving a bool.</summary>
internal interface ICompare<TSelf> where TSelf : ICompare<TSelf>
{
    static abstract bool Invoke<T>(T a, T b) where T : INumber<T>;
}
