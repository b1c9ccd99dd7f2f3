using System.Globalization;

namespace SharpGrad.Autograd;

/// <summary>
/// PyTorch 1.13's slow-mode gradcheck (torch/autograd/gradcheck.py): numerical and analytical
/// Jacobians, laid out as PyTorch lays them out (<c>[input numel, output numel]</c>) so that a
/// mismatch prints the same matrices.
/// </summary>
internal static class GradChecker
{
    private static readonly HashSet<string> s_warned = [];

    public static bool Run(Func<Tensor[], Tensor[]> func, Tensor[] inputs, double eps, double atol, double rtol, double nondetTol)
    {
        CheckInputs(inputs);
        var funcOut = func(inputs);
        var outputs = Array.FindAll(funcOut, o => o.RequiresGrad);
        var diffInputs = Array.FindAll(inputs, x => x.RequiresGrad);

        if (outputs.Length == 0)
        {
            // No differentiable output: the function must then be locally constant.
            foreach (var x in diffInputs)
                foreach (var jacobian in Numerical(func, inputs, x, eps))
                    if (jacobian.Ne(0).Sum().Item<long>() > 0)
                        throw new GradcheckException("Numerical gradient for function expected to be zero");
            return true;
        }

        // numerical[j][k]: input j against float output k; only the outputs that require grad are compared.
        var floatOutputs = Array.FindAll(funcOut, o => o.DType.IsFloatingPoint());
        var numerical = Array.ConvertAll(diffInputs, x => Numerical(func, inputs, x, eps));
        for (int i = 0; i < outputs.Length; i++)
        {
            int k = Array.IndexOf(floatOutputs, outputs[i]);
            var analytical = Analytical(diffInputs, outputs[i], nondetTol);
            for (int j = 0; j < diffInputs.Length; j++)
            {
                var (a, n) = (analytical[j], numerical[j][k]);
                if (!AllClose(a, n, rtol, atol))
                    throw new GradcheckException(
                        $"Jacobian mismatch for output {i} with respect to input {j},\nnumerical:{n}\nanalytical:{a}\n");
            }
        }
        BackwardMultipliesByGradOutput(outputs, diffInputs);
        return true;
    }

    /// <summary>gradgradcheck's default output gradients: <c>make_tensor(low=-1, high=1, requires_grad=True)</c>.</summary>
    public static Tensor RandomGradOutput(Tensor output, bool noncontiguous)
    {
        var dtype = output.DType.IsFloatingPoint() ? output.DType : DType.Float64;
        var sizes = output.Sizes;
        Tensor values;
        if (noncontiguous && output.Numel > 1)
        {
            // PyTorch's make_tensor(noncontiguous=True): every other element of a doubled last dimension.
            int[] doubled = [.. sizes];
            doubled[^1] *= 2;
            values = (Torch.Rand(doubled, dtype) * 2 - 1).Slice(-1, step: 2);
        }
        else values = Torch.Rand(sizes, dtype) * 2 - 1;
        return values.Detach().SetRequiresGrad(true);
    }

    private static void CheckInputs(Tensor[] inputs)
    {
        bool any = false;
        for (int idx = 0; idx < inputs.Length; idx++)
        {
            var input = inputs[idx];
            if (!input.RequiresGrad) continue;
            if (input.DType != DType.Float64)
                Warn($"UserWarning: Input #{idx} requires gradient and is not a double precision floating point or complex. This check will likely fail if all the inputs are not of double precision floating point or complex. ");
            for (int d = 0; d < input.Dim; d++)
                if (input.Strides[d] <= 0 && input.Sizes[d] > 1)
                    throw new InvalidOperationException(
                        $"The {idx}th input has a dimension with stride 0. gradcheck only supports inputs that are non-overlapping to be able to compute the numerical gradients correctly. You should call .contiguous on the input before passing it to gradcheck.");
            any = true;
        }
        if (!any)
            throw new ArgumentException(
                "gradcheck expects at least one input tensor to require gradient, but none of the them have requires_grad=True.");
    }

    /// <summary>Python's warnings filter "default": each distinct message once per process.</summary>
    private static void Warn(string message)
    {
        bool first;
        lock (s_warned) first = s_warned.Add(message);
        if (first) Torch.WarningSink(message);
    }

    /// <summary>
    /// The numerical Jacobians of every float output with respect to <paramref name="x"/>, each
    /// <c>[x.numel, output.numel]</c> in the output's dtype: row d is
    /// <c>(f(x + eps e_d) - f(x - eps e_d)) / (2 eps)</c>, with x perturbed in place through an alias
    /// that does not bump its version (PyTorch perturbs <c>x.data</c>).
    /// </summary>
    private static Tensor[] Numerical(Func<Tensor[], Tensor[]> func, Tensor[] inputs, Tensor x, double eps)
    {
        double[][] jacobians = []; // per output, row-major [x.numel, output.numel]
        Tensor[]? reference = null;
        for (int d = 0; d < x.Numel; d++)
        {
            var entry = new Tensor(x.Storage, FlatOffset(x, d), [], []);
            var original = entry.Clone();
            entry.CopyInPlace(original - eps);
            var before = FloatOutputs(func(inputs));
            entry.CopyInPlace(original + eps);
            var after = FloatOutputs(func(inputs));
            entry.CopyInPlace(original);

            if (reference is null)
            {
                reference = before;
                jacobians = Array.ConvertAll(before, o => new double[x.Numel * o.Numel]);
            }
            for (int k = 0; k < before.Length; k++)
            {
                CheckSameDTypeAndShape(before[k], after[k], eps);
                var column = ((after[k] - before[k]) / (2 * eps)).ToArray<double>();
                column.CopyTo(jacobians[k], d * column.Length);
            }
        }
        reference ??= FloatOutputs(func(inputs));
        var result = new Tensor[reference.Length];
        for (int k = 0; k < reference.Length; k++)
            result[k] = Torch.Tensor<double>(x.Numel == 0 ? [] : jacobians[k], [x.Numel, reference[k].Numel], reference[k].DType);
        return result;
    }

