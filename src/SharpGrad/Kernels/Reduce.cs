using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad.Kernels;

/// <summary>A reduction of one contiguous run to a value.</summary>
internal interface IReduceOp
{
    static abstract T Invoke<T>(ReadOnlySpan<T> x) where T : unmanaged, INumber<T>;
}

internal readonly struct SumReduce : IReduceOp
{
    // Floats add in PyTorch's order (Note [Inner sum order]); integers are exact in any order.
    // PyTorch's accumulator starts at +0, so a sum of negative zeros is +0: adding T.Zero does that.
    public static T Invoke<T>(ReadOnlySpan<T> x) where T : unmanaged, INumber<T> =>
        typeof(T) == typeof(float) || typeof(T) == typeof(double) ? ReduceCascade.Sum(x)
        : x.IsEmpty ? T.Zero : T.Zero + TensorPrimitives.Sum(x);
}

internal readonly struct ProdReduce : IReduceOp
{
    public static T Invoke<T>(ReadOnlySpan<T> x) where T : unmanaged, INumber<T> => x.IsEmpty ? T.One : TensorPrimitives.Product(x);
}

internal readonly struct MaxReduce : IReduceOp
{
    public static T Invoke<T>(ReadOnlySpan<T> x) where T : unmanaged, INumber<T> => TensorPrimitives.Max(x);
}

internal readonly struct MinReduce : IReduceOp
{
    public static T Invoke<T>(ReadOnlySpan<T> x) where T : unmanaged, INumber<T> => TensorPrimitives.Min(x);
}

/// <summary>
/// Note [Reduction layout]: a reduction over any set of dims permutes the reduced dims innermost
/// and densifies, so every output element reduces one contiguous run, in a fixed order (results do
/// not depend on threads or memory layout). When the permuted view is already dense (a full
/// reduction of a contiguous tensor, or one over its trailing dims) the runs are read in place,
/// without the copy. Many runs are shared among threads by output index (each run is still
/// reduced whole by one call), so results are identical for any thread count. Sums over outer
/// dims of a tensor whose kept dims end in a contiguous block are the exception: they add whole
/// rows, without the copy (Note [Outer reduction]).
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
        int rank = 0;
        for (int d = 0; d < sizes.Length; d++) if (!mask[d] || keepDim) rank++;
        var result = new int[rank];
        int k = 0;
        for (int d = 0; d < sizes.Length; d++)
            if (!mask[d]) result[k++] = sizes[d];
            else if (keepDim) result[k++] = 1;
        return result;
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
    public static Tensor Run<TOp, T>(Tensor x, bool[] mask, int[] outSizes) where TOp : IReduceOp where T : unmanaged, INumber<T>
    {
        // Sums over outer dims add whole rows instead (Note [Outer reduction]).
        if (typeof(TOp) == typeof(SumReduce) && ReduceOuter.TryLayout(x, mask, out var outer))
            return ReduceOuter.Sum<T>(x, outer, outSizes);
        int run = 1;
        for (int d = 0; d < x.Dim; d++) if (mask[d]) run *= x.Sizes[d];
        // The runs in place when the permuted view is dense, else a dense permuted copy.
        var source = PermutedIsDense(x, mask) ? x : Densify(x, mask);
        var result = Tensor.AllocateUninitialized(x.DType, outSizes);
        int count = ShapeUtil.Numel(outSizes);
        var body = new RunBody<TOp, T>(source.Storage, source.Offset, run, result.Storage);
        if (count > 1 && run > 0 && (long)count * run >= 2 * Elementwise.ParallelGrain) ParallelFor.For(count, Math.Max(1, Elementwise.ParallelGrain / Math.Max(run, 1)), ref body);
        else body.Run(0, count);
        GC.KeepAlive(source.Storage);
        GC.KeepAlive(result.Storage);
        return result;
    }

    private readonly struct RunBody<TOp, T>(Storage data, int offset, int run, Storage output) : IRangeBody where TOp : IReduceOp where T : unmanaged, INumber<T>
    {
        public void Run(int start, int end)
        {
            var x = data.Borrow<T>();
            var o = output.Borrow<T>();
            for (int i = start; i < end; i++) o[i] = TOp.Invoke<T>(x.Slice(offset + i * run, run));
        }
    }

    /// <summary>Whether the view with the reduced dims moved innermost is dense in row-major order.</summary>
    private static bool PermutedIsDense(Tensor x, bool[] mask)
    {
        int rank = x.Dim;
        foreach (int size in x.Sizes) if (size == 0) return false; // empty: the (empty) copy is simplest
        Span<int> sizes = rank <= 16 ? stackalloc int[rank] : new int[rank];
        Span<int> strides = rank <= 16 ? stackalloc int[rank] : new int[rank];
        int k = 0;
        for (int d = 0; d < rank; d++) if (!mask[d]) { sizes[k] = x.Sizes[d]; strides[k++] = x.Strides[d]; }
        for (int d = 0; d < rank; d++) if (mask[d]) { sizes[k] = x.Sizes[d]; strides[k++] = x.Strides[d]; }
        return ShapeUtil.IsContiguous(sizes, strides);
    }

    /// <summary>A dense copy of <paramref name="x"/> with the reduced dims moved innermost.</summary>
    private static Tensor Densify(Tensor x, bool[] mask)
    {
        var order = new int[x.Dim];
        int k = 0;
        for (int d = 0; d < x.Dim; d++) if (!mask[d]) order[k++] = d;
        for (int d = 0; d < x.Dim; d++) if (mask[d]) order[k++] = d;
        var sizes = new int[x.Dim];
        var strides = new int[x.Dim];
        for (int i = 0; i < order.Length; i++)
        {
            sizes[i] = x.Sizes[order[i]];
            strides[i] = x.Strides[order[i]];
        }
        var permuted = new Tensor(x.Storage, x.Offset, sizes, strides);
        var dense = Tensor.AllocateUninitialized(x.DType, sizes);
        Elementwise.Copy(permuted, dense);
        return dense;
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
