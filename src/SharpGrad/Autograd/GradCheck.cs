using SharpGrad.Autograd;

namespace SharpGrad.Autograd
{
    /// <summary>
    /// A failed <see cref="Torch.Autograd.GradCheck(Func{Tensor[], Tensor}, Tensor[], double, double, double, bool, double)"/>
    /// or GradGradCheck, PyTorch's <c>torch.autograd.gradcheck.GradcheckError</c> (a RuntimeError).
    /// </summary>
    public sealed class GradcheckException(string message) : InvalidOperationException(message);
}

namespace SharpGrad
{
    public static partial class Torch
    {
        public static partial class Autograd
        {
            /// <summary>
            /// Checks <c>d func / d inputs</c> from backward against central finite differences
            /// <c>(f(x + eps) - f(x - eps)) / (2 eps)</c>, element by element, <c>torch.autograd.gradcheck</c>.
            /// </summary>
            /// <param name="func">The function; it receives the inputs.</param>
            /// <param name="inputs">The point; the inputs that require grad are checked. Use float64: the defaults are made for it and other dtypes get PyTorch's warning.</param>
            /// <param name="eps">The finite-difference step.</param>
            /// <param name="atol">Absolute tolerance: entries agree when <c>|analytical - numerical| &lt;= atol + rtol * |numerical|</c>.</param>
            /// <param name="rtol">Relative tolerance.</param>
            /// <param name="raiseException">Throw <see cref="GradcheckException"/> on a mismatch (with both Jacobians in the message) instead of returning false.</param>
            /// <param name="nondetTol">How far two backward passes with the same input may differ.</param>
            /// <returns>True when every Jacobian agrees.</returns>
            /// <remarks>
            /// PyTorch's slow mode: the full numerical Jacobian (the input is perturbed in place, without
            /// bumping its version) against the analytical one, one backward pass per output element,
            /// computed twice to check reentrancy; then the check that a zero output gradient gives zero
            /// input gradients. Not ported: fast mode, forward-mode and batched-grad checks, and the
            /// undefined-output-gradient check (SharpGrad's engine has no undefined gradients to feed).
            /// </remarks>
            public static bool GradCheck(Func<Tensor[], Tensor> func, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5,
                double rtol = 1e-3, bool raiseException = true, double nondetTol = 0.0) =>
                GradCheckChecked(xs => [func(xs)], inputs, eps, atol, rtol, raiseException, nondetTol);

            /// <summary>The <c>gradcheck</c> of a function of one tensor.</summary>
            /// <inheritdoc cref="GradCheck(Func{Tensor[], Tensor}, Tensor[], double, double, double, bool, double)"/>
            public static bool GradCheck(Func<Tensor, Tensor> func, Tensor inputs, double eps = 1e-6, double atol = 1e-5,
                double rtol = 1e-3, bool raiseException = true, double nondetTol = 0.0) =>
                GradCheckChecked(xs => [func(xs[0])], [inputs], eps, atol, rtol, raiseException, nondetTol);

            /// <summary>The <c>gradcheck</c> of a function returning a tuple of tensors: every output that requires grad is checked.</summary>
            /// <inheritdoc cref="GradCheck(Func{Tensor[], Tensor}, Tensor[], double, double, double, bool, double)"/>
            public static bool GradCheck(Func<Tensor[], Tensor[]> func, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5,
                double rtol = 1e-3, bool raiseException = true, double nondetTol = 0.0) =>
                GradCheckChecked(func, inputs, eps, atol, rtol, raiseException, nondetTol);

