using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad.Kernels;

/// <summary>
/// Row-wise softmax and log-softmax over one dimension of a contiguous buffer.
/// </summary>
/// <remarks>
/// Note [Softmax layout]: the buffer is viewed as (outer, n, inner) where n is the softmax dim.
/// When inner == 1 every row is a contiguous span and runs through TensorPrimitives directly;
/// otherwise each (outer, inner) column is gathered into a scratch row, computed, and scattered
/// back, so the output keeps the input's row-major layout (PyTorch's softmax output is contiguous).
/// Note [Stable softmax]: the row maximum is subtracted before exponentiating, so exp never
/// overflows for finite input: softmax(x) = exp(x - m) / sum(exp(x - m)),
/// log_softmax(x) = x - m - log(sum(exp(x - m))). A row holding +inf or NaN, or only -inf,
/// gives NaN everywhere, as in PyTorch.
/// </remarks>
internal static class SoftmaxKernel
{
    /// <summary>Writes softmax (or log-softmax) of <paramref name="input"/> along the middle axis of (outer, n, inner) into <paramref name="output"/>.</summary>
    public static void Forward<T>(ReadOnlySpan<T> input, Span<T> output, int outer, int n, int inner, bool log)
        where T : IFloatingPointIeee754<T>
    {
        if (n == 0 || outer == 0 || inner == 0) return;
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++)
                Row(input.Slice(o * n, n), output.Slice(o * n, n), log);
            return;
        }
        var scratchIn = new T[n];
        var scratchOut = new T[n];
        for (int o = 0; o < outer; o++)
        {
            int baseIndex = o * n * inner;
            for (int i = 0; i < inner; i++)
            {
                for (int k = 0; k < n; k++) scratchIn[k] = input[baseIndex + k * inner + i];
                Row(scratchIn, scratchOut, log);
                for (int k = 0; k < n; k++) output[baseIndex + k * inner + i] = scratchOut[k];
            }
        }
    }

    /// <summary>Softmax or log-softmax of one contiguous row (Note [Stable softmax]).</summary>
    private static void Row<T>(ReadOnlySpan<T> x, Span<T> d, bool log) where T : IFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, d);
        if (log)
        {
            // d = x - max; sum exp(d) without keeping it.
            T sum = T.Zero;
            for (int i = 0; i < d.Length; i++) sum += T.Exp(d[i]);
            TensorPrimitives.Subtract(d, T.Log(sum), d);
        }
        else
        {
            TensorPrimitives.Exp(d, d);
            T sum = TensorPrimitives.Sum<T>(d);
            TensorPrimitives.Divide(d, sum, d);
        }
    }
}
