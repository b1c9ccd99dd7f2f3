using SharpGrad.Autograd;
using static SharpGrad.Autograd.FunctionalSupport;

namespace SharpGrad;

public static partial class Torch
{
    public static partial class Autograd
    {
        /// <summary>
        /// The higher-level autograd API, <c>torch.autograd.functional</c>: Jacobians, Hessians and
        /// their products with vectors, for a function of tensors at a point.
        /// </summary>
        /// <remarks>
        /// Note [Functional nesting]: a <c>Tensor</c> argument or result stands for PyTorch's single
        /// Tensor and a <c>Tensor[]</c> for its tuple, so each overload returns exactly the nesting
        /// PyTorch returns for that combination: a tuple of inputs gives one entry per input, a tuple
        /// of outputs one per output, both give <c>[output][input]</c>. Print any of these structures
        /// as Python does with <see cref="Torch.Repr(object?)"/> or <see cref="Torch.Pretty(object?, int)"/>.
        /// </remarks>
        public static partial class Functional
        {
            private const string ReverseMode = "reverse-mode";
            private const string ForwardMode = "forward-mode";

            /// <summary>
            /// <c>J[i..., j...] = d func(x)[i...] / d x[j...]</c>, shaped <c>output.shape + input.shape</c>,
            /// <c>torch.autograd.functional.jacobian(func, inputs)</c> for one input and one output.
            /// </summary>
            /// <param name="func">The function; it receives the inputs and returns the outputs.</param>
            /// <param name="inputs">The point at which the Jacobian is computed.</param>
            /// <param name="createGraph">Compute the Jacobian differentiably (its result has a grad_fn when it depends on the inputs).</param>
            /// <param name="strict">Fail (PyTorch's texts) when an output is independent of an input instead of returning zeros.</param>
            /// <param name="vectorize">Run one batched backward pass instead of one pass per output element (Note [Batched backward]).</param>
            /// <param name="strategy"><c>"reverse-mode"</c> or <c>"forward-mode"</c> (the latter requires <paramref name="vectorize"/>, see remarks).</param>
            /// <remarks>
            /// <c>"reverse-mode"</c> differentiates the outputs once per output element (or all at once with
            /// <paramref name="vectorize"/>); its Jacobians have the inputs' dtypes and are detached unless
            /// <paramref name="createGraph"/>. <c>"forward-mode"</c> (PyTorch's <c>_jacfwd</c>) pushes one
            /// tangent per input element through <c>func</c> with forward-mode AD (<see cref="ForwardAD"/>),
            /// so it is the faster choice when the outputs have more elements than the inputs. As in PyTorch
            /// it requires <paramref name="vectorize"/> and supports neither <paramref name="strict"/> nor
            /// <paramref name="createGraph"/>; its Jacobians have the outputs' dtypes, are zeros for outputs
            /// that carry no tangent, and keep their graph when the tangents depend on tensors that require
            /// grad. Without vmap, <c>func</c> is called once per input element instead of once
            /// (Note [Forward-mode Jacobian]), so it should have no side effects.
            /// </remarks>
            public static Tensor Jacobian(Func<Tensor, Tensor> func, Tensor inputs, bool createGraph = false,
                bool strict = false, bool vectorize = false, string strategy = ReverseMode) =>
                JacobianCore(xs => [func(xs[0])], [inputs], false, false, createGraph, strict, vectorize, strategy)[0][0];

            /// <summary>
            /// <c>J[j] = d func(x) / d x[j]</c> for a tuple of inputs and one output: one Jacobian per input,
            /// <c>torch.autograd.functional.jacobian(func, (x0, x1, ...))</c>.
            /// </summary>
            /// <inheritdoc cref="Jacobian(Func{Tensor, Tensor}, Tensor, bool, bool, bool, string)"/>
            public static Tensor[] Jacobian(Func<Tensor[], Tensor> func, Tensor[] inputs, bool createGraph = false,
                bool strict = false, bool vectorize = false, string strategy = ReverseMode) =>
                JacobianCore(xs => [func(xs)], inputs, true, false, createGraph, strict, vectorize, strategy)[0];

