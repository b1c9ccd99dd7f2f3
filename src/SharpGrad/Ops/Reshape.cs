using SharpGrad.Autograd;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// A view with a new shape over the same elements, <c>tensor.view(shape)</c>; one size may be
    /// -1. Fails when the strides cannot express the new shape (use <see cref="Reshape"/>).
    /// </summary>
    public Tensor View(params int[] shape)
    {
        using var scope = Profiler.Op("aten::view", this);
        var sizes = InferSize(shape);
        var strides = ComputeViewStrides(sizes) ?? throw new InvalidOperationException(
            "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        var original = Sizes;
        return View(Offset, sizes, strides, () => new ViewBackward0(original));
    }

    /// <summary>
    /// A tensor with a new shape: a view when the strides allow, else a copy, <c>tensor.reshape(shape)</c>.
    /// </summary>
    public Tensor Reshape(params int[] shape)
    {
        using var scope = Profiler.Op("aten::reshape", this);
        var sizes = InferSize(shape);
        if (ComputeViewStrides(sizes) is { } strides)
        {
            var original = Sizes;
            return View(Offset, sizes, strides, () => new ReshapeAliasBackward0(original));
        }
        return Clone().UnsafeView(sizes);
    }

    /// <summary>
    /// This contiguous tensor re-shaped to <paramref name="sizes"/> over the same storage without
    /// becoming a view of it, PyTorch's <c>torch._unsafe_view</c> (node <c>UnsafeViewBackward0</c>):
    /// what reshape does to its copy, and matmul to its fresh products. Only for fresh contiguous
    /// results that no caller can see, since the two tensors do not know they alias.
    /// </summary>
    internal Tensor UnsafeView(int[] sizes)
    {
        var result = new Tensor(Storage, Offset, sizes, ShapeUtil.ContiguousStrides(sizes), Version);
        if (Graph.NeedsGrad(this)) Graph.Record(new UnsafeViewBackward0(Sizes), result, this);
        return result;
    }

    /// <summary>This tensor reshaped like <paramref name="other"/>, <c>tensor.view_as(other)</c>.</summary>
    public Tensor ViewAs(Tensor other)
    {
        using var scope = Profiler.Op("aten::view_as", this, other);
        return View(other.Sizes);
    }

    /// <summary>This tensor reshaped like <paramref name="other"/>, <c>tensor.reshape_as(other)</c>.</summary>
    public Tensor ReshapeAs(Tensor other)
    {
        using var scope = Profiler.Op("aten::reshape_as", this, other);
        return Reshape(other.Sizes);
    }

    private int[] InferSize(int[] shape)
    {
        int numel = Numel, known = 1, infer = -1;
        var sizes = (int[])shape.Clone();
        for (int i = 0; i < sizes.Length; i++)
        {
            if (sizes[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException("only one dimension can be inferred");
                infer = i;
            }
            else if (sizes[i] < 0) throw new ArgumentException($"invalid shape dimension {sizes[i]}");
            else known *= sizes[i];
        }
        if (infer >= 0 && known != 0 && numel % known == 0) sizes[infer] = numel / known;
        else if (known != numel || infer >= 0)
            throw new ArgumentException($"shape '{ShapeUtil.Format(shape)}' is invalid for input of size {numel}");
        return sizes;
    }

    /// <summary>Strides giving <paramref name="newSizes"/> over the same memory, or null (PyTorch's computeStride).</summary>
    private int[]? ComputeViewStrides(int[] newSizes)
    {
        if (Numel == 0 || Sizes.Length == 0 || IsContiguous) return ShapeUtil.ContiguousStrides(newSizes);
        var newStrides = new int[newSizes.Length];
        int viewD = newSizes.Length - 1;
        int chunkBase = Strides[^1];
        int tensorNumel = 1, viewNumel = 1;
        for (int d = Sizes.Length - 1; d >= 0; d--)
        {
            tensorNumel *= Sizes[d];
            if (d == 0 || (Sizes[d - 1] != 1 && Strides[d - 1] != tensorNumel * chunkBase))
            {
                while (viewD >= 0 && (viewNumel < tensorNumel || newSizes[viewD] == 1))
                {
                    newStrides[viewD] = viewNumel * chunkBase;
                    viewNumel *= newSizes[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0)
                {
                    chunkBase = Strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? newStrides : null;
    }
}

internal sealed class ViewBackward0(int[] selfSizes) : SingleOutputNode
{
    public override string Name => "ViewBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [grad.Reshape(selfSizes)];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.Reshape(OutputSizes); // a view: the tangent has the primal's layout
}

internal sealed class ReshapeAliasBackward0(int[] selfSizes) : SingleOutputNode
{
    public override string Name => "ReshapeAliasBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [grad.Reshape(selfSizes)];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.Reshape(OutputSizes);
}

internal sealed class UnsafeViewBackward0(int[] selfSizes) : SingleOutputNode
{
    public override string Name => "UnsafeViewBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [grad.Reshape(selfSizes)];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.Reshape(OutputSizes);
}
