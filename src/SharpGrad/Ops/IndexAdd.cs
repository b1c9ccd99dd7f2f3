using System.Numerics;
using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad;

/// <summary>
/// Note [Scatter-add primitive]: <see cref="Tensor.IndexAdd"/> and <see cref="Tensor.IndexSelect"/>
/// are each other's backward, so every gradient that scatters into a bigger zero tensor (select,
/// slice, as_strided) is written with them in Tensor ops and double backward comes for free.
/// </summary>
public sealed partial class Tensor
{
    /// <summary>
    /// <c>out[..., i, ...] = this[..., index[i], ...]</c> along <paramref name="dim"/>: a copy of the
    /// chosen slices, <c>tensor.index_select(dim, index)</c>. <paramref name="index"/> is a 0-D or 1-D
    /// Int64/Int32 tensor.
    /// </summary>
    public Tensor IndexSelect(int dim, Tensor index)
    {
        using var scope = Profiler.Op("aten::index_select", this, index);
        int d = ShapeUtil.WrapDim(dim, Dim);
        if (!index.DType.IsInteger())
            throw new InvalidOperationException("index_select(): Expected dtype int32 or int64 for index");
        if (index.Dim > 1)
            throw new IndexOutOfRangeException("index_select(): Index is supposed to be a vector");
        var idx = index.ToArray<long>();
        int size = Dim == 0 ? 1 : Sizes[d];
        foreach (long i in idx)
            if (i < 0 || i >= size)
                throw Dim == 0
                    ? new IndexOutOfRangeException("index out of range in self")
                    : new InvalidOperationException($"INDICES element is out of DATA bounds, id={i} axis_dim={size}");

        Tensor result;
        if (Dim == 0) result = CopyRaw();
        else
        {
            var sizes = (int[])Sizes.Clone();
            sizes[d] = idx.Length;
            result = Allocate(DType, sizes);
            var (outer, inner) = OuterInner(Sizes, d);
            IndexKernels.GatherBlocks(this, size, idx, result, outer, inner);
        }
        if (Graph.NeedsGrad(this))
        {
            var node = new IndexSelectBackward0(Sizes, d);
            node.Index = node.Save(index);
            Graph.Record(node, result, this);
        }
        return result;
    }

    /// <summary>
    /// <c>out = this</c>, then <c>out[..., index[i], ...] += alpha * source[..., i, ...]</c> along
    /// <paramref name="dim"/> (repeated indices accumulate), <c>tensor.index_add(dim, index, source, alpha=alpha)</c>.
    /// </summary>
    /// <remarks>Slices of <paramref name="source"/> broadcast to slices of this tensor. For bool tensors addition is logical or.</remarks>
    public Tensor IndexAdd(int dim, Tensor index, Tensor source, Scalar? alpha = null)
    {
        using var scope = Profiler.Op("aten::index_add", this, index, source);
        int d = ShapeUtil.WrapDim(dim, Dim);
        if (!index.DType.IsInteger())
            throw new InvalidOperationException($"index_add_(): Expected dtype int32/int64 for index but got: {index.DType.ScalarTypeName()}");
        if (index.Dim > 1)
            throw new IndexOutOfRangeException(
                $"index_add_(): Index is supposed to be a vector, but got dim: {index.Dim} with type: {index.DType.ScalarTypeName()} and size: {ShapeUtil.Format(index.Sizes)}");
        if (source.DType != DType)
            throw new InvalidOperationException(
                $"index_add_(): self ({DType.ScalarTypeName()}) and source ({source.DType.ScalarTypeName()}) must have the same scalar type");
        int n = index.Numel;
        int sourceDimSize = source.Dim == 0 ? 1 : source.Sizes[ShapeUtil.WrapDim(d, source.Dim)];
        if (n != sourceDimSize)
            throw new InvalidOperationException(
                $"index_add_(): Number of indices ({n}) should be equal to source.size(dim): ({sourceDimSize}), for dim: {d}");
        int[] selfSizes = Dim == 0 ? [1] : Sizes;
        int[] fullSource = (int[])selfSizes.Clone();
        fullSource[d] = n;
        if (source.Dim > 0) CheckSliceShapes(selfSizes, source.Sizes, d);
        var idx = index.ToArray<long>();
        foreach (long i in idx)
            if (i < 0 || i >= selfSizes[d]) throw new IndexOutOfRangeException("index out of range in self");

        var result = CopyRaw();
        var src = Allocate(DType, fullSource);
        Elementwise.Copy(source, src);
        var (outer, inner) = OuterInner(selfSizes, d);
        double a = alpha?.Value ?? 1;
        switch (DType)
        {
            case DType.Float32: AddKernel<float>(result, selfSizes[d], idx, src, a, outer, inner); break;
            case DType.Float64: AddKernel<double>(result, selfSizes[d], idx, src, a, outer, inner); break;
            case DType.Int64: AddKernel<long>(result, selfSizes[d], idx, src, a, outer, inner); break;
            case DType.Int32: AddKernel<int>(result, selfSizes[d], idx, src, a, outer, inner); break;
            default: IndexKernels.Or(result.Storage.As<bool>(), selfSizes[d], idx, src.Storage.As<bool>(), a != 0, outer, inner); break;
        }
        if (Graph.NeedsGrad(this, source))
        {
            var node = new IndexAddBackward0(d, alpha, Dim == 0, source.Sizes);
            node.Index = node.Save(index);
            Graph.Record(node, result, this, source);
        }
        return result;
    }

