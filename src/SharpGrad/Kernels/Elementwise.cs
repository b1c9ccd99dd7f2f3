using System.Numerics;

namespace SharpGrad.Kernels;

/// <summary>A concrete unary kernel on one element type: what the driver calls.</summary>
internal interface IUnaryKernel<TIn, TOut>
{
    static abstract TOut Scalar(TIn x);
    static abstract void Span(ReadOnlySpan<TIn> x, Span<TOut> d);
}

/// <summary>A concrete binary kernel on one element type: what the driver calls.</summary>
internal interface IBinaryKernel<TIn, TOut>
{
    static abstract TOut Scalar(TIn a, TIn b);
    static abstract void Span(ReadOnlySpan<TIn> a, ReadOnlySpan<TIn> b, Span<TOut> d);
    static abstract void SpanScalar(ReadOnlySpan<TIn> a, TIn b, Span<TOut> d);
    static abstract void ScalarSpan(TIn a, ReadOnlySpan<TIn> b, Span<TOut> d);
}

internal readonly struct NumberUnary<TOp, T> : IUnaryKernel<T, T> where TOp : IUnaryNumber<TOp> where T : INumber<T>
{
    public static T Scalar(T x) => TOp.Invoke(x);
    public static void Span(ReadOnlySpan<T> x, Span<T> d) => TOp.Invoke(x, d);
}

internal readonly struct FloatUnary<TOp, T> : IUnaryKernel<T, T> where TOp : IUnaryFloat<TOp> where T : IFloatingPointIeee754<T>
{
    public static T Scalar(T x) => TOp.Invoke(x);
    public static void Span(ReadOnlySpan<T> x, Span<T> d) => TOp.Invoke(x, d);
}

