using T = SharpGrad.Tensor;

namespace SharpGrad;

/// <summary>
/// PyTorch's <c>torch</c> module: factories, free functions and modes. <c>using static SharpGrad.Torch;</c>
/// gives bare <c>Ones(2, 2)</c>.
/// </summary>
public static partial class Torch
{
    /// <summary>A tensor filled with ones, <c>torch.ones(size)</c>.</summary>
    public static T Ones(int[] shape, DType dtype = DType.Float32, bool requiresGrad = false) => Full(shape, 1, dtype, requiresGrad);
    /// <summary>A 1-D tensor of ones.</summary>
    public static T Ones(int d0, DType dtype = DType.Float32, bool requiresGrad = false) => Ones([d0], dtype, requiresGrad);
    /// <summary>A 2-D tensor of ones.</summary>
    public static T Ones(int d0, int d1, DType dtype = DType.Float32, bool requiresGrad = false) => Ones([d0, d1], dtype, requiresGrad);
    /// <summary>A 3-D tensor of ones.</summary>
    public static T Ones(int d0, int d1, int d2, DType dtype = DType.Float32, bool requiresGrad = false) => Ones([d0, d1, d2], dtype, requiresGrad);
    /// <summary>A 4-D tensor of ones.</summary>
    public static T Ones(int d0, int d1, int d2, int d3, DType dtype = DType.Float32, bool requiresGrad = false) => Ones([d0, d1, d2, d3], dtype, requiresGrad);

    /// <summary>A tensor filled with zeros, <c>torch.zeros(size)</c>.</summary>
    public static T Zeros(int[] shape, DType dtype = DType.Float32, bool requiresGrad = false) => Empty(shape, dtype, requiresGrad);
    /// <summary>A 1-D tensor of zeros.</summary>
    public static T Zeros(int d0, DType dtype = DType.Float32, bool requiresGrad = false) => Zeros([d0], dtype, requiresGrad);
    /// <summary>A 2-D tensor of zeros.</summary>
    public static T Zeros(int d0, int d1, DType dtype = DType.Float32, bool requiresGrad = false) => Zeros([d0, d1], dtype, requiresGrad);
    /// <summary>A 3-D tensor of zeros.</summary>
    public static T Zeros(int d0, int d1, int d2, DType dtype = DType.Float32, bool requiresGrad = false) => Zeros([d0, d1, d2], dtype, requiresGrad);
    /// <summary>A 4-D tensor of zeros.</summary>
    public static T Zeros(int d0, int d1, int d2, int d3, DType dtype = DType.Float32, bool requiresGrad = false) => Zeros([d0, d1, d2, d3], dtype, requiresGrad);

    /// <summary>
    /// An uninitialised tensor, <c>torch.empty(size)</c>. Managed memory is always cleared, so the
    /// contents are zeros; do not rely on that.
    /// </summary>
    public static T Empty(int[] shape, DType dtype = DType.Float32, bool requiresGrad = false)
    {
        var t = T.Allocate(dtype, shape);
        if (requiresGrad) t.RequireGradFromFactory();
        return t;
    }
    /// <summary>A 1-D uninitialised tensor.</summary>
    public static T Empty(int d0, DType dtype = DType.Float32, bool requiresGrad = false) => Empty([d0], dtype, requiresGrad);
    /// <summary>A 2-D uninitialised tensor.</summary>
    public static T Empty(int d0, int d1, DType dtype = DType.Float32, bool requiresGrad = false) => Empty([d0, d1], dtype, requiresGrad);
    /// <summary>A 3-D uninitialised tensor.</summary>
    public static T Empty(int d0, int d1, int d2, DType dtype = DType.Float32, bool requiresGrad = false) => Empty([d0, d1, d2], dtype, requiresGrad);
    /// <summary>A 4-D uninitialised tensor.</summary>
    public static T Empty(int d0, int d1, int d2, int d3, DType dtype = DType.Float32, bool requiresGrad = false) => Empty([d0, d1, d2, d3], dtype, requiresGrad);

    /// <summary>A tensor filled with <paramref name="value"/>, <c>torch.full(size, value)</c>.</summary>
    public static T Full(int[] shape, Scalar value, DType? dtype = null, bool requiresGrad = false)
    {
        var t = T.Allocate(dtype ?? (value.IsIntegral ? DType.Int64 : DType.Float32), shape);
        t.FillRaw(value.Value);
        if (requiresGrad) t.RequireGradFromFactory();
        return t;
    }

