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
}
