using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// The elements <c>this[i]</c> where <c>mask[i]</c> is true, in row-major order, as a 1-D tensor,
    /// <c>tensor.masked_select(mask)</c> (node <c>MaskedSelectBackward0</c>). This tensor and the Bool
    /// <paramref name="mask"/> broadcast together first.
    /// </summary>
    public Tensor MaskedSelect(Tensor mask)
    {
        using var scope = Profiler.Op("aten::masked_select", this, mask);
        var (sizes, positions) = MaskPositions(mask, "masked_select: expected BoolTensor or ByteTensor for mask");
        var result = Allocate(DType, [positions.Length]);
        var expanded = Allocate(DType, sizes);
        Elementwise.Copy(this, expanded);
        IndexKernels.GatherBlocks(expanded, expanded.Numel, positions, result, 1, 1);
        if (Graph.NeedsGrad(this))
        {
            var node = new MaskedSelectBackward0(sizes);
            node.Mask = node.Save(mask);
            Graph.Record(node, result, this);
        }
        return result;
    }

    /// <summary>
    /// The shape this tensor and <paramref name="mask"/> broadcast to, and the flat row-major positions of
    /// the mask's true entries in it; <paramref name="dtypeError"/> when the mask is not Bool.
    /// </summary>
    internal (int[] Sizes, long[] Positions) MaskPositions(Tensor mask, string dtypeError)
    {
        if (mask.DType != DType.Bool) throw new InvalidOperationException(dtypeError);
        var sizes = ShapeUtil.Broadcast(mask.Sizes, Sizes);
        var dense = Allocate(DType.Bool, sizes);
        Elementwise.Copy(mask, dense);
        return (sizes, IndexKernels.TruePositions(dense.Storage.As<bool>()));
    }
}

public static partial class Torch
{
    /// <summary>The elements of <paramref name="input"/> where <paramref name="mask"/> is true, as a 1-D tensor, <c>torch.masked_select(input, mask)</c>.</summary>
    public static Tensor MaskedSelect(Tensor input, Tensor mask) => input.MaskedSelect(mask);
}

internal sealed class MaskedSelectBackward0(int[] broadcastSizes) : SingleOutputNode
{
    public SavedTensor? Mask;

    public override string Name => "MaskedSelectBackward0";

    // self: zeros_like(self.expand(broadcast sizes)).masked_scatter(mask, grad) (the engine sums the broadcast)
    protected override Tensor?[] Backward(Tensor grad) =>
        [Torch.Zeros(broadcastSizes, grad.DType).MaskedScatter(Mask!.Unpack(), grad)];

    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.MaskedSelect(Mask!.Unpack());
}