    /// <summary>The n-by-m identity matrix (m defaults to n), <c>torch.eye(n, m)</c>.</summary>
    public static T Eye(int n, int? m = null, DType dtype = DType.Float32, bool requiresGrad = false)
    {
        int cols = m ?? n;
        if (n < 0) throw new ArgumentException($"n must be greater or equal to 0, got {n}");
        if (cols < 0) throw new ArgumentException($"m must be greater or equal to 0, got {cols}");
        var t = T.Allocate(dtype, [n, cols]);
        var diagonal = new T(t.Storage, 0, [Math.Min(n, cols)], [cols + 1]);
        diagonal.FillRaw(1);
        if (requiresGrad) t.RequireGradFromFactory();
        return t;
    }

    /// <summary>
    /// Values from <paramref name="start"/> up to (not including) <paramref name="end"/> by <paramref name="step"/>,
    /// <c>torch.arange</c>. Integer arguments give Int64, any floating argument the default dtype.
    /// </summary>
    public static T Arange(Scalar start, Scalar end, Scalar? step = null, DType? dtype = null, bool requiresGrad = false)
    {
        var s = step ?? 1;
        if (s.Value == 0) throw new ArgumentException("step must be nonzero");
        if (double.IsNaN(start.Value) || double.IsNaN(end.Value) || double.IsInfinity(start.Value) || double.IsInfinity(end.Value))
            throw new ArgumentException($"unsupported range: {start} -> {end}");
        if ((s.Value > 0 && end.Value < start.Value) || (s.Value < 0 && end.Value > start.Value))
            throw new ArgumentException("upper bound and larger bound inconsistent with step sign");
        bool integral = start.IsIntegral && end.IsIntegral && s.IsIntegral;
        var dt = dtype ?? (integral ? DType.Int64 : DType.Float32);
        int count = (int)Math.Ceiling((end.Value - start.Value) / s.Value);
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = start.Value + i * s.Value;
        return T.FromSpan<double>(values, [count], dt, requiresGrad);
    }

    /// <summary>Values from 0 up to (not including) <paramref name="end"/>, <c>torch.arange(end)</c>.</summary>
    public static T Arange(Scalar end, DType? dtype = null, bool requiresGrad = false) => Arange(0, end, 1, dtype, requiresGrad);

    /// <summary><paramref name="steps"/> evenly spaced values from start to end inclusive, <c>torch.linspace</c>.</summary>
    public static T Linspace(double start, double end, int steps, DType dtype = DType.Float32, bool requiresGrad = false)
    {
        if (steps < 0) throw new ArgumentException("number of steps must be non-negative");
        var values = dtype == DType.Float32
            ? LinspaceValues((float)start, (float)end, steps, 8)
            : LinspaceValues(start, end, steps, 4);
        return T.FromSpan<double>(values, [steps], dtype, requiresGrad);
    }

    /// <summary>
    /// Note [Linspace bits]: PyTorch computes linspace in the output dtype, counting up from start for
    /// the first half and down from end for the second (so both ends are exact), in SIMD blocks of
    /// 8 floats or 4 doubles (its AVX2 kernel), taken in pairs, whose lanes add j * step to the
    /// block's first value (computed with a fused multiply-add, as the compiler emitted it); what is
    /// left over after the last pair runs scalar, also fused.
    /// Reproducing that order gives PyTorch's values bit for bit.
    /// </summary>
    private static double[] LinspaceValues<TF>(TF start, TF end, int steps, int width) where TF : System.Numerics.IFloatingPointIeee754<TF>
    {
        var values = new double[steps];
        TF step = steps > 1 ? (end - start) / TF.CreateTruncating(steps - 1) : TF.Zero;
        int half = steps / 2, idx = 0;
        TF AtFused(int i) => i < half
            ? TF.FusedMultiplyAdd(step, TF.CreateTruncating(i), start)
            : TF.FusedMultiplyAdd(-step, TF.CreateTruncating(steps - i - 1), end);
        // Whole pairs of SIMD blocks run vectorized; the rest runs scalar.
        int vectorized = steps / (2 * width) * (2 * width);
        for (; idx < vectorized; idx += width)
        {
            TF blockStart = AtFused(idx);
            for (int j = 0; j < width; j++) values[idx + j] = double.CreateTruncating(blockStart + step * TF.CreateTruncating(j));
        }
        for (; idx < steps; idx++) values[idx] = double.CreateTruncating(AtFused(idx));
        return values;
    }

    /// <summary>Seeds the global random number generator, <c>torch.manual_seed</c>. Note [Random streams].</summary>
    public static void ManualSeed(long seed) => Generator.Seed(seed);

