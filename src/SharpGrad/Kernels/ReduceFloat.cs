using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad.Kernels;

/// <summary>
/// Floating point reductions with a parameter (vector norms, variance, log-sum-exp) over the runs
/// of Note [Reduction layout]. Inputs are Float32 or Float64; results have the input's dtype.
/// </summary>
internal static class ReduceFloat
{
    /// <summary>The p-norm of every run: <c>(sum |x|^p)^(1/p)</c>, with max/min |x| for p = ±inf and the nonzero count for p = 0.</summary>
    /// <remarks>An empty run gives 0 for every p, as PyTorch 1.13 does.</remarks>
    public static Tensor Norm(Tensor x, bool[] mask, int[] outSizes, double p) =>
        x.DType == DType.Float32 ? Norm<float>(x, mask, outSizes, p) : Norm<double>(x, mask, outSizes, p);

    /// <summary>
    /// The variance of every run, <c>sum (x - mean)^2 / max(0, n - correction)</c>, accumulated in
    /// double; <paramref name="sqrt"/> gives the standard deviation.
    /// </summary>
    public static Tensor Var(Tensor x, bool[] mask, int[] outSizes, double correction, bool sqrt) =>
        x.DType == DType.Float32 ? Var<float>(x, mask, outSizes, correction, sqrt) : Var<double>(x, mask, outSizes, correction, sqrt);

    /// <summary>
    /// <c>log(sum exp(x))</c> of every run, computed as <c>m + log(sum exp(x - m))</c> with m the max
    /// (0 when the max is infinite, as PyTorch does); an empty run gives -inf.
    /// </summary>
    public static Tensor LogSumExp(Tensor x, bool[] mask, int[] outSizes) =>
        x.DType == DType.Float32 ? LogSumExp<float>(x, mask, outSizes) : LogSumExp<double>(x, mask, outSizes);

    private static Tensor Norm<T>(Tensor x, bool[] mask, int[] outSizes, double p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (data, run) = Reduce.Layout<T>(x, mask);
        var result = Tensor.Allocate(x.DType, outSizes);
        var output = result.Storage.As<T>();
        T exponent = T.CreateChecked(p), inverse = T.CreateChecked(1 / p);
        for (int i = 0; i < output.Length; i++)
        {
            var span = new ReadOnlySpan<T>(data, i * run, run);
            if (span.IsEmpty) continue;
            output[i] = p switch
            {
                2 => TensorPrimitives.Norm(span),
                1 => TensorPrimitives.SumOfMagnitudes(span),
                double.PositiveInfinity => T.Abs(TensorPrimitives.MaxMagnitude(span)),
                double.NegativeInfinity => T.Abs(TensorPrimitives.MinMagnitude(span)),
                0 => CountNonZero(span),
                _ => PowerSum(span, exponent, inverse),
            };
        }
        return result;
    }

    private static T CountNonZero<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>
    {
        T count = T.Zero;
        foreach (var v in x) if (v != T.Zero) count++;
        return count;
    }

    private static T PowerSum<T>(ReadOnlySpan<T> x, T p, T inverse) where T : IFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        foreach (var v in x) sum += T.Pow(T.Abs(v), p);
        return T.Pow(sum, inverse);
    }

    private static Tensor Var<T>(Tensor x, bool[] mask, int[] outSizes, double correction, bool sqrt) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (data, run) = Reduce.Layout<T>(x, mask);
        var result = Tensor.Allocate(x.DType, outSizes);
        var output = result.Storage.As<T>();
        double divisor = Math.Max(0, run - correction);
        for (int i = 0; i < output.Length; i++)
        {
            var span = new ReadOnlySpan<T>(data, i * run, run);
            double sum = 0;
            foreach (var v in span) sum += double.CreateChecked(v);
            double mean = sum / run, squares = 0;
            foreach (var v in span)
            {
                double d = double.CreateChecked(v) - mean;
                squares += d * d;
            }
            double variance = squares / divisor;
            output[i] = T.CreateChecked(sqrt ? Math.Sqrt(variance) : variance);
        }
        return result;
    }

    private static Tensor LogSumExp<T>(Tensor x, bool[] mask, int[] outSizes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (data, run) = Reduce.Layout<T>(x, mask);
        var result = Tensor.Allocate(x.DType, outSizes);
        var output = result.Storage.As<T>();
        var shifted = new T[run];
        for (int i = 0; i < output.Length; i++)
        {
            var span = new ReadOnlySpan<T>(data, i * run, run);
            T max = span.IsEmpty ? T.Zero : TensorPrimitives.Max(span);
            if (T.IsInfinity(max)) max = T.Zero;
            TensorPrimitives.Subtract(span, max, shifted);
            TensorPrimitives.Exp(shifted, shifted);
            output[i] = T.Log(TensorPrimitives.Sum<T>(shifted)) + max;
        }
        return result;
    }
}
