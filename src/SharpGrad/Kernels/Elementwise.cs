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
/// <remarks>
/// Note [Elementwise fast paths]: before any loop is built, the drivers take the layouts that
/// nearly every call has: all operands dense with the output's shape (one span call over the
/// whole buffer), or one input a single element broadcast over a dense other (one span-scalar
/// call). A one-element output runs the scalar kernel, as the strided loop does. Large dense work
/// is split by <see cref="ParallelFor"/> into index ranges (Note [Parallel for]); each element is
/// still computed by the same span kernel, so results do not depend on the thread count. Work is
/// only split when every input either lives in another storage than the output or is the output
/// itself (same offset): a partially overlapping in-place write keeps its sequential order.
/// Every path ends with <c>GC.KeepAlive</c> on the storages it borrowed, output included
/// (Note [Storage pool]).
/// </remarks>
internal static class Elementwise
{
    /// <summary>
    /// Elements per parallel chunk: below twice this a call runs on one thread. 32K elements (128 KB
    /// of float32) take tens of µs even for an add, against the few µs a parallel region costs
    /// (Note [Parallel for]). The shared 2-core machine of docs/performance.md was too noisy to
    /// measure a sharper break-even.
    /// </summary>
    public const int ParallelGrain = 32_768;

    /// <summary>out = op(x), with x broadcast to out's shape.</summary>
    public static void Unary<TIn, TOut, TK>(Tensor x, Tensor output) where TK : IUnaryKernel<TIn, TOut>
    {
        var xs = x.Storage.Borrow<TIn>();
        var os = output.Storage.Borrow<TOut>();
        if (SharedShapes.IsDense(output))
        {
            int n = SharedShapes.Numel(output.Sizes);
            if (n == 0) return;
            if (n == 1)
            {
                os[output.Offset] = TK.Scalar(xs[x.Offset]);
                GC.KeepAlive(x.Storage);
                GC.KeepAlive(output.Storage);
                return;
            }
            if (SharedShapes.SameSizes(x.Sizes, output.Sizes) && SharedShapes.IsDense(x))
            {
                if (n >= 2 * ParallelGrain && CanSplit(x, output))
                {
                    var body = new UnaryBody<TIn, TOut, TK>(x, output);
                    ParallelFor.For(n, ParallelGrain, ref body);
                }
                else TK.Span(xs.Slice(x.Offset, n), os.Slice(output.Offset, n));
                GC.KeepAlive(x.Storage);
                GC.KeepAlive(output.Storage);
                return;
            }
        }
        UnaryStrided<TIn, TOut, TK>(x, output);
    }

    private static void UnaryStrided<TIn, TOut, TK>(Tensor x, Tensor output) where TK : IUnaryKernel<TIn, TOut>
    {
        int bufferLength = StridedLoop.BufferLength(output.Sizes.Length, 2);
        Span<int> buffer = output.Sizes.Length <= StridedLoop.StackRank ? stackalloc int[bufferLength] : new int[bufferLength];
        var loop = new StridedLoop(buffer, x, output);
        var xs = x.Storage.Borrow<TIn>();
        var os = output.Storage.Borrow<TOut>();
        Span<int> index = stackalloc int[loop.OuterRank];
        index.Clear();
        Span<int> offsets = [x.Offset, output.Offset];
        int n = loop.Inner, sx = loop.InnerStride(0), so = loop.InnerStride(1);
        for (int run = 0; run < loop.Outer; run++)
        {
            int ox = offsets[0], oo = offsets[1];
            if (sx == 1 && so == 1) TK.Span(xs.Slice(ox, n), os.Slice(oo, n));
            else if (sx == 0 && so == 1) os.Slice(oo, n).Fill(TK.Scalar(xs[ox]));
            else
                for (int i = 0; i < n; i++) os[oo + i * so] = TK.Scalar(xs[ox + i * sx]);
            loop.Advance(index, offsets);
        }
        GC.KeepAlive(x.Storage);
        GC.KeepAlive(output.Storage);
    }

