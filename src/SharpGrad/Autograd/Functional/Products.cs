using SharpGrad.Autograd;
using static SharpGrad.Autograd.FunctionalSupport;

namespace SharpGrad;

public static partial class Torch
{
    public static partial class Autograd
    {
        public static partial class Functional
        {
            // ---- vjp: v^T J, shaped like the inputs ----

            /// <summary>
            /// <c>(func(x), v^T J)</c>: the output and the vector-Jacobian product, shaped like the input,
            /// <c>torch.autograd.functional.vjp(func, inputs, v)</c>.
            /// </summary>
            /// <param name="func">The function; it receives the inputs and returns the outputs.</param>
            /// <param name="inputs">The point at which the product is computed.</param>
            /// <param name="v">The vector, shaped like the output; may be omitted when the output has one element.</param>
            /// <param name="createGraph">Compute output and product differentiably.</param>
            /// <param name="strict">Fail (PyTorch's texts) when the output is independent of an input instead of returning zeros.</param>
            public static (Tensor Output, Tensor Vjp) Vjp(Func<Tensor, Tensor> func, Tensor inputs, Tensor? v = null,
                bool createGraph = false, bool strict = false)
            {
                var (output, vjp) = VjpCore(xs => [func(xs[0])], [inputs], false, false, v is null ? null : [v], createGraph, strict);
                return (output[0], vjp[0]);
            }

            /// <summary><c>(func(x), v^T J)</c> for a tuple of inputs: one product per input.</summary>
            /// <inheritdoc cref="Vjp(Func{Tensor, Tensor}, Tensor, Tensor?, bool, bool)"/>
            public static (Tensor Output, Tensor[] Vjp) Vjp(Func<Tensor[], Tensor> func, Tensor[] inputs, Tensor? v = null,
                bool createGraph = false, bool strict = false)
            {
                var (output, vjp) = VjpCore(xs => [func(xs)], inputs, true, false, v is null ? null : [v], createGraph, strict);
                return (output[0], vjp);
            }

            /// <summary><c>(func(x), v^T J)</c> for a tuple of outputs: <paramref name="v"/> has one entry per output.</summary>
            /// <inheritdoc cref="Vjp(Func{Tensor, Tensor}, Tensor, Tensor?, bool, bool)"/>
            public static (Tensor[] Output, Tensor Vjp) Vjp(Func<Tensor, Tensor[]> func, Tensor inputs, Tensor[]? v = null,
                bool createGraph = false, bool strict = false)
            {
                var (output, vjp) = VjpCore(xs => func(xs[0]), [inputs], false, true, v, createGraph, strict);
                return (output, vjp[0]);
            }

            /// <summary><c>(func(x), v^T J)</c> for tuples of inputs and outputs.</summary>
            /// <inheritdoc cref="Vjp(Func{Tensor, Tensor}, Tensor, Tensor?, bool, bool)"/>
            public static (Tensor[] Output, Tensor[] Vjp) Vjp(Func<Tensor[], Tensor[]> func, Tensor[] inputs, Tensor[]? v = null,
                bool createGraph = false, bool strict = false) =>
                VjpCore(func, inputs, true, true, v, createGraph, strict);

            // ---- jvp: J v, shaped like the outputs ----

            /// <summary>
            /// <c>(func(x), J v)</c>: the output and the Jacobian-vector product, shaped like the output,
            /// <c>torch.autograd.functional.jvp(func, inputs, v)</c>: in one forward-mode pass, or by PyTorch's
            /// double-backward trick when <paramref name="createGraph"/> or <paramref name="strict"/> is set
            /// (Note [Forward-mode jvp]).
            /// </summary>
            /// <param name="func">The function; it receives the inputs and returns the outputs.</param>
            /// <param name="inputs">The point at which the product is computed.</param>
            /// <param name="v">The vector, shaped like the input; may be omitted when the input has one element.</param>
            /// <param name="createGraph">Compute output and product differentiably.</param>
            /// <param name="strict">Fail (PyTorch's texts) when the output is independent of an input instead of returning zeros.</param>
            public static (Tensor Output, Tensor Jvp) Jvp(Func<Tensor, Tensor> func, Tensor inputs, Tensor? v = null,
                bool createGraph = false, bool strict = false)
            {
                var (output, jvp) = JvpCore(xs => [func(xs[0])], [inputs], false, false, v is null ? null : [v], createGraph, strict);
                return (output[0], jvp[0]);
            }

