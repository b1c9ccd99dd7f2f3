using System.Numerics;

namespace SharpGrad.Kernels;

/// <summary>
/// Forward kernels of the losses in <c>Torch.NN.Functional</c>: spans in, spans out, no autograd.
/// </summary>
internal static class LossKernels
{
    /// <summary>
    /// Negative log likelihood over input viewed as (batch, classes, spatial) and target as (batch, spatial).
    /// </summary>
    /// <remarks>
    /// Writes <c>losses[n, s] = -weight[t] * input[n, t, s]</c> (0 where <c>t == ignoreIndex</c>) and returns
    /// the sum of weights of the non-ignored targets. Targets are checked in row-major order with PyTorch's
    /// text.
    /// </remarks>
    public static double NllLoss<T>(ReadOnlySpan<T> input, ReadOnlySpan<long> target, ReadOnlySpan<T> weight,
        int batch, int classes, int spatial, long ignoreIndex, Span<T> losses) where T : IFloatingPointIeee754<T>
    {
        double totalWeight = 0;
        for (int n = 0; n < batch; n++)
            for (int s = 0; s < spatial; s++)
            {
                long t = target[n * spatial + s];
                if (t == ignoreIndex)
                {
                    losses[n * spatial + s] = T.Zero;
                    continue;
                }
                if (t < 0 || t >= classes) throw new IndexOutOfRangeException($"Target {t} is out of bounds.");
                T w = weight.IsEmpty ? T.One : weight[(int)t];
                losses[n * spatial + s] = -(w * input[(n * classes + (int)t) * spatial + s]);
                totalWeight += double.CreateTruncating(w);
            }
        return totalWeight;
    }

    /// <summary>
    /// Writes <c>-weight[t] / divisor</c> at each selected (n, t, s) of the zeroed, input-shaped
    /// <paramref name="coefficients"/>: d(loss)/d(input) for a unit gradient. Ignored positions stay 0,
    /// as PyTorch leaves them untouched, even when the divisor is 0.
    /// </summary>
    public static void NllLossCoefficients<T>(ReadOnlySpan<long> target, ReadOnlySpan<T> weight,
        int batch, int classes, int spatial, long ignoreIndex, T divisor, Span<T> coefficients) where T : IFloatingPointIeee754<T>
    {
        for (int n = 0; n < batch; n++)
            for (int s = 0; s < spatial; s++)
            {
                long t = target[n * spatial + s];
                if (t == ignoreIndex) continue;
                T w = weight.IsEmpty ? T.One : weight[(int)t];
                coefficients[(n * classes + (int)t) * spatial + s] = -w / divisor;
            }
    }

    /// <summary>
    /// <c>softplus[i] = log(1 + exp(-x[i]))</c> in the stable form <c>log(exp(-m) + exp(-x - m)) + m</c>
    /// with <c>m = max(-x, 0)</c>, in the input's own dtype as PyTorch computes it.
    /// </summary>
    public static void SoftplusOfNegated<T>(ReadOnlySpan<T> x, Span<T> softplus) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            T m = T.Max(-x[i], T.Zero);
            softplus[i] = T.Log(T.Exp(-m) + T.Exp(-x[i] - m)) + m;
        }
    }

    /// <summary>
    /// Binary cross entropy with logits, elementwise: <c>loss = (1 - t) x + L softplus</c> with
    /// <c>L = 1 + (posWeight - 1) t</c> (1 without posWeight), times weight when given; softplus from
    /// <see cref="SoftplusOfNegated{T}"/>.
    /// </summary>
    /// <remarks>All spans have the loss's length (operands already broadcast); empty weight spans mean "not given".</remarks>
    public static void BinaryCrossEntropyWithLogits<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> t, ReadOnlySpan<T> softplus,
        ReadOnlySpan<T> weight, ReadOnlySpan<T> posWeight, Span<T> loss) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < loss.Length; i++)
        {
            T l = posWeight.IsEmpty ? T.One : (posWeight[i] - T.One) * t[i] + T.One;
            T value = posWeight.IsEmpty ? (T.One - t[i]) * x[i] + softplus[i] : (T.One - t[i]) * x[i] + l * softplus[i];
            loss[i] = weight.IsEmpty ? value : value * weight[i];
        }
    }

    /// <summary><c>loss = (x - t)^2</c> elementwise.</summary>
    public static void SquaredError<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> t, Span<T> loss) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < loss.Length; i++)
        {
            T d = x[i] - t[i];
            loss[i] = d * d;
        }
    }
}