            /// <summary>
            /// <c>J[i] = d func(x)[i] / d x</c> for one input and a tuple of outputs: one Jacobian per output,
            /// <c>torch.autograd.functional.jacobian(func, x)</c> with <c>func</c> returning a tuple.
            /// </summary>
            /// <inheritdoc cref="Jacobian(Func{Tensor, Tensor}, Tensor, bool, bool, bool, string)"/>
            public static Tensor[] Jacobian(Func<Tensor, Tensor[]> func, Tensor inputs, bool createGraph = false,
                bool strict = false, bool vectorize = false, string strategy = ReverseMode) =>
                Array.ConvertAll(JacobianCore(xs => func(xs[0]), [inputs], false, true, createGraph, strict, vectorize, strategy), row => row[0]);

            /// <summary>
            /// <c>J[i][j] = d func(x)[i] / d x[j]</c> for tuples of inputs and outputs, indexed
            /// <c>[output][input]</c>, <c>torch.autograd.functional.jacobian</c>'s tuple of tuples.
            /// </summary>
            /// <inheritdoc cref="Jacobian(Func{Tensor, Tensor}, Tensor, bool, bool, bool, string)"/>
            public static Tensor[][] Jacobian(Func<Tensor[], Tensor[]> func, Tensor[] inputs, bool createGraph = false,
                bool strict = false, bool vectorize = false, string strategy = ReverseMode) =>
                JacobianCore(func, inputs, true, true, createGraph, strict, vectorize, strategy);

            /// <summary>
            /// <c>H[i..., j...] = d^2 func(x) / (d x[i...] d x[j...])</c> of a one-element function, shaped
            /// <c>input.shape + input.shape</c>, <c>torch.autograd.functional.hessian(func, inputs)</c>.
            /// </summary>
            /// <param name="func">The function; it must return a tensor with a single element.</param>
            /// <param name="inputs">The point at which the Hessian is computed.</param>
            /// <param name="createGraph">Compute the Hessian differentiably.</param>
            /// <param name="strict">Fail (PyTorch's texts) when the Hessian does not depend on an input instead of returning zeros.</param>
            /// <param name="vectorize">Compute the outer Jacobian with one batched backward pass (Note [Batched backward]).</param>
            /// <param name="outerJacobianStrategy">The outer Jacobian's <c>strategy</c>; the inner one is always reverse mode.</param>
            /// <remarks>
            /// <c>"forward-mode"</c> is forward-over-reverse, as in PyTorch: the outer Jacobian pushes tangents
            /// through the inner reverse-mode gradient, whose backward formulas are Tensor ops with forward
            /// rules. Its requirements and results are those of the forward-mode
            /// <see cref="Jacobian(Func{Tensor, Tensor}, Tensor, bool, bool, bool, string)"/>.
            /// </remarks>
            public static Tensor Hessian(Func<Tensor, Tensor> func, Tensor inputs, bool createGraph = false,
                bool strict = false, bool vectorize = false, string outerJacobianStrategy = ReverseMode) =>
                HessianCore(xs => func(xs[0]), [inputs], false, createGraph, strict, vectorize, outerJacobianStrategy)[0][0];

            /// <summary>
            /// <c>H[i][j] = d^2 func(x) / (d x[i] d x[j])</c> for a tuple of inputs, the tuple of tuples
            /// <c>((H00, H01), (H10, H11))</c> of <c>torch.autograd.functional.hessian(func, (x0, x1))</c>.
            /// </summary>
            /// <inheritdoc cref="Hessian(Func{Tensor, Tensor}, Tensor, bool, bool, bool, string)"/>
            public static Tensor[][] Hessian(Func<Tensor[], Tensor> func, Tensor[] inputs, bool createGraph = false,
                bool strict = false, bool vectorize = false, string outerJacobianStrategy = ReverseMode) =>
                HessianCore(func, inputs, true, createGraph, strict, vectorize, outerJacobianStrategy);

