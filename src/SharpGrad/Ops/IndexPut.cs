using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// <c>out = this</c>, then <c>out[indices] = values</c> (<c>+=</c> when <paramref name="accumulate"/>, repeated
    /// positions adding up), <c>tensor.index_put(indices, values, accumulate)</c> (node <c>IndexPutBackward0</c>):
    /// Python's <c>x[indices] = values</c> without the write.
    /// </summary>
    /// <remarks>
    /// Note [Advanced indexing]: the index tensors apply to the leading dims, in order: an Int64 tensor
    /// indexes one dim (negative values count from the end), a Bool mask as many dims as it has, its
    /// shape matching theirs. The Int64 tensors (a mask becomes one per dim, its true positions) broadcast
    /// together to a shape B, and the indexed elements form a tensor of shape B followed by the dims not
    /// indexed; <paramref name="values"/> must broadcast to that shape and have this tensor's dtype. As in
    /// PyTorch, a single mask with a one-element <paramref name="values"/> (and no accumulation) is a
    /// masked fill, which converts the value to this dtype. A lone 0-dim Bool index acts as Python's
    /// <c>x[True]</c> (a new leading dim of size 1, or 0 for false). Index tensors of another dtype, a
    /// 0-dim Bool index among others and an empty index list are errors. For Bool tensors accumulation is
    /// logical or.
    /// </remarks>
    public Tensor IndexPut(Tensor[] indices, Tensor values, bool accumulate = false)
    {
        using var scope = Profiler.Op("aten::index_put", this, indices, values);
        var (positions, indexedSizes, inner) = PlanAdvancedIndex(indices);
        bool maskFill = !accumulate && indices.Length == 1 && indices[0].DType == DType.Bool && values.Numel == 1;
        if (!maskFill && values.DType != DType)
            throw new InvalidOperationException(
                $"Index put requires the source and destination dtypes match, got {DType.ScalarTypeName()} for the destination and {values.DType.ScalarTypeName()} for the source.");
        if (!ShapeUtil.SameShape(BroadcastOrNull(values.Sizes, indexedSizes) ?? [], indexedSizes))
            throw new InvalidOperationException(
                $"shape mismatch: value tensor of shape {ShapeUtil.Format(values.Sizes)} cannot be broadcast to indexing result of shape {ShapeUtil.Format(indexedSizes)}");
        var result = CopyRaw();
        var source = Allocate(DType, indexedSizes);
        Elementwise.Copy(values, source);
        IndexKernels.ScatterBlocks(result, positions, source, inner, accumulate);
        if (Graph.NeedsGrad(this, values))
        {
            var node = new IndexPutBackward0(accumulate);
            node.SaveIndices(indices);
            Graph.Record(node, result, this, values);
        }
        return result;
    }

    /// <summary>
    /// <c>out = this[indices]</c> with index tensors, PyTorch's advanced indexing (<c>x[idx]</c> in Python,
    /// <c>Tensor::index</c> in C++; node <c>IndexBackward0</c>): a copy of the indexed elements, of shape B
    /// followed by the dims not indexed (Note [Advanced indexing] on <see cref="IndexPut"/>).
    /// </summary>
    public Tensor Index(params Tensor[] indices)
    {
        using var scope = Profiler.Op("aten::index", this, indices);
        var (positions, indexedSizes, inner) = PlanAdvancedIndex(indices);
        var result = Allocate(DType, indexedSizes);
        IndexKernels.GatherBlocks(this, inner == 0 ? 0 : Numel / inner, positions, result, 1, inner);
        if (Graph.NeedsGrad(this))
        {
            var node = new IndexBackward0(Sizes);
            node.SaveIndices(indices);
            Graph.Record(node, result, this);
        }
        return result;
    }

    /// <summary>
    /// Validates <paramref name="indices"/> with PyTorch's errors and returns, for every indexed position
    /// (in the row-major order of B), its row in this tensor viewed as <c>[rows, inner]</c>, where
    /// <c>inner</c> is the number of elements of the dims not indexed; and the indexed shape.
    /// </summary>
    private (long[] Positions, int[] IndexedSizes, int Inner) PlanAdvancedIndex(Tensor[] indices)
    {
        if (indices.Length == 0) throw new ArgumentException("index tensors expected: at least one is needed");
        if (indices is [{ DType: DType.Bool, Dim: 0 } flag])
        {
            // Python's x[True] / x[False]: a new leading dim of size 1 or 0, then the mask.
            bool set = flag.Item<bool>();
            return (set ? [0] : [], [set ? 1 : 0, .. Sizes], Numel);
        }
        int consumed = 0;
        foreach (var index in indices)
        {
            if (index.DType is not (DType.Int64 or DType.Bool))
                throw new IndexOutOfRangeException("tensors used as indices must be long, byte or bool tensors");
            if (index.DType == DType.Bool && index.Dim == 0)
                throw new NotSupportedException("a 0-dim bool index is only supported as the only index");
            consumed += index.DType == DType.Bool ? index.Dim : 1;
        }
        if (consumed > Dim)
            throw new IndexOutOfRangeException($"too many indices for tensor of dimension {Dim} (got {consumed})");

        // One Int64 coordinate tensor per indexed dim; a mask expands to the coordinates of its true entries.
        var coordinates = new List<Tensor>();
        foreach (var index in indices)
        {
            if (index.DType == DType.Int64) { coordinates.Add(index); continue; }
            for (int j = 0; j < index.Dim; j++)
                if (index.Sizes[j] != Sizes[coordinates.Count + j])
                    throw new IndexOutOfRangeException(
                        $"The shape of the mask {ShapeUtil.Format(index.Sizes)} at index {j} does not match the shape of the indexed tensor {ShapeUtil.Format(Sizes)} at index {coordinates.Count + j}");
            coordinates.AddRange(MaskCoordinates(index));
        }
        int[] batch = [];
        foreach (var c in coordinates)
            batch = BroadcastOrNull(batch, c.Sizes) ?? throw new IndexOutOfRangeException(
                "shape mismatch: indexing tensors could not be broadcast together with shapes " +
                string.Join(", ", coordinates.Select(t => ShapeUtil.Format(t.Sizes))));

        int k = coordinates.Count;
        var positions = new long[ShapeUtil.Numel(batch)];
        long rowStride = 1;
        for (int d = k - 1; d >= 0; d--)
        {
            var values = Allocate(DType.Int64, batch);
            Elementwise.Copy(coordinates[d], values);
            var v = values.Storage.As<long>();
            int size = Sizes[d];
            for (int i = 0; i < v.Length; i++)
            {
                long c = v[i];
                if (c < -size || c >= size)
                    throw new IndexOutOfRangeException($"index {c} is out of bounds for dimension {d} with size {size}");
                positions[i] += (c < 0 ? c + size : c) * rowStride;
            }
            rowStride *= size;
        }
        int[] rest = Sizes[k..];
        return (positions, [.. batch, .. rest], ShapeUtil.Numel(rest));
    }

    /// <summary>The coordinates of a mask's true entries: one 1-D Int64 tensor per mask dim.</summary>
    private static Tensor[] MaskCoordinates(Tensor mask)
    {
        var flat = IndexKernels.TruePositions(mask.ContiguousData<bool>());
        var result = new Tensor[mask.Dim];
        long stride = 1;
        for (int j = mask.Dim - 1; j >= 0; j--)
        {
            result[j] = Allocate(DType.Int64, [flat.Length]);
            var c = result[j].Storage.As<long>();
            for (int i = 0; i < flat.Length; i++) c[i] = flat[i] / stride % mask.Sizes[j];
            stride *= mask.Sizes[j];
        }
        return result;
    }

    /// <summary>The broadcast shape of <paramref name="a"/> and <paramref name="b"/>, or null when they do not broadcast.</summary>
    private static int[]? BroadcastOrNull(int[] a, int[] b)
    {
        try { return ShapeUtil.Broadcast(a, b); }
        catch (ArgumentException) { return null; }
    }
}