    private static void AddKernel<T>(Tensor result, int dimSize, long[] idx, Tensor src, double alpha, int outer, int inner)
        where T : INumber<T> =>
        IndexKernels.Add<T>(result.Storage.As<T>(), dimSize, idx, src.Storage.As<T>(), T.CreateTruncating(alpha), outer, inner);

    /// <summary>Source slices (all dims but <paramref name="dim"/>) must broadcast to the target's slices.</summary>
    private static void CheckSliceShapes(int[] target, int[] source, int dim)
    {
        int[] a = [.. target[..dim], .. target[(dim + 1)..]];
        int[] b = source.Length == target.Length ? [.. source[..dim], .. source[(dim + 1)..]] : source;
        var shape = ShapeUtil.Broadcast(a, b);
        if (!ShapeUtil.SameShape(shape, a))
            for (int i = 0; i < a.Length; i++)
                if (a[i] != shape[i])
                    throw new ArgumentException(
                        $"The size of tensor a ({a[i]}) must match the size of tensor b ({shape[i]}) at non-singleton dimension {i}");
    }

    /// <summary>The products of the sizes before and after <paramref name="dim"/>.</summary>
    private static (int Outer, int Inner) OuterInner(int[] sizes, int dim)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < dim; i++) outer *= sizes[i];
        for (int i = dim + 1; i < sizes.Length; i++) inner *= sizes[i];
        return (outer, inner);
    }
}

public static partial class Torch
{
    /// <summary>The slices of <paramref name="input"/> at <paramref name="index"/> along <paramref name="dim"/>, <c>torch.index_select</c>.</summary>
    public static Tensor IndexSelect(Tensor input, int dim, Tensor index) => input.IndexSelect(dim, index);

    /// <summary><paramref name="input"/> with <c>alpha * source</c> slices added at <paramref name="index"/>, <c>torch.index_add</c>.</summary>
    public static Tensor IndexAdd(Tensor input, int dim, Tensor index, Tensor source, Scalar? alpha = null) =>
        input.IndexAdd(dim, index, source, alpha);
}

internal sealed class IndexSelectBackward0(int[] selfSizes, int dim) : SingleOutputNode
{
    public SavedTensor? Index;
    public override string Name => "IndexSelectBackward0";

    // self: zeros(self.sizes()).index_add(dim, index, grad)
    protected override Tensor?[] Backward(Tensor grad)
    {
        var index = Index!.Unpack();
        if (selfSizes.Length == 0) return [grad];
        return [Torch.Zeros(selfSizes, grad.DType).IndexAdd(dim, index, grad)];
    }

    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.IndexSelect(dim, Index!.Unpack());
}

internal sealed class IndexAddBackward0(int dim, Scalar? alpha, bool selfIsScalar, int[] sourceSizes) : SingleOutputNode
{
    public SavedTensor? Index;
    public override string Name => "IndexAddBackward0";

    // self: grad;  source: grad.index_select(dim, index) * alpha (broadcast slices are summed by the engine)
    protected override Tensor?[] Backward(Tensor grad)
    {
        Tensor? source = null;
        if (NextEdges[1].IsValid)
        {
            var g = selfIsScalar ? grad.Reshape(1) : grad;
            source = g.IndexSelect(dim, Index!.Unpack());
            if (alpha is { } a && a.Value != 1) source = source * a;
            if (selfIsScalar) source = source.Reshape(sourceSizes);
        }
        return [grad, source];
    }

    // self_t.index_add(dim, index, source_t, alpha), zeros for a missing tangent
    internal override Tensor? Jvp(Tensor?[] t)
    {
        var dtype = InputMeta[0].DType;
        var self = t[0] ?? Torch.Zeros(OutputSizes, dtype);
        if (t[1] is not { } source) return self;
        return self.IndexAdd(dim, Index!.Unpack(), source.To(self.DType), alpha);
    }
}