internal readonly struct NumberBinary<TOp, T> : IBinaryKernel<T, T> where TOp : IBinaryNumber<TOp> where T : INumber<T>
{
    public static T Scalar(T a, T b) => TOp.Invoke(a, b);
    public static void Span(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TOp.Invoke(a, b, d);
    public static void SpanScalar(ReadOnlySpan<T> a, T b, Span<T> d) => TOp.Invoke(a, b, d);
    public static void ScalarSpan(T a, ReadOnlySpan<T> b, Span<T> d) => TOp.Invoke(a, b, d);
}

internal readonly struct FloatBinary<TOp, T> : IBinaryKernel<T, T> where TOp : IBinaryFloat<TOp> where T : IFloatingPointIeee754<T>
{
    public static T Scalar(T a, T b) => TOp.Invoke(a, b);
    public static void Span(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TOp.Invoke(a, b, d);
    public static void SpanScalar(ReadOnlySpan<T> a, T b, Span<T> d) => TOp.Invoke(a, b, d);
    public static void ScalarSpan(T a, ReadOnlySpan<T> b, Span<T> d) => TOp.Invoke(a, b, d);
}

internal readonly struct CompareBinary<TOp, T> : IBinaryKernel<T, bool> where TOp : ICompare<TOp> where T : INumber<T>
{
    public static bool Scalar(T a, T b) => TOp.Invoke(a, b);
    public static void Span(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<bool> d)
    {
        for (int i = 0; i < d.Length; i++) d[i] = TOp.Invoke(a[i], b[i]);
    }
    public static void SpanScalar(ReadOnlySpan<T> a, T b, Span<bool> d)
    {
        for (int i = 0; i < d.Length; i++) d[i] = TOp.Invoke(a[i], b);
    }
    public static void ScalarSpan(T a, ReadOnlySpan<T> b, Span<bool> d)
    {
        for (int i = 0; i < d.Length; i++) d[i] = TOp.Invoke(a, b[i]);
    }
}

/// <summary>The elementwise drivers (Note [Strided loop]): views in, a view out, no autograd.</summary>
internal static class Elementwise
{
    /// <summary>out = op(x), with x broadcast to out's shape.</summary>
    public static void Unary<TIn, TOut, TK>(Tensor x, Tensor output) where TK : IUnaryKernel<TIn, TOut>
    {
        var xStrides = ShapeUtil.BroadcastStrides(x.Sizes, x.Strides, output.Sizes);
        var loop = new StridedLoop(output.Sizes, xStrides, output.Strides);
        var xs = x.Storage.As<TIn>();
        var os = output.Storage.As<TOut>();
        Span<int> index = stackalloc int[loop.OuterRank];
        index.Clear();
        Span<int> offsets = [x.Offset, output.Offset];
        int n = loop.Inner, sx = loop.InnerStrides[0], so = loop.InnerStrides[1];
        for (int run = 0; run < loop.Outer; run++)
        {
            int ox = offsets[0], oo = offsets[1];
            if (sx == 1 && so == 1) TK.Span(xs.AsSpan(ox, n), os.AsSpan(oo, n));
            else if (sx == 0 && so == 1) os.AsSpan(oo, n).Fill(TK.Scalar(xs[ox]));
            else
                for (int i = 0; i < n; i++) os[oo + i * so] = TK.Scalar(xs[ox + i * sx]);
            loop.Advance(index, offsets);
        }
    }

    /// <summary>out = op(a, b), with a and b broadcast to out's shape.</summary>
    public static void Binary<TIn, TOut, TK>(Tensor a, Tensor b, Tensor output) where TK : IBinaryKernel<TIn, TOut>
    {
        var aStrides = ShapeUtil.BroadcastStrides(a.Sizes, a.Strides, output.Sizes);
        var bStrides = ShapeUtil.BroadcastStrides(b.Sizes, b.Strides, output.Sizes);
        var loop = new StridedLoop(output.Sizes, aStrides, bStrides, output.Strides);
        var As = a.Storage.As<TIn>();
        var Bs = b.Storage.As<TIn>();
        var Os = output.Storage.As<TOut>();
        Span<int> index = stackalloc int[loop.OuterRank];
        index.Clear();
        Span<int> offsets = [a.Offset, b.Offset, output.Offset];
        int n = loop.Inner, sa = loop.InnerStrides[0], sb = loop.InnerStrides[1], so = loop.InnerStrides[2];
        for (int run = 0; run < loop.Outer; run++)
        {
            int oa = offsets[0], ob = offsets[1], oo = offsets[2];
            if (so == 1 && sa == 1 && sb == 1) TK.Span(As.AsSpan(oa, n), Bs.AsSpan(ob, n), Os.AsSpan(oo, n));
            else if (so == 1 && sa == 1 && sb == 0) TK.SpanScalar(As.AsSpan(oa, n), Bs[ob], Os.AsSpan(oo, n));
            else if (so == 1 && sa == 0 && sb == 1) TK.ScalarSpan(As[oa], Bs.AsSpan(ob, n), Os.AsSpan(oo, n));
            else
                for (int i = 0; i < n; i++) Os[oo + i * so] = TK.Scalar(As[oa + i * sa], Bs[ob + i * sb]);
            loop.Advance(index, offsets);
        }
    }

    /// <summary>Copies <paramref name="source"/> (broadcast) into <paramref name="dest"/>, converting the element type.</summary>
    public static void Copy(Tensor source, Tensor dest)
    {
        switch (source.DType, dest.DType)
        {
            case (DType.Float32, DType.Float32): Unary<float, float, Identity<float>>(source, dest); break;
            case (DType.Float64, DType.Float64): Unary<double, double, Identity<double>>(source, dest); break;
            case (DType.Int64, DType.Int64): Unary<long, long, Identity<long>>(source, dest); break;
            case (DType.Int32, DType.Int32): Unary<int, int, Identity<int>>(source, dest); break;
            case (DType.Bool, DType.Bool): Unary<bool, bool, Identity<bool>>(source, dest); break;
            default: ConvertCopy(source, dest); break;
        }
    }

    private static void ConvertCopy(Tensor source, Tensor dest)
    {
        switch (source.DType)
        {
            case DType.Float32: ConvertFrom<float>(source, dest); break;
            case DType.Float64: ConvertFrom<double>(source, dest); break;
            case DType.Int64: ConvertFrom<long>(source, dest); break;
            case DType.Int32: ConvertFrom<int>(source, dest); break;
            default: ConvertFromBool(source, dest); break;
        }
    }

    private static void ConvertFrom<TFrom>(Tensor source, Tensor dest) where TFrom : INumber<TFrom>
    {
        switch (dest.DType)
        {
            case DType.Float32: Unary<TFrom, float, Convert<TFrom, float>>(source, dest); break;
            case DType.Float64: Unary<TFrom, double, Convert<TFrom, double>>(source, dest); break;
            case DType.Int64: Unary<TFrom, long, Convert<TFrom, long>>(source, dest); break;
            case DType.Int32: Unary<TFrom, int, Convert<TFrom, int>>(source, dest); break;
            default: Unary<TFrom, bool, ToBool<TFrom>>(source, dest); break;
        }
    }

    private static void ConvertFromBool(Tensor source, Tensor dest)
    {
        switch (dest.DType)
        {
            case DType.Float32: Unary<bool, float, FromBool<float>>(source, dest); break;
            case DType.Float64: Unary<bool, double, FromBool<double>>(source, dest); break;
            case DType.Int64: Unary<bool, long, FromBool<long>>(source, dest); break;
            default: Unary<bool, int, FromBool<int>>(source, dest); break;
        }
    }

    private readonly struct Identity<T> : IUnaryKernel<T, T>
    {
        public static T Scalar(T x) => x;
        public static void Span(ReadOnlySpan<T> x, Span<T> d) => x.CopyTo(d);
    }

    private readonly struct Convert<TFrom, TTo> : IUnaryKernel<TFrom, TTo> where TFrom : INumber<TFrom> where TTo : INumber<TTo>
    {
        public static TTo Scalar(TFrom x) => TTo.CreateTruncating(x);
        public static void Span(ReadOnlySpan<TFrom> x, Span<TTo> d)
        {
            for (int i = 0; i < x.Length; i++) d[i] = TTo.CreateTruncating(x[i]);
        }
    }

    private readonly struct ToBool<TFrom> : IUnaryKernel<TFrom, bool> where TFrom : INumber<TFrom>
    {
        public static bool Scalar(TFrom x) => !TFrom.IsZero(x);
        public static void Span(ReadOnlySpan<TFrom> x, Span<bool> d)
        {
            for (int i = 0; i < x.Length; i++) d[i] = !TFrom.IsZero(x[i]);
        }
    }

    private readonly struct FromBool<TTo> : IUnaryKernel<bool, TTo> where TTo : INumber<TTo>
    {
        public static TTo Scalar(bool x) => x ? TTo.One : TTo.Zero;
        public static void Span(ReadOnlySpan<bool> x, Span<TTo> d)
        {
            for (int i = 0; i < x.Length; i++) d[i] = x[i] ? TTo.One : TTo.Zero;
        }
    }
}