    /// <summary>out = op(a, b), with a and b broadcast to out's shape.</summary>
    public static void Binary<TIn, TOut, TK>(Tensor a, Tensor b, Tensor output) where TK : IBinaryKernel<TIn, TOut>
    {
        var As = a.Storage.Borrow<TIn>();
        var Bs = b.Storage.Borrow<TIn>();
        var Os = output.Storage.Borrow<TOut>();
        if (SharedShapes.IsDense(output))
        {
            int n = SharedShapes.Numel(output.Sizes);
            if (n == 0) return;
            if (n == 1)
            {
                Os[output.Offset] = TK.Scalar(As[a.Offset], Bs[b.Offset]);
                GC.KeepAlive(a.Storage);
                GC.KeepAlive(b.Storage);
                GC.KeepAlive(output.Storage);
                return;
            }
            // 0: a and b dense like the output; 1: b one element; 2: a one element.
            int form = -1;
            if (SharedShapes.SameSizes(a.Sizes, output.Sizes) && SharedShapes.IsDense(a))
            {
                if (SharedShapes.SameSizes(b.Sizes, output.Sizes) && SharedShapes.IsDense(b)) form = 0;
                else if (IsOneElement(b)) form = 1;
            }
            else if (IsOneElement(a) && SharedShapes.SameSizes(b.Sizes, output.Sizes) && SharedShapes.IsDense(b)) form = 2;
            if (form >= 0)
            {
                if (n >= 2 * ParallelGrain && CanSplit(a, output) && CanSplit(b, output))
                {
                    var body = new BinaryBody<TIn, TOut, TK>(a, b, output, form);
                    ParallelFor.For(n, ParallelGrain, ref body);
                }
                else BinaryBody<TIn, TOut, TK>.Run(As, a.Offset, Bs, b.Offset, Os, output.Offset, n, form);
                GC.KeepAlive(a.Storage);
                GC.KeepAlive(b.Storage);
                GC.KeepAlive(output.Storage);
                return;
            }
        }
        BinaryStrided<TIn, TOut, TK>(a, b, output);
    }

    private static void BinaryStrided<TIn, TOut, TK>(Tensor a, Tensor b, Tensor output) where TK : IBinaryKernel<TIn, TOut>
    {
        int bufferLength = StridedLoop.BufferLength(output.Sizes.Length, 3);
        Span<int> buffer = output.Sizes.Length <= StridedLoop.StackRank ? stackalloc int[bufferLength] : new int[bufferLength];
        var loop = new StridedLoop(buffer, a, b, output);
        var As = a.Storage.Borrow<TIn>();
        var Bs = b.Storage.Borrow<TIn>();
        var Os = output.Storage.Borrow<TOut>();
        Span<int> index = stackalloc int[loop.OuterRank];
        index.Clear();
        Span<int> offsets = [a.Offset, b.Offset, output.Offset];
        int n = loop.Inner, sa = loop.InnerStride(0), sb = loop.InnerStride(1), so = loop.InnerStride(2);
        for (int run = 0; run < loop.Outer; run++)
        {
            int oa = offsets[0], ob = offsets[1], oo = offsets[2];
            if (so == 1 && sa == 1 && sb == 1) TK.Span(As.Slice(oa, n), Bs.Slice(ob, n), Os.Slice(oo, n));
            else if (so == 1 && sa == 1 && sb == 0) TK.SpanScalar(As.Slice(oa, n), Bs[ob], Os.Slice(oo, n));
            else if (so == 1 && sa == 0 && sb == 1) TK.ScalarSpan(As[oa], Bs.Slice(ob, n), Os.Slice(oo, n));
            else
                for (int i = 0; i < n; i++) Os[oo + i * so] = TK.Scalar(As[oa + i * sa], Bs[ob + i * sb]);
            loop.Advance(index, offsets);
        }
        GC.KeepAlive(a.Storage);
        GC.KeepAlive(b.Storage);
        GC.KeepAlive(output.Storage);
    }

