using System.Numerics;

namespace SharpGrad.Kernels;

/// <summary>
/// Value-and-index reductions (<c>max(dim)</c>, <c>argmax</c>...) over the runs of
/// Note [Reduction layout].
/// </summary>
/// <remarks>
/// Note [Arg reductions and NaN]: as in PyTorch, NaN wins: the first NaN of a run is its max and
/// its min. Otherwise the first occurrence of the extreme value wins. Indices are Int64 positions
/// within the run (the reduced dim, or the flat row-major index when every dim is reduced).
/// </remarks>
internal static class ArgReduce
{
    /// <summary>
    /// The extreme value (max when <paramref name="max"/>, else min) and its index for every run of
    /// <paramref name="x"/> over the dims in <paramref name="mask"/>; Bool compares as 0/1.
    /// </summary>
    public static (Tensor Values, Tensor Indices) Run(Tensor x, bool[] mask, int[] outSizes, bool max)
    {
        switch (x.DType)
        {
            case DType.Float32: return Run<float>(x, mask, outSizes, max);
            case DType.Float64: return Run<double>(x, mask, outSizes, max);
            case DType.Int64: return Run<long>(x, mask, outSizes, max);
            case DType.Int32: return Run<int>(x, mask, outSizes, max);
            default:
                var (values, indices) = Run<int>(Dispatch.As(x, DType.Int32), mask, outSizes, max);
                return (Dispatch.As(values, DType.Bool), indices);
        }
    }

    private static (Tensor, Tensor) Run<T>(Tensor x, bool[] mask, int[] outSizes, bool max) where T : INumber<T>
    {
        var (data, run) = Reduce.Layout<T>(x, mask);
        var values = Tensor.Allocate(x.DType, outSizes);
        var indices = Tensor.Allocate(DType.Int64, outSizes);
        var v = values.Storage.As<T>();
        var idx = indices.Storage.As<long>();
        for (int i = 0; i < v.Length; i++)
        {
            int best = max ? ArgMax<T>(data.AsSpan(i * run, run)) : ArgMin<T>(data.AsSpan(i * run, run));
            v[i] = data[i * run + best];
            idx[i] = best;
        }
        return (values, indices);
    }

    private static int ArgMax<T>(ReadOnlySpan<T> x) where T : INumber<T>
    {
        int best = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (T.IsNaN(x[i])) return i;
            if (x[i] > x[best]) best = i;
        }
        return best;
    }

    private static int ArgMin<T>(ReadOnlySpan<T> x) where T : INumber<T>
    {
        int best = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (T.IsNaN(x[i])) return i;
            if (x[i] < x[best]) best = i;
        }
        return best;
    }
}