public static partial class Torch
{
    /// <summary><paramref name="input"/> with <c>input[indices] = values</c> (or <c>+=</c>), <c>torch.index_put(input, indices, values, accumulate)</c>.</summary>
    public static Tensor IndexPut(Tensor input, Tensor[] indices, Tensor values, bool accumulate = false) =>
        input.IndexPut(indices, values, accumulate);
}

/// <summary>Saves the index tensors of an advanced-indexing node (constants, checked for in-place changes).</summary>
internal abstract class AdvancedIndexBackward : SingleOutputNode
{
    private SavedTensor[] _indices = [];

    public void SaveIndices(Tensor[] indices) => _indices = indices.Select(i => Save(i)).ToArray();

    protected Tensor[] Indices() => _indices.Select(i => i.Unpack()).ToArray();
}

internal sealed class IndexPutBackward0(bool accumulate) : AdvancedIndexBackward
{
    public override string Name => "IndexPutBackward0";

    // self: accumulate ? grad : grad.index_put(indices, zeros_like(values), false);  values: grad.index(indices)
    // (a 0-dim zero broadcasts like zeros_like(values) and always has grad's dtype)
    protected override Tensor?[] Backward(Tensor grad)
    {
        var indices = Indices();
        Tensor? self = null;
        if (NextEdges[0].IsValid) self = accumulate ? grad : grad.IndexPut(indices, Tensor.Allocate(grad.DType, []));
        return [self, NextEdges[1].IsValid ? grad.Index(indices) : null];
    }

    // self_t.index_put(indices, values_t, accumulate), zeros for a missing tangent
    internal override Tensor? Jvp(Tensor?[] t)
    {
        var self = t[0] ?? Torch.Zeros(OutputSizes, InputMeta[0].DType);
        var values = t[1] ?? Tensor.Allocate(self.DType, []);
        return self.IndexPut(Indices(), values.To(self.DType), accumulate);
    }
}

internal sealed class IndexBackward0(int[] selfSizes) : AdvancedIndexBackward
{
    public override string Name => "IndexBackward0";

    // self: zeros(self.sizes()).index_put(indices, grad, accumulate=true)
    protected override Tensor?[] Backward(Tensor grad) =>
        [Torch.Zeros(selfSizes, grad.DType).IndexPut(Indices(), grad, accumulate: true)];

    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.Index(Indices());
}