    /// <summary>out = op(a, s) for a dense <paramref name="a"/> shaped like a dense <paramref name="output"/>: a scalar operand read directly.</summary>
    public static void BinaryScalar<T, TOut, TK>(Tensor a, T s, Tensor output, bool scalarFirst) where TK : IBinaryKernel<T, TOut>
    {
        var As = a.Storage.Borrow<T>();
        var Os = output.Storage.Borrow<TOut>();
        int n = SharedShapes.Numel(output.Sizes);
        if (n == 0) return;
        if (n == 1)
            Os[output.Offset] = scalarFirst ? TK.Scalar(s, As[a.Offset]) : TK.Scalar(As[a.Offset], s);
        else if (n >= 2 * ParallelGrain && CanSplit(a, output))
        {
            var body = new ScalarBody<T, TOut, TK>(a, s, output, scalarFirst);
            ParallelFor.For(n, ParallelGrain, ref body);
        }
        else if (scalarFirst) TK.ScalarSpan(s, As.Slice(a.Offset, n), Os.Slice(output.Offset, n));
        else TK.SpanScalar(As.Slice(a.Offset, n), s, Os.Slice(output.Offset, n));
        GC.KeepAlive(a.Storage);
        GC.KeepAlive(output.Storage);
    }

    private static bool IsOneElement(Tensor t)
    {
        foreach (int s in t.Sizes) if (s != 1) return false;
        return true;
    }

    /// <summary>Whether input <paramref name="x"/> may be processed in parallel chunks writing <paramref name="output"/> (Note [Elementwise fast paths]).</summary>
    private static bool CanSplit(Tensor x, Tensor output) =>
        ParallelFor.Threads > 1 && (!ReferenceEquals(x.Storage, output.Storage) || x.Offset == output.Offset);

    private readonly struct UnaryBody<TIn, TOut, TK>(Tensor x, Tensor output) : IRangeBody where TK : IUnaryKernel<TIn, TOut>
    {
        public void Run(int start, int end) =>
            TK.Span(x.Storage.Borrow<TIn>().Slice(x.Offset + start, end - start), output.Storage.Borrow<TOut>().Slice(output.Offset + start, end - start));
    }

    private readonly struct BinaryBody<TIn, TOut, TK>(Tensor a, Tensor b, Tensor output, int form) : IRangeBody where TK : IBinaryKernel<TIn, TOut>
    {
        public void Run(int start, int end) =>
            Run(a.Storage.Borrow<TIn>(), a.Offset + (form == 2 ? 0 : start), b.Storage.Borrow<TIn>(), b.Offset + (form == 1 ? 0 : start),
                output.Storage.Borrow<TOut>(), output.Offset + start, end - start, form);

        public static void Run(ReadOnlySpan<TIn> a, int oa, ReadOnlySpan<TIn> b, int ob, Span<TOut> o, int oo, int n, int form)
        {
            switch (form)
            {
                case 0: TK.Span(a.Slice(oa, n), b.Slice(ob, n), o.Slice(oo, n)); break;
                case 1: TK.SpanScalar(a.Slice(oa, n), b[ob], o.Slice(oo, n)); break;
                default: TK.ScalarSpan(a[oa], b.Slice(ob, n), o.Slice(oo, n)); break;
            }
        }
    }

    private readonly struct ScalarBody<T, TOut, TK>(Tensor a, T s, Tensor output, bool scalarFirst) : IRangeBody where TK : IBinaryKernel<T, TOut>
    {
        public void Run(int start, int end)
        {
            var x = a.Storage.Borrow<T>().Slice(a.Offset + start, end - start);
            var o = output.Storage.Borrow<TOut>().Slice(output.Offset + start, end - start);
            if (scalarFirst) TK.ScalarSpan(s, x, o);
            else TK.SpanScalar(x, s, o);
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