            /// <summary><c>(func(x), J v)</c> for a tuple of inputs: <paramref name="v"/> has one entry per input.</summary>
            /// <inheritdoc cref="Jvp(Func{Tensor, Tensor}, Tensor, Tensor?, bool, bool)"/>
            public static (Tensor Output, Tensor Jvp) Jvp(Func<Tensor[], Tensor> func, Tensor[] inputs, Tensor[]? v = null,
                bool createGraph = false, bool strict = false)
            {
                var (output, jvp) = JvpCore(xs => [func(xs)], inputs, true, false, v, createGraph, strict);
                return (output[0], jvp[0]);
            }

            /// <summary><c>(func(x), J v)</c> for a tuple of outputs: one product per output.</summary>
            /// <inheritdoc cref="Jvp(Func{Tensor, Tensor}, Tensor, Tensor?, bool, bool)"/>
            public static (Tensor[] Output, Tensor[] Jvp) Jvp(Func<Tensor, Tensor[]> func, Tensor inputs, Tensor? v = null,
                bool createGraph = false, bool strict = false) =>
                JvpCore(xs => func(xs[0]), [inputs], false, true, v is null ? null : [v], createGraph, strict);

            /// <summary><c>(func(x), J v)</c> for tuples of inputs and outputs.</summary>
            /// <inheritdoc cref="Jvp(Func{Tensor, Tensor}, Tensor, Tensor?, bool, bool)"/>
            public static (Tensor[] Output, Tensor[] Jvp) Jvp(Func<Tensor[], Tensor[]> func, Tensor[] inputs, Tensor[]? v = null,
                bool createGraph = false, bool strict = false) =>
                JvpCore(func, inputs, true, true, v, createGraph, strict);

            // ---- vhp and hvp: v^T H and H v of a one-element function ----

            /// <summary>
            /// <c>(func(x), v^T H)</c>: the output and the vector-Hessian product, shaped like the input,
            /// <c>torch.autograd.functional.vhp(func, inputs, v)</c>.
            /// </summary>
            /// <param name="func">The function; it must return a tensor with a single element.</param>
            /// <param name="inputs">The point at which the product is computed.</param>
            /// <param name="v">The vector, shaped like the input; may be omitted when the input has one element.</param>
            /// <param name="createGraph">Compute output and product differentiably.</param>
            /// <param name="strict">Fail (PyTorch's texts) when the product is independent of an input instead of returning zeros.</param>
            public static (Tensor Output, Tensor Vhp) Vhp(Func<Tensor, Tensor> func, Tensor inputs, Tensor? v = null,
                bool createGraph = false, bool strict = false)
            {
                var (output, vhp) = HessianProduct("vhp", xs => func(xs[0]), [inputs], false, v is null ? null : [v], createGraph, strict);
                return (output, vhp[0]);
            }

            /// <summary><c>(func(x), v^T H)</c> for a tuple of inputs: <paramref name="v"/> and the product have one entry per input.</summary>
            /// <inheritdoc cref="Vhp(Func{Tensor, Tensor}, Tensor, Tensor?, bool, bool)"/>
            public static (Tensor Output, Tensor[] Vhp) Vhp(Func<Tensor[], Tensor> func, Tensor[] inputs, Tensor[]? v = null,
                bool createGraph = false, bool strict = false) =>
                HessianProduct("vhp", func, inputs, true, v, createGraph, strict);

            /// <summary>
            /// <c>(func(x), H v)</c>: the output and the Hessian-vector product, shaped like the input,
            /// <c>torch.autograd.functional.hvp(func, inputs, v)</c>, by the double-backward trick.
            /// </summary>
            /// <inheritdoc cref="Vhp(Func{Tensor, Tensor}, Tensor, Tensor?, bool, bool)"/>
            public static (Tensor Output, Tensor Hvp) Hvp(Func<Tensor, Tensor> func, Tensor inputs, Tensor? v = null,
                bool createGraph = false, bool strict = false)
            {
                var (output, hvp) = HessianProduct("hvp", xs => func(xs[0]), [inputs], false, v is null ? null : [v], createGraph, strict);
                return (output, hvp[0]);
            }