    private static Tensor[] FloatOutputs(Tensor[] outputs) =>
        Array.ConvertAll(Array.FindAll(outputs, o => o.DType.IsFloatingPoint()), o => o.Clone());

    private static void CheckSameDTypeAndShape(Tensor a, Tensor b, double eps)
    {
        // PyTorch's AssertionError texts (its "{idx}" is a literal: the string is not an f-string).
        string epsText = PythonRepr.Float(eps);
        if (!ShapeUtil.SameShape(a.Sizes, b.Sizes))
            throw new ArgumentException(
                $"Expected `func` to return outputs with the same shape when inputs are perturbed on index {{idx}} by {epsText}, but got: shapes torch.Size({ShapeUtil.Format(a.Sizes)}) and torch.Size({ShapeUtil.Format(b.Sizes)}).");
        if (a.DType != b.DType)
            throw new ArgumentException(
                $"Expected `func` to return outputs with the same dtype when inputs are perturbed on index {{idx}} by {epsText}, but got: dtypes {a.DType.TorchName()} and {b.DType.TorchName()}.");
    }

    /// <summary>
    /// The analytical Jacobians of <paramref name="output"/>, one <c>[x.numel, output.numel]</c> per
    /// input in the input's dtype: column j is the gradient for the j-th one-hot output gradient.
    /// Computed twice; the two must agree within <paramref name="nondetTol"/> (reentrancy).
    /// </summary>
    private static Tensor[] Analytical(Tensor[] diffInputs, Tensor output, double nondetTol)
    {
        var first = AnalyticalOnce(diffInputs, output);
        var second = AnalyticalOnce(diffInputs, output);
        for (int i = 0; i < first.Length; i++)
        {
            if (first[i].Numel == 0 || (first[i] - second[i]).Abs().Max().Item<double>() <= nondetTol) continue;
            throw new GradcheckException(
                "Backward is not reentrant, i.e., running backward with same input and grad_output multiple times gives different values, although analytical gradient matches numerical gradient." +
                $"The tolerance for nondeterminism was {PythonRepr.Float(nondetTol)}." + FailedNondetMessage);
        }
        return first;
    }

    private static Tensor[] AnalyticalOnce(Tensor[] diffInputs, Tensor output)
    {
        int n = output.Numel;
        var columns = new double[diffInputs.Length][];
        for (int i = 0; i < diffInputs.Length; i++) columns[i] = new double[diffInputs[i].Numel * n];
        for (int j = 0; j < n; j++)
        {
            var grads = Torch.Autograd.Grad([output], diffInputs, [FunctionalSupport.OneHot(output, j)], retainGraph: true, allowUnused: true);
            for (int i = 0; i < diffInputs.Length; i++)
            {
                if (grads[i] is not { } g) continue; // a missing gradient is a zero column
                var values = g.ToArray<double>();
                for (int r = 0; r < values.Length; r++) columns[i][r * n + j] = values[r];
            }
        }
        return Array.ConvertAll(Enumerable.Range(0, diffInputs.Length).ToArray(),
            i => Torch.Tensor<double>(columns[i], [diffInputs[i].Numel, n], diffInputs[i].DType));
    }

    /// <summary><c>torch.allclose</c> after type promotion: <c>|a - n| &lt;= atol + rtol * |n|</c> everywhere, NaN never close.</summary>
    private static bool AllClose(Tensor analytical, Tensor numerical, double rtol, double atol)
    {
        var a = analytical.ToArray<double>();
        var n = numerical.ToArray<double>();
        if (a.Length != n.Length) return false;
        for (int i = 0; i < a.Length; i++)
            if (!(a[i] == n[i] || Math.Abs(a[i] - n[i]) <= atol + rtol * Math.Abs(n[i]))) return false;
        return true;
    }

    /// <summary>A zero output gradient must give zero (or no) input gradients of the right dtype and shape.</summary>
    private static void BackwardMultipliesByGradOutput(Tensor[] outputs, Tensor[] diffInputs)
    {
        var grads = Torch.Autograd.Grad(outputs, diffInputs, Array.ConvertAll(outputs, o => Torch.ZerosLike(o)), allowUnused: true);
        for (int i = 0; i < grads.Length; i++)
        {
            if (grads[i] is not { } g) continue;
            if (g.Ne(0).Any().Item<bool>()) throw new GradcheckException("backward not multiplied by grad_output");
            if (g.DType != diffInputs[i].DType) throw new GradcheckException("grad is incorrect type");
            if (!ShapeUtil.SameShape(g.Sizes, diffInputs[i].Sizes)) throw new GradcheckException("grad is incorrect size");
        }
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

    private const string FailedNondetMessage = """


        NOTE: If your op relies on non-deterministic operations i.e., it is listed here:
        https://pytorch.org/docs/stable/generated/torch.use_deterministic_algorithms.html
        this failure might be expected.

        If you are adding a new operator, please file an issue and then use one of the
        workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck.
        If the test
        - manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck
          with `nondet_tol=<tol>` as a keyword argument.
        - is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test
          to have `gradcheck_nondet_tol=<tol>`.
        - is a Module test (e.g., in common_nn.py), then modify the corresponding
          module_test entry to have `gradcheck_nondet_tol=<tol>`

        """;
}