            /// <summary>
            /// Checks second derivatives: <see cref="GradCheck(Func{Tensor[], Tensor[]}, Tensor[], double, double, double, bool, double)"/>
            /// of <c>(inputs, gradOutputs) -> autograd.grad(func(inputs), inputs, gradOutputs, createGraph: true)</c>,
            /// <c>torch.autograd.gradgradcheck</c>.
            /// </summary>
            /// <param name="func">The function; it receives the inputs.</param>
            /// <param name="inputs">The point (float64, as for GradCheck).</param>
            /// <param name="gradOutputs">The output gradients; by default random in [-1, 1) and requiring grad, one per differentiable output.</param>
            /// <param name="eps">The finite-difference step.</param>
            /// <param name="atol">Absolute tolerance.</param>
            /// <param name="rtol">Relative tolerance.</param>
            /// <param name="genNonContigGradOutputs">Make the generated output gradients non-contiguous.</param>
            /// <param name="raiseException">Throw <see cref="GradcheckException"/> on a mismatch instead of returning false.</param>
            /// <param name="nondetTol">How far two backward passes with the same input may differ.</param>
            public static bool GradGradCheck(Func<Tensor[], Tensor[]> func, Tensor[] inputs, Tensor[]? gradOutputs = null,
                double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool genNonContigGradOutputs = false,
                bool raiseException = true, double nondetTol = 0.0) =>
                GradGradCheckCore(func, inputs, gradOutputs, eps, atol, rtol, genNonContigGradOutputs, raiseException, nondetTol);

            /// <summary>The <c>gradgradcheck</c> of a function returning one tensor.</summary>
            /// <inheritdoc cref="GradGradCheck(Func{Tensor[], Tensor[]}, Tensor[], Tensor[], double, double, double, bool, bool, double)"/>
            public static bool GradGradCheck(Func<Tensor[], Tensor> func, Tensor[] inputs, Tensor? gradOutputs = null,
                double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool genNonContigGradOutputs = false,
                bool raiseException = true, double nondetTol = 0.0) =>
                GradGradCheckCore(xs => [func(xs)], inputs, gradOutputs is null ? null : [gradOutputs], eps, atol, rtol,
                    genNonContigGradOutputs, raiseException, nondetTol);

            /// <summary>The <c>gradgradcheck</c> of a function of one tensor.</summary>
            /// <inheritdoc cref="GradGradCheck(Func{Tensor[], Tensor[]}, Tensor[], Tensor[], double, double, double, bool, bool, double)"/>
            public static bool GradGradCheck(Func<Tensor, Tensor> func, Tensor inputs, Tensor? gradOutputs = null,
                double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool genNonContigGradOutputs = false,
                bool raiseException = true, double nondetTol = 0.0) =>
                GradGradCheckCore(xs => [func(xs[0])], [inputs], gradOutputs is null ? null : [gradOutputs], eps, atol, rtol,
                    genNonContigGradOutputs, raiseException, nondetTol);

            private static bool GradCheckChecked(Func<Tensor[], Tensor[]> func, Tensor[] inputs, double eps, double atol,
                double rtol, bool raiseException, double nondetTol)
            {
                if (raiseException) return GradChecker.Run(func, inputs, eps, atol, rtol, nondetTol);
                try
                {
                    return GradChecker.Run(func, inputs, eps, atol, rtol, nondetTol);
                }
                catch (GradcheckException)
                {
                    return false;
                }
            }

            private static bool GradGradCheckCore(Func<Tensor[], Tensor[]> func, Tensor[] inputs, Tensor[]? gradOutputs,
                double eps, double atol, double rtol, bool genNonContigGradOutputs, bool raiseException, double nondetTol)
            {
                gradOutputs ??= Array.ConvertAll(Array.FindAll(func(inputs), o => o.RequiresGrad),
                    o => GradChecker.RandomGradOutput(o, genNonContigGradOutputs));
                int numOutputs = gradOutputs.Length;
                var diffInputs = Array.FindAll(Enumerable.Range(0, inputs.Length).ToArray(), i => inputs[i].RequiresGrad);

                // The gradient of func at (inputs, gradOutputs), recorded so that it can be checked in turn.
                Tensor[] FirstGradient(Tensor[] args)
                {
                    var inputArgs = args[..^numOutputs];
                    var outputs = Array.FindAll(func(inputArgs), o => o.RequiresGrad);
                    var grads = Grad(outputs, Array.ConvertAll(diffInputs, i => inputArgs[i]), args[^numOutputs..],
                        createGraph: true, allowUnused: true);
                    return [.. grads.Where(g => g is not null).Select(g => g!)];
                }

                return GradCheckChecked(FirstGradient, [.. inputs, .. gradOutputs], eps, atol, rtol, raiseException, nondetTol);
            }
        }
    }
}