            /// <summary><c>(func(x), H v)</c> for a tuple of inputs: <paramref name="v"/> and the product have one entry per input.</summary>
            /// <inheritdoc cref="Vhp(Func{Tensor, Tensor}, Tensor, Tensor?, bool, bool)"/>
            public static (Tensor Output, Tensor[] Hvp) Hvp(Func<Tensor[], Tensor> func, Tensor[] inputs, Tensor[]? v = null,
                bool createGraph = false, bool strict = false) =>
                HessianProduct("hvp", func, inputs, true, v, createGraph, strict);

            private static (Tensor[] Output, Tensor[] Vjp) VjpCore(Func<Tensor[], Tensor[]> func, Tensor[] inputs,
                bool isInputsTuple, bool isOutputsTuple, Tensor[]? v, bool createGraph, bool strict)
            {
                Tensor[] outputs;
                using (EnableGrad())
                {
                    inputs = GradPreprocess(CheckTensors(inputs, isInputsTuple, "inputs", "vjp"), createGraph, needGraph: true);
                    outputs = CheckTensors(func(inputs), isOutputsTuple, "outputs of the user-provided function", "vjp");
                    CheckRequiresGrad(outputs, "outputs", strict);
                    if (v is not null)
                    {
                        v = GradPreprocess(CheckTensors(v, isOutputsTuple, "v", "vjp"), createGraph, needGraph: false);
                        ValidateV(v, outputs, isOutputsTuple);
                    }
                    else if (outputs.Length != 1 || outputs[0].Numel != 1)
                        throw new InvalidOperationException(
                            "The vector v can only be None if the user-provided function returns a single Tensor with a single element.");
                }
                Tensor[] vjp;
                using (createGraph ? EnableGrad() : null)
                    vjp = FillInZeros(AutogradGrad(outputs, inputs, v, createGraph), inputs, strict, createGraph, "back");
                return (GradPostprocess(outputs, createGraph), GradPostprocess(vjp, createGraph));
            }

            private static (Tensor[] Output, Tensor[] Jvp) JvpCore(Func<Tensor[], Tensor[]> func, Tensor[] inputs,
                bool isInputsTuple, bool isOutputsTuple, Tensor[]? v, bool createGraph, bool strict)
            {
                Tensor[] outputs, gradOutputs;
                Tensor?[] gradInputs;
                using (EnableGrad())
                {
                    inputs = GradPreprocess(CheckTensors(inputs, isInputsTuple, "inputs", "jvp"), createGraph, needGraph: true);
                    if (v is not null)
                    {
                        v = GradPreprocess(CheckTensors(v, isInputsTuple, "v", "jvp"), createGraph, needGraph: false);
                        ValidateV(v, inputs, isInputsTuple);
                    }
                    else if (inputs.Length != 1 || inputs[0].Numel != 1)
                        throw new InvalidOperationException(
                            "The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.");
                    if (!createGraph && !strict && (v is null || Array.TrueForAll(v, t => t.DType.IsFloatingPoint())))
                        return ForwardJvp(func, inputs, v, isOutputsTuple);
                    outputs = CheckTensors(func(inputs), isOutputsTuple, "outputs of the user-provided function", "jvp");
                    CheckRequiresGrad(outputs, "outputs", strict);
                    // Double-backward trick: the backward is linear in its gradient, so differentiating
                    // the input gradients with respect to a (zero) output gradient gives J v.
                    gradOutputs = Array.ConvertAll(outputs, o => ZerosLike(o, requiresGrad: true));
                    gradInputs = AutogradGrad(outputs, inputs, gradOutputs, createGraph: true);
                    CheckRequiresGrad(gradInputs, "grad_inputs", strict);
                }
                Tensor[] jvp;
                using (createGraph ? EnableGrad() : null)
                    jvp = FillInZeros(AutogradGrad(gradInputs, gradOutputs, v, createGraph), outputs, strict, createGraph, "back_trick");
                return (GradPostprocess(outputs, createGraph), GradPostprocess(jvp, createGraph));
            }

