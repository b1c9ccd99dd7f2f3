using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad.Kernels;

/// <summary>A reduction of one contiguous run to a value.</summary>
internal interface IReduceOp
{
    static abstract T Invoke<T>(ReadOnlySpan<T> x) where T : INumber<T>;
}

internal readonly struct SumReduce : IReduceOp
{
    public static T Invoke<T>(ReadOnlySpan<T> x) where T : INumber<T> => x.IsEmpty ? T.Zero : TensorPrimitives.Sum(x);
}

internal readonly struct ProdReduce : IReduceOp
{
    public static T Invoke<T>(ReadOnlySpan<T> x) where T : INumber<T> => x.IsEmpty ? T.One : TensorPrimitives.Product(x);
}

internal readonly struct MaxReduce : IReduceOp
{
    public static T Invoke<T>(ReadOnlySpan<T> x) where T : INumber<T> => TensorPrimitives.Max(x);
}

internal readonly struct MinReduce : IReduceOp
{
    public static T Invoke<T>(ReadOnlySpan<T> x) where T : INumber<T> => TensorPrimitives.Min(x);
}

/// <summary>
/// Note [Reduction layout]: a reduction over any set of dims permutes the reduced dims innermost
/// and densifies, so every output element reduces one contiguous run, in a fixed order (results do
/// not depend on threads or memory layout).
/// </summary>
internal static class Reduce
{
    /// <summary>The reduced dims sorted and unique, all dims when <paramref name="dims"/> is null or empty.</summary>
    public static bool[] Mask(int rank, int[]? dims)
    {
        var mask = new bool[rank];
        if (dims is null || dims.Length == 0)
        {
            Array.Fill(mask, true);
            return mask;
        }
        foreach (int d in dims)
        {
            int w = ShapeUtil.WrapDim(d, rank);
            if (rank == 0) continue;
            if (mask[w]) throw new ArgumentException($"dim {w} appears multiple times in the list of dims");
            mask[w] = true;
        }
        return mask;
    }

    /// <summary>The reduced dims of a mask from <see cref="Mask"/>, in increasing order.</summary>
    public static int[] Dims(bool[] mask)
    {
        var dims = new List<int>();
        for (int d = 0; d < mask.Length; d++) if (mask[d]) dims.Add(d);
        return dims.ToArray();
    }

    /// <summary>Output sizes of a reduction with the given mask.</summary>
    public static int[] OutputSizes(int[] sizes, bool[] mask, bool keepDim)
    {
        var result = new List<int>();
        for (int d = 0; d < sizes.Length; d++)
            if (!mask[d]) result.Add(sizes[d]);
            else if (keepDim) result.Add(1);
        return result.ToArray();
    }

    /// <summary>Permutes reduced dims last and densifies: returns the data and run length.</summary>
    public static (T[] Data, int Run) Layout<T>(Tensor x, bool[] mask)
    {
        var order = new List<int>();
        int run = 1;
        for (int d = 0; d < x.Dim; d++) if (!mask[d]) order.Add(d);
        for (int d = 0; d < x.Dim; d++) if (mask[d]) { order.Add(d); run *= x.Sizes[d]; }
        var sizes = order.Select(d => x.Sizes[d]).ToArray();
        var strides = order.Select(d => x.Strides[d]).ToArray();
        var permuted = new Tensor(x.Storage, x.Offset, sizes, strides);
        return (permuted.ContiguousData<T>(), run);
    }

    /// <summary>Applies <typeparamref name="TOp"/> to every run of <paramref name="x"/>, writing into a new tensor of <paramref name="outSizes"/>.</summary>
    public static Tensor Run<TOp, T>(Tensor x, bool[] mask, int[] outSizes) where TOp : IReduceOp where T : INumber<T>
    {
        var (data, run) = Layout<T>(x, mask);
        var result = Tensor.Allocate(x.DType, outSizes);
        var output = result.Storage.As<T>();
        for (int i = 0; i < output.Length; i++) output[i] = TOp.Invoke<T>(data.AsSpan(i * run, run));
        return result;
    }

    /// <summary>Dispatches <see cref="Run{TOp, T}"/> on the dtype of <paramref name="x"/>.</summary>
    public static Tensor Apply<TOp>(Tensor x, bool[] mask, int[] outSizes) where TOp : IReduceOp => x.DType switch
    {
        DType.Float32 => Run<TOp, float>(x, mask, outSizes),
        DType.Float64 => Run<TOp, double>(x, mask, outSizes),
        DType.Int64 => Run<TOp, long>(x, mask, outSizes),
        DType.Int32 => Run<TOp, int>(x, mask, outSizes),
        _ => Run<TOp, int>(x.To(DType.Int32), mask, outSizes).To(DType.Bool),
    };
}
