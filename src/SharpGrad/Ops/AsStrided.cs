using SharpGrad.Autograd;

namespace SharpGrad;

/// <summary>The geometry of a strided view: sizes, strides and absolute storage offset.</summary>
internal sealed record AsStridedGeometry(int[] Sizes, int[] Strides, int Offset)
{
    public int Numel => ShapeUtil.Numel(Sizes);

    /// <summary>The last storage index the geometry touches, or null when it has no elements.</summary>
    public static long? Extent(int[] sizes, int[] strides, int offset)
    {
        long last = offset;
        for (int d = 0; d < sizes.Length; d++)
        {
            if (sizes[d] == 0) return null;
            last += (long)(sizes[d] - 1) * strides[d];
        }
        return last;
    }

    /// <summary>The storage index of every element in row-major order, minus <paramref name="origin"/>.</summary>
    public long[] Positions(int origin)
    {
        var positions = new long[Numel];
        var index = new int[Sizes.Length];
        long position = Offset - origin;
        for (int n = 0; n < positions.Length; n++)
        {
            positions[n] = position;
            for (int d = Sizes.Length - 1; d >= 0; d--)
            {
                position += Strides[d];
                if (++index[d] < Sizes[d]) break;
                position -= (long)Strides[d] * Sizes[d];
                index[d] = 0;
            }
        }
        return positions;
    }
}

/// <summary>
/// Note [As-strided backward]: the output may read a storage element several times (overlap) and
/// the input may cover storage the output never reads, so the gradient goes through the storage:
/// scatter-add <c>grad</c> at the output's storage positions into a zero buffer spanning both
/// geometries (<see cref="Tensor.IndexAdd"/>, so repeated positions accumulate), then read that
/// buffer with the input's geometry. When the input itself overlaps (an expanded tensor), each
/// storage element's gradient is shared equally by the input elements that alias it, as in
/// PyTorch, so that summing over the aliases (ExpandBackward0) gives the storage gradient once.
/// </summary>
internal sealed class AsStridedBackward0(AsStridedGeometry input, AsStridedGeometry output) : SingleOutputNode
{
    public override string Name => "AsStridedBackward0";

    // The same geometry over the tangent, which has the input's layout (Note [Tangent layout]).
    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.AsStrided(output.Sizes, output.Strides, output.Offset - input.Offset + t[0]!.Offset);

    protected override Tensor?[] Backward(Tensor grad)
    {
        if (input.Numel == 0) return [Torch.Zeros(input.Sizes, grad.DType)];
        long last = AsStridedGeometry.Extent(input.Sizes, input.Strides, input.Offset)!.Value;
        int origin = input.Offset;
        if (AsStridedGeometry.Extent(output.Sizes, output.Strides, output.Offset) is { } outLast)
        {
            last = Math.Max(last, outLast);
            origin = Math.Min(origin, output.Offset);
        }
        int length = (int)(last - origin + 1);
        var outPositions = Torch.Tensor(output.Positions(origin));
        var storage = Torch.Zeros([length], grad.DType).IndexAdd(0, outPositions, grad.Reshape(-1));
        var result = storage.AsStrided(input.Sizes, input.Strides, input.Offset - origin);

        var inPositions = input.Positions(origin);
        var counts = new double[length];
        bool overlaps = false;
        foreach (long p in inPositions) overlaps |= ++counts[p] > 1;
        if (!overlaps) return [result];
        var shares = new double[inPositions.Length];
        for (int i = 0; i < shares.Length; i++) shares[i] = counts[inPositions[i]];
        return [result / Torch.Tensor<double>(shares, input.Sizes, grad.DType)];
    }
}