            /// <summary>PyTorch's <c>jacobian</c> on tuples: the result is indexed <c>[output][input]</c>.</summary>
            private static Tensor[][] JacobianCore(Func<Tensor[], Tensor[]> func, Tensor[] inputs, bool isInputsTuple,
                bool isOutputsTuple, bool createGraph, bool strict, bool vectorize, string strategy)
            {
                if (strategy is not (ForwardMode or ReverseMode))
                    throw new ArgumentException(
                        "Expected strategy to be either \"forward-mode\" or \"reverse-mode\". Hint: If your function has more outputs than inputs, \"forward-mode\" tends to be more performant. Otherwise, prefer to use \"reverse-mode\".");
                if (strategy == ForwardMode)
                {
                    if (createGraph)
                        throw new NotSupportedException(
                            "torch.autograd.functional.jacobian: `create_graph=True` and `strategy=\"forward-mode\"` are not supported together (yet). Please either set `create_graph=False` or `strategy=\"reverse-mode\"`.");
                    if (strict)
                        throw new InvalidOperationException(
                            "torch.autograd.functional.jacobian: `strict=True` and `strategy=\"forward-mode\"` are not supported together (yet). Please either set `strict=False` or `strategy=\"reverse-mode\"`.");
                    inputs = CheckTensors(inputs, isInputsTuple, "inputs", "jacobian");
                    if (!vectorize)
                        throw new NotSupportedException(
                            "Computing Jacobian using forward-AD or forward-over-reverse Hessian isonly implemented for `vectorize=True`.");
                    return ForwardJacobian(func, inputs, isOutputsTuple);
                }

                Tensor[] outputs;
                Tensor[][] jacobian;
                using (EnableGrad())
                {
                    inputs = GradPreprocess(CheckTensors(inputs, isInputsTuple, "inputs", "jacobian"), createGraph, needGraph: true);
                    outputs = CheckTensors(func(inputs), isOutputsTuple, "outputs of the user-provided function", "jacobian");
                    CheckRequiresGrad(outputs, "outputs", strict);
                    if (vectorize && strict)
                        throw new InvalidOperationException(
                            "torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not supported together. Please either set `strict=False` or `vectorize=False`.");
                    jacobian = vectorize ? Vectorized(outputs, inputs, createGraph) : RowByRow(outputs, inputs, createGraph, strict);
                }
                for (int i = 0; i < jacobian.Length; i++) jacobian[i] = GradPostprocess(jacobian[i], createGraph);
                return jacobian;
            }

            /// <summary>One backward pass per output element; each pass gives one row of every input's block.</summary>
            private static Tensor[][] RowByRow(Tensor[] outputs, Tensor[] inputs, bool createGraph, bool strict)
            {
                var jacobian = new Tensor[outputs.Length][];
                for (int i = 0; i < outputs.Length; i++)
                {
                    var output = outputs[i];
                    var rows = new List<Tensor>[inputs.Length];
                    for (int k = 0; k < inputs.Length; k++) rows[k] = new List<Tensor>(output.Numel);
                    for (int j = 0; j < output.Numel; j++)
                    {
                        // PyTorch differentiates out.reshape(-1)[j]; a one-hot gradient gives the same row.
                        var row = output.RequiresGrad
                            ? AutogradGrad([output], inputs, [OneHot(output, j)], createGraph, retainGraph: true)
                            : new Tensor?[inputs.Length];
                        for (int k = 0; k < inputs.Length; k++)
                        {
                            if (row[k] is { } g)
                            {
                                if (strict && createGraph && !g.RequiresGrad)
                                    throw new InvalidOperationException(
                                        $"The jacobian of the user-provided function is independent of input {i}. This is not allowed in strict mode when create_graph=True.");
                                rows[k].Add(g);
                                continue;
                            }
                            if (strict)
                                throw new InvalidOperationException(
                                    $"Output {i} of the user-provided function is independent of input {k}. This is not allowed in strict mode.");
                            rows[k].Add(ZerosLike(inputs[k]));
                        }
                    }
                    jacobian[i] = new Tensor[inputs.Length];
                    for (int k = 0; k < inputs.Length; k++)
                        jacobian[i][k] = Stack(rows[k]).View([.. output.Sizes, .. inputs[k].Sizes]);
                }
                return jacobian;
            }

