using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// <c>out = this</c>, then the positions where <paramref name="mask"/> is true, in row-major order,
    /// take the elements of <paramref name="source"/> one after another, <c>tensor.masked_scatter(mask, source)</c>
    /// (node <c>MaskedScatterBackward0</c>). This tensor and the Bool mask broadcast together;
    /// <paramref name="source"/> (of this tensor's dtype, any shape) needs at least as many elements as
    /// the mask has true entries.
    /// </summary>
    /// <remarks>PyTorch 1.13 reads a non-Bool mask without checking it; here it is an error (later PyTorch's text).</remarks>
    public Tensor MaskedScatter(Tensor mask, Tensor source)
    {
        using var scope = Profiler.Op("aten::masked_scatter", this, mask, source);
        if (source.DType != DType)
            throw new InvalidOperationException(
                $"masked_scatter: expected self and source to have same dtypes but got{DType.ScalarTypeName()} and {source.DType.ScalarTypeName()}");
        var (sizes, positions) = MaskPositions(mask,
            $"masked_scatter_ only supports boolean masks, but got mask with dtype {mask.DType.ScalarTypeName()}");
        if (source.Numel < positions.Length)
            throw new InvalidOperationException("Number of elements of source < number of ones in mask");
        var result = Allocate(DType, sizes);
        Elementwise.Copy(this, result);
        IndexKernels.ScatterBlocks(result, positions, source, 1, accumulate: false);
        if (Graph.NeedsGrad(this, source))
        {
            var node = new MaskedScatterBackward0(source.Sizes);
            node.Mask = node.Save(mask);
            Graph.Record(node, result, this, source);
        }
        return result;
    }
}

public static partial class Torch
{
    /// <summary><paramref name="input"/> with the elements of <paramref name="source"/> written where <paramref name="mask"/> is true, <c>torch.masked_scatter</c>.</summary>
    public static Tensor MaskedScatter(Tensor input, Tensor mask, Tensor source) => input.MaskedScatter(mask, source);
}

internal sealed class MaskedScatterBackward0(int[] sourceSizes) : SingleOutputNode
{
    public SavedTensor? Mask;

    public override string Name => "MaskedScatterBackward0";

    // self: grad.masked_fill(mask, 0)
    // source: grad.masked_select(mask), padded with zeros to source.numel(), viewed as source.sizes()
    protected override Tensor?[] Backward(Tensor grad)
    {
        var mask = Mask!.Unpack();
        Tensor? source = null;
        if (NextEdges[1].IsValid)
        {
            var selected = grad.MaskedSelect(mask);
            int missing = ShapeUtil.Numel(sourceSizes) - selected.Numel;
            if (missing > 0) selected = Torch.Cat([selected, Torch.Zeros([missing], grad.DType)]);
            source = selected.View(sourceSizes);
        }
        return [NextEdges[0].IsValid ? grad.MaskedFill(mask, 0) : null, source];
    }

    // self_t.masked_scatter(mask, source_t), zeros for a missing tangent
    internal override Tensor? Jvp(Tensor?[] t)
    {
        var dtype = InputMeta[0].DType;
        var self = t[0] ?? Torch.Zeros(OutputSizes, dtype);
        var source = t[1] ?? Torch.Zeros(sourceSizes, dtype);
        return self.MaskedScatter(Mask!.Unpack(), source.To(self.DType));
    }
}