    /// <summary>Uniform samples in [0, 1), <c>torch.rand</c>.</summary>
    public static T Rand(int[] shape, DType dtype = DType.Float32, bool requiresGrad = false) =>
        Random(shape, dtype, requiresGrad, Generator.Uniform);
    /// <summary>1-D uniform samples in [0, 1).</summary>
    public static T Rand(int d0, DType dtype = DType.Float32, bool requiresGrad = false) => Rand([d0], dtype, requiresGrad);
    /// <summary>2-D uniform samples in [0, 1).</summary>
    public static T Rand(int d0, int d1, DType dtype = DType.Float32, bool requiresGrad = false) => Rand([d0, d1], dtype, requiresGrad);
    /// <summary>3-D uniform samples in [0, 1).</summary>
    public static T Rand(int d0, int d1, int d2, DType dtype = DType.Float32, bool requiresGrad = false) => Rand([d0, d1, d2], dtype, requiresGrad);
    /// <summary>4-D uniform samples in [0, 1).</summary>
    public static T Rand(int d0, int d1, int d2, int d3, DType dtype = DType.Float32, bool requiresGrad = false) => Rand([d0, d1, d2, d3], dtype, requiresGrad);

    /// <summary>Standard normal samples, <c>torch.randn</c>.</summary>
    public static T Randn(int[] shape, DType dtype = DType.Float32, bool requiresGrad = false) =>
        Random(shape, dtype, requiresGrad, Generator.Normal);
    /// <summary>1-D standard normal samples.</summary>
    public static T Randn(int d0, DType dtype = DType.Float32, bool requiresGrad = false) => Randn([d0], dtype, requiresGrad);
    /// <summary>2-D standard normal samples.</summary>
    public static T Randn(int d0, int d1, DType dtype = DType.Float32, bool requiresGrad = false) => Randn([d0, d1], dtype, requiresGrad);
    /// <summary>3-D standard normal samples.</summary>
    public static T Randn(int d0, int d1, int d2, DType dtype = DType.Float32, bool requiresGrad = false) => Randn([d0, d1, d2], dtype, requiresGrad);
    /// <summary>4-D standard normal samples.</summary>
    public static T Randn(int d0, int d1, int d2, int d3, DType dtype = DType.Float32, bool requiresGrad = false) => Randn([d0, d1, d2, d3], dtype, requiresGrad);

    /// <summary>Uniform integers in [low, high), <c>torch.randint(low, high, size)</c>; Int64 by default.</summary>
    public static T RandInt(long low, long high, int[] shape, DType dtype = DType.Int64, bool requiresGrad = false)
    {
        if (low >= high) throw new ArgumentException($"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}");
        return Random(shape, dtype, requiresGrad, span => Generator.Integers(span, low, high));
    }

    /// <summary>Uniform integers in [0, high), <c>torch.randint(high, size)</c>.</summary>
    public static T RandInt(long high, int[] shape, DType dtype = DType.Int64) => RandInt(0, high, shape, dtype);

    private static T Random(int[] shape, DType dtype, bool requiresGrad, SpanAction sample)
    {
        var values = new double[ShapeUtil.Numel(shape)];
        sample(values);
        return T.FromSpan<double>(values, shape, dtype, requiresGrad);
    }

    private delegate void SpanAction(Span<double> values);

    /// <summary>Ones shaped like <paramref name="t"/>, <c>torch.ones_like</c>.</summary>
    public static T OnesLike(T t, DType? dtype = null, bool requiresGrad = false) => Full(t.Sizes, 1, dtype ?? t.DType, requiresGrad);
    /// <summary>Zeros shaped like <paramref name="t"/>, <c>torch.zeros_like</c>.</summary>
    public static T ZerosLike(T t, DType? dtype = null, bool requiresGrad = false) => Zeros(t.Sizes, dtype ?? t.DType, requiresGrad);
    /// <summary>An uninitialised tensor shaped like <paramref name="t"/>, <c>torch.empty_like</c>.</summary>
    public static T EmptyLike(T t, DType? dtype = null, bool requiresGrad = false) => Empty(t.Sizes, dtype ?? t.DType, requiresGrad);
    /// <summary>A tensor shaped like <paramref name="t"/> filled with <paramref name="value"/>, <c>torch.full_like</c>.</summary>
    public static T FullLike(T t, Scalar value, DType? dtype = null, bool requiresGrad = false) => Full(t.Sizes, value, dtype ?? t.DType, requiresGrad);
    /// <summary>Uniform samples shaped like <paramref name="t"/>, <c>torch.rand_like</c>.</summary>
    public static T RandLike(T t, DType? dtype = null, bool requiresGrad = false) => Rand(t.Sizes, dtype ?? t.DType, requiresGrad);
    /// <summary>Normal samples shaped like <paramref name="t"/>, <c>torch.randn_like</c>.</summary>
    public static T RandnLike(T t, DType? dtype = null, bool requiresGrad = false) => Randn(t.Sizes, dtype ?? t.DType, requiresGrad);
    /// <summary>Random integers in [low, high) shaped like <paramref name="t"/>, <c>torch.randint_like</c>.</summary>
    public static T RandIntLike(T t, long low, long high, DType? dtype = null) => RandInt(low, high, t.Sizes, dtype ?? t.DType);
}