            /// <summary>
            /// PyTorch's vectorized path: the standard basis, cut per output, is the batch of gradients of
            /// one batched backward pass; each input's <c>[N, *input.shape]</c> result is split per output.
            /// </summary>
            private static Tensor[][] Vectorized(Tensor[] outputs, Tensor[] inputs, bool createGraph)
            {
                var basis = StandardBasis(outputs);
                int total = 0;
                var numels = new int[outputs.Length];
                for (int i = 0; i < outputs.Length; i++) total += numels[i] = outputs[i].Numel;

                var differentiable = new List<int>();
                for (int i = 0; i < outputs.Length; i++) if (outputs[i].RequiresGrad) differentiable.Add(i);
                var batched = differentiable.Count == 0
                    ? new Tensor?[inputs.Length]
                    : BatchedBackward.Grad([.. differentiable.Select(i => outputs[i])], [.. differentiable.Select(i => basis[i])],
                        inputs, total, createGraph);

                var jacobian = new Tensor[outputs.Length][];
                for (int i = 0; i < outputs.Length; i++) jacobian[i] = new Tensor[inputs.Length];
                for (int k = 0; k < inputs.Length; k++)
                {
                    var input = inputs[k];
                    var all = batched[k] ?? ZerosLike(input).Expand([total, .. input.Sizes]);
                    var pieces = all.Split(numels);
                    for (int i = 0; i < outputs.Length; i++)
                        jacobian[i][k] = pieces[i].View([.. outputs[i].Sizes, .. input.Sizes]);
                }
                return jacobian;
            }

            /// <summary>PyTorch's <c>hessian</c>: the Jacobian of the (differentiable) Jacobian.</summary>
            private static Tensor[][] HessianCore(Func<Tensor[], Tensor> func, Tensor[] inputs, bool isInputsTuple,
                bool createGraph, bool strict, bool vectorize, string outerJacobianStrategy)
            {
                CheckTensors(inputs, isInputsTuple, "inputs", "hessian");
                if (outerJacobianStrategy is not (ForwardMode or ReverseMode))
                    throw new ArgumentException("Expected strategy to be either \"forward-mode\" or \"reverse-mode\".");

                Tensor[] EnsureSingleOutput(Tensor[] xs)
                {
                    var output = CheckTensors([func(xs)], false, "outputs of the user-provided function", "hessian");
                    CheckRequiresGrad(output, "outputs", strict);
                    if (output[0].Numel != 1)
                        throw new InvalidOperationException("The Tensor returned by the function given to hessian should contain a single element");
                    return [output[0].Squeeze()];
                }

                Tensor[] JacobianOfFunc(Tensor[] xs)
                {
                    if (outerJacobianStrategy == ForwardMode)
                        foreach (var x in xs) x.SetRequiresGrad(true);
                    var jacobian = JacobianCore(EnsureSingleOutput, xs, true, false, createGraph: true, strict: false,
                        vectorize: false, ReverseMode)[0];
                    CheckRequiresGrad(jacobian, "jacobian", strict);
                    return jacobian;
                }

                return JacobianCore(JacobianOfFunc, inputs, isInputsTuple, true, createGraph, strict, vectorize, outerJacobianStrategy);
            }
        }
    }
}