            /// <summary>
            /// Note [Forward-mode jvp]: <c>J v</c> in one forward pass: the inputs become dual with v as
            /// their tangents, and the outputs' tangents are the product. PyTorch 1.13's functional jvp
            /// uses the double-backward trick instead (a forward pass, then two backward passes through
            /// a graph of the backward), which is what SharpGrad still does when the result must be
            /// differentiable (createGraph) or strict mode must name the stage that lost the
            /// dependence: those outputs are graph-shaped or text-shaped. Otherwise the results are
            /// detached values, equal either way, so the cheaper method is taken. An output with no
            /// tangent does not depend on the inputs: zeros, as the trick's fill-in gives.
            /// </summary>
            private static (Tensor[] Output, Tensor[] Jvp) ForwardJvp(Func<Tensor[], Tensor[]> func, Tensor[] inputs,
                Tensor[]? v, bool isOutputsTuple)
            {
                using var level = ForwardAD.DualLevel();
                var duals = new Tensor[inputs.Length];
                for (int k = 0; k < inputs.Length; k++)
                    duals[k] = ForwardAD.MakeDual(inputs[k], v is null ? OnesLike(inputs[k]) : v[k]);
                var outputs = CheckTensors(func(duals), isOutputsTuple, "outputs of the user-provided function", "jvp");
                var tangents = Array.ConvertAll(outputs, o => ForwardAD.UnpackDual(o).Tangent);
                return (GradPostprocess(outputs, false), GradPostprocess(FillInZeros(tangents, outputs, false, false, "back_trick"), false));
            }

            /// <summary>PyTorch's <c>vhp</c> (differentiate the gradient along v) and <c>hvp</c> (double-backward trick).</summary>
            private static (Tensor Output, Tensor[] Product) HessianProduct(string name, Func<Tensor[], Tensor> func, Tensor[] inputs,
                bool isInputsTuple, Tensor[]? v, bool createGraph, bool strict)
            {
                Tensor[] outputs;
                Tensor?[] jacobian, differentiated; // the last grad differentiates these...
                Tensor[] withRespectTo;             // ...with respect to these, along v
                using (EnableGrad())
                {
                    inputs = GradPreprocess(CheckTensors(inputs, isInputsTuple, "inputs", name), createGraph, needGraph: true);
                    if (v is not null)
                    {
                        v = GradPreprocess(CheckTensors(v, isInputsTuple, "v", name), createGraph, needGraph: false);
                        ValidateV(v, inputs, isInputsTuple);
                    }
                    else if (inputs.Length != 1 || inputs[0].Numel != 1)
                        throw new InvalidOperationException(
                            "The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.");
                    outputs = CheckTensors([func(inputs)], false, "outputs of the user-provided function", name);
                    CheckRequiresGrad(outputs, "outputs", strict);
                    if (outputs[0].Numel != 1)
                        throw new InvalidOperationException($"The Tensor returned by the function given to {name} should contain a single element");
                    jacobian = AutogradGrad(outputs, inputs, null, createGraph: true);
                    CheckRequiresGrad(jacobian, "jacobian", strict);
                    if (name == "vhp")
                    {
                        // v^T H: the gradient of the Jacobian, weighted by v.
                        differentiated = jacobian;
                        withRespectTo = inputs;
                    }
                    else
                    {
                        // H v by the double-backward trick: u^T H, for a (zero) u that requires grad, is
                        // linear in u, so its gradient with respect to u along v is H v.
                        var gradJacobian = Array.ConvertAll(inputs, x => ZerosLike(x, requiresGrad: true));
                        differentiated = AutogradGrad(jacobian, inputs, gradJacobian, createGraph: true);
                        withRespectTo = gradJacobian;
                        CheckRequiresGrad(jacobian, "hessian", strict); // PyTorch 1.13 checks the jacobian again here
                    }
                }
                Tensor[] product;
                using (createGraph ? EnableGrad() : null)
                    product = FillInZeros(AutogradGrad(differentiated, withRespectTo, v, createGraph), inputs, strict, createGraph,
                        name == "vhp" ? "double_back" : "double_back_trick");
                return (GradPostprocess(outputs, createGraph)[0], GradPostprocess(product, createGraph));
            }
        }
    }
}
