namespace SharpGrad.Autograd;

/// <summary>
/// Backward of a strided view of a base's memory (PyTorch's <c>AsStridedBackward0</c>), used for
/// views whose grad_fn is regenerated (Note [View regeneration]): the view's gradient is
/// scatter-added into a zero gradient laid out like the base (overlapping elements accumulate).
/// </summary>
internal sealed class AsStridedBackward0(int[] baseSizes, int[] baseStrides, int baseOffset, int[] viewSizes, int[] viewStrides, int viewOffset)
    : SingleOutputNode
{
    public override string Name => "AsStridedBackward0";

    protected override Tensor?[] Backward(Tensor grad)
    {
        if (GradMode.IsEnabled)
            throw new NotSupportedException("SharpGrad does not yet support double backward (createGraph) through a regenerated view (AsStridedBackward0).");
        int extent = Math.Max(Extent(baseSizes, baseStrides, baseOffset), Extent(viewSizes, viewStrides, viewOffset));
        var buffer = new double[extent];
        int n = ShapeUtil.Numel(viewSizes);
        for (int i = 0; i < n; i++) buffer[Offset(i, viewSizes, viewStrides, viewOffset)] += grad.GetDouble(i);
        var result = new double[ShapeUtil.Numel(baseSizes)];
        for (int i = 0; i < result.Length; i++) result[i] = buffer[Offset(i, baseSizes, baseStrides, baseOffset)];
        return [Tensor.FromSpan<double>(result, baseSizes, grad.DType, false)];
    }

    private static int Extent(int[] sizes, int[] strides, int offset)
    {
        int max = offset;
        for (int d = 0; d < sizes.Length; d++) max += (sizes[d] - 1) * strides[d];
        return max + 1;
    }

    private static int Offset(int flat, int[] sizes, int[] strides, int offset)
    {
        for (int d = sizes.Length - 1; d >= 0; d--)
        {
            offset += flat % sizes[d] * strides[d];
            flat /= sizes[d];
        }
        return offset;
    }
}
