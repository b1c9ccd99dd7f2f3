using SharpGrad.Autograd;

namespace SharpGrad.Tests.Support;

/// <summary>
/// Finite-difference gradient checking in float64 (PyTorch's gradcheck: eps 1e-6, atol 1e-5, rtol 1e-3):
/// the analytic Jacobian, one backward per output element, against central differences.
/// </summary>
public static class GradCheck
{
    public const double Eps = 1e-6, Atol = 1e-5, Rtol = 1e-3;

    /// <summary>Returns null when the gradients agree, else a description of the first mismatches.</summary>
    public static string? Check(Func<Tensor[], Tensor> fn, Tensor[] inputs, bool[]? differentiable = null)
    {
        var diff = differentiable ?? inputs.Select(t => t.DType.IsFloatingPoint()).ToArray();
        var output = fn(inputs);
        if (!output.DType.IsFloatingPoint()) return null;
        int nOut = output.Numel;
        var errors = new List<string>();
        for (int k = 0; k < inputs.Length; k++)
        {
            if (!diff[k]) continue;
            var x = inputs[k];
            int nIn = x.Numel;
            var numeric = new double[nOut, nIn];
            for (int i = 0; i < nIn; i++)
            {
                int offset = FlatOffset(x, i);
                double original = Get(x, offset);
                Set(x, offset, original + Eps);
                var plus = Torch.NoGrad(() => fn(inputs)).ToArray<double>();
                Set(x, offset, original - Eps);
                var minus = Torch.NoGrad(() => fn(inputs)).ToArray<double>();
                Set(x, offset, original);
                for (int j = 0; j < nOut; j++) numeric[j, i] = (plus[j] - minus[j]) / (2 * Eps);
            }
            var analytic = new double[nOut, nIn];
            for (int j = 0; j < nOut; j++)
            {
                var seed = Torch.Zeros(output.Shape, output.DType);
                seed.Storage.As<double>()[j] = 1;
                // An output that does not depend on any input differentiably has a zero Jacobian.
                if (!output.RequiresGrad) break;
                var grads = Torch.Autograd.Grad([output], [x], [seed], retainGraph: true, allowUnused: true);
                if (grads[0] is { } g)
                {
                    var values = g.ToArray<double>();
                    for (int i = 0; i < nIn; i++) analytic[j, i] = values[i];
                }
            }
            for (int j = 0; j < nOut; j++)
                for (int i = 0; i < nIn; i++)
                {
                    double a = analytic[j, i], n = numeric[j, i];
                    if (!(Math.Abs(a - n) <= Atol + Rtol * Math.Abs(n)) && errors.Count < 5)
                        errors.Add($"input {k}, output {j}, element {i}: analytic {a} vs numeric {n}");
                }
        }
        return errors.Count == 0 ? null : string.Join("; ", errors);
    }

    /// <summary>
    /// gradgradcheck: checks the first derivatives (vector-Jacobian products with a fixed vector,
    /// computed with createGraph) are themselves differentiated correctly.
    /// </summary>
    public static string? CheckSecondOrder(Func<Tensor[], Tensor> fn, Tensor[] inputs)
    {
        var probe = Torch.NoGrad(() => fn(inputs));
        if (!probe.DType.IsFloatingPoint()) return null;
        var rng = new Random(7);
        var v = Torch.Tensor<double>(Enumerable.Range(0, probe.Numel).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), probe.Shape, probe.DType);
        Tensor FirstDerivatives(Tensor[] xs)
        {
            // The finite differences run under NoGrad; the first derivatives need a graph.
            using var grad = Torch.EnableGrad();
            var output = fn(xs);
            var parts = new Tensor[xs.Length];
            var grads = output.RequiresGrad
                ? Torch.Autograd.Grad([output], xs, [v], createGraph: true, allowUnused: true)
                : new Tensor?[xs.Length];
            for (int i = 0; i < xs.Length; i++)
                parts[i] = (grads[i] ?? Torch.ZerosLike(xs[i])).Reshape(-1);
            return Torch.Cat(parts);
        }
        return Check(FirstDerivatives, inputs);
    }

    private static int FlatOffset(Tensor x, int flat)
    {
        int offset = x.Offset;
        for (int d = x.Dim - 1; d >= 0; d--)
        {
            offset += flat % x.Sizes[d] * x.Strides[d];
            flat /= x.Sizes[d];
        }
        return offset;
    }

    private static double Get(Tensor x, int offset) => x.Storage.As<double>()[offset];

    private static void Set(Tensor x, int offset, double value) => x.Storage.As<double>()[offset] = value;
}
