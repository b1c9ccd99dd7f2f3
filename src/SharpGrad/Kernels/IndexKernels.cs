using System.Numerics;

namespace SharpGrad.Kernels;

/// <summary>
/// Gather and scatter-add of whole slices along one dim, on contiguous buffers viewed as
/// <c>[outer, dimSize, inner]</c>. No autograd, no validation (the ops check first).
/// </summary>
internal static class IndexKernels
{
    /// <summary><c>output[o, i, k] = source[o, index[i], k]</c>.</summary>
    public static void Select<T>(ReadOnlySpan<T> source, int sourceDim, ReadOnlySpan<long> index, Span<T> output, int outer, int inner)
    {
        int n = index.Length;
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < n; i++)
                source.Slice((o * sourceDim + (int)index[i]) * inner, inner).CopyTo(output.Slice((o * n + i) * inner, inner));
    }

    /// <summary><c>target[o, index[i], k] += alpha * source[o, i, k]</c>, accumulating repeated indices.</summary>
    public static void Add<T>(Span<T> target, int targetDim, ReadOnlySpan<long> index, ReadOnlySpan<T> source, T alpha, int outer, int inner)
        where T : INumber<T>
    {
        int n = index.Length;
        bool unit = alpha == T.One;
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < n; i++)
            {
                var dst = target.Slice((o * targetDim + (int)index[i]) * inner, inner);
                var src = source.Slice((o * n + i) * inner, inner);
                if (unit)
                    for (int k = 0; k < inner; k++) dst[k] += src[k];
                else
                    for (int k = 0; k < inner; k++) dst[k] += alpha * src[k];
            }
    }

    /// <summary>Bool version of <see cref="Add{T}"/>: addition of booleans is logical or.</summary>
    public static void Or(Span<bool> target, int targetDim, ReadOnlySpan<long> index, ReadOnlySpan<bool> source, bool alpha, int outer, int inner)
    {
        int n = index.Length;
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < n; i++)
            {
                var dst = target.Slice((o * targetDim + (int)index[i]) * inner, inner);
                var src = source.Slice((o * n + i) * inner, inner);
                for (int k = 0; k < inner; k++) dst[k] |= alpha && src[k];
            }
    }

    /// <summary><c>target[index[i], k] = source[i, k]</c>: a repeated index keeps the last write.</summary>
    public static void Put<T>(Span<T> target, ReadOnlySpan<long> index, ReadOnlySpan<T> source, int inner)
    {
        for (int i = 0; i < index.Length; i++)
            source.Slice(i * inner, inner).CopyTo(target.Slice((int)index[i] * inner, inner));
    }

    /// <summary>The flat row-major positions of the true entries of <paramref name="mask"/>.</summary>
    public static long[] TruePositions(ReadOnlySpan<bool> mask)
    {
        var positions = new List<long>();
        for (int i = 0; i < mask.Length; i++) if (mask[i]) positions.Add(i);
        return positions.ToArray();
    }

    /// <summary>
    /// <c>output[o, i, k] = source[o, positions[i], k]</c> (<see cref="Select{T}"/>) for any dtype:
    /// <paramref name="source"/> any tensor viewed as <c>[outer, rows, inner]</c>, <paramref name="output"/>
    /// a fresh contiguous tensor of the same dtype.
    /// </summary>
    public static void GatherBlocks(Tensor source, int rows, ReadOnlySpan<long> positions, Tensor output, int outer, int inner)
    {
        switch (output.DType)
        {
            case DType.Float32: Select(source.ContiguousData<float>(), rows, positions, output.Storage.As<float>(), outer, inner); break;
            case DType.Float64: Select(source.ContiguousData<double>(), rows, positions, output.Storage.As<double>(), outer, inner); break;
            case DType.Int64: Select(source.ContiguousData<long>(), rows, positions, output.Storage.As<long>(), outer, inner); break;
            case DType.Int32: Select(source.ContiguousData<int>(), rows, positions, output.Storage.As<int>(), outer, inner); break;
            default: Select(source.ContiguousData<bool>(), rows, positions, output.Storage.As<bool>(), outer, inner); break;
        }
    }

    /// <summary>
    /// <c>target[positions[i], k] = source[i, k]</c> (or <c>+=</c> when <paramref name="accumulate"/>, logical or
    /// for Bool) for blocks of <paramref name="inner"/> elements: <paramref name="target"/> a fresh contiguous
    /// tensor, <paramref name="source"/> any tensor of the same dtype with one block per position.
    /// </summary>
    public static void ScatterBlocks(Tensor target, ReadOnlySpan<long> positions, Tensor source, int inner, bool accumulate)
    {
        int rows = inner == 0 ? 0 : target.Numel / inner;
        switch (target.DType)
        {
            case DType.Float32: Scatter<float>(target, rows, positions, source, inner, accumulate); break;
            case DType.Float64: Scatter<double>(target, rows, positions, source, inner, accumulate); break;
            case DType.Int64: Scatter<long>(target, rows, positions, source, inner, accumulate); break;
            case DType.Int32: Scatter<int>(target, rows, positions, source, inner, accumulate); break;
            default:
                if (accumulate) Or(target.Storage.As<bool>(), rows, positions, source.ContiguousData<bool>(), true, 1, inner);
                else Put(target.Storage.As<bool>(), positions, source.ContiguousData<bool>(), inner);
                break;
        }
    }

    private static void Scatter<T>(Tensor target, int rows, ReadOnlySpan<long> positions, Tensor source, int inner, bool accumulate)
        where T : INumber<T>
    {
        if (accumulate) Add(target.Storage.As<T>(), rows, positions, source.ContiguousData<T>(), T.One, 1, inner);
        else Put(target.Storage.As<T>(), positions, source.ContiguousData<T>(), inner);
    }
}
