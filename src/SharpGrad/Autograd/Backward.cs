using SharpGrad.Autograd;

namespace SharpGrad
{
    public sealed partial class Tensor
    {
        /// <summary>
        /// Computes the gradient of this tensor with respect to the graph leaves and accumulates it
        /// into their <see cref="Grad"/>, <c>tensor.backward(gradient, retain_graph, create_graph)</c>.
        /// </summary>
        /// <param name="gradient">The vector in the vector-Jacobian product; may be omitted for one-element tensors.</param>
        /// <param name="retainGraph">Keep saved tensors so that backward can run through the graph again.</param>
        /// <param name="createGraph">Record the backward pass itself, for higher-order derivatives.</param>
        public void Backward(Tensor? gradient = null, bool? retainGraph = null, bool createGraph = false) =>
            Torch.Autograd.Backward([this], gradient is null ? null : [gradient], retainGraph, createGraph);
    }

    public static partial class Torch
    {
        /// <summary>Functions of <c>torch.autograd</c>.</summary>
        public static partial class Autograd
        {
            /// <summary>
            /// Accumulates the gradients of <paramref name="tensors"/> into the graph leaves,
            /// <c>torch.autograd.backward(tensors, grad_tensors, retain_graph, create_graph)</c>.
            /// </summary>
            public static void Backward(IReadOnlyList<Tensor> tensors, IReadOnlyList<Tensor?>? gradTensors = null,
                bool? retainGraph = null, bool createGraph = false)
            {
                var (roots, grads) = Prepare(tensors, gradTensors, createGraph);
                if (createGraph) Warnings.BackwardCreateGraph();
                Engine.Execute(roots, grads, retainGraph ?? createGraph, createGraph);
            }

            /// <summary>
            /// Computes and returns the gradients of <paramref name="outputs"/> with respect to
            /// <paramref name="inputs"/> without touching any <c>.Grad</c>, <c>torch.autograd.grad</c>.
            /// </summary>
            public static Tensor?[] Grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs,
                IReadOnlyList<Tensor?>? gradOutputs = null, bool? retainGraph = null, bool createGraph = false,
                bool allowUnused = false)
            {
                if (inputs.Count == 0) throw new ArgumentException("grad requires non-empty inputs.");
                var (roots, grads) = Prepare(outputs, gradOutputs, createGraph);
                var captures = new Edge[inputs.Count];
                for (int i = 0; i < inputs.Count; i++)
                {
                    if (!inputs[i].RequiresGrad)
                        throw new InvalidOperationException($"One of the differentiated Tensors does not require grad");
                    captures[i] = inputs[i].GradientEdge();
                }
                var result = Engine.Execute(roots, grads, retainGraph ?? createGraph, createGraph, captures);
                for (int i = 0; i < result.Length; i++)
                {
                    if (result[i] is null && !allowUnused)
                        throw new InvalidOperationException(
                            "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.");
                    if (result[i] is { } g && !ShapeUtil.SameShape(g.Sizes, inputs[i].Sizes)) result[i] = g.SumToSize(inputs[i].Sizes);
                }
                return result;
            }

            /// <summary>Single-tensor form of <see cref="Grad(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor?}?, bool?, bool, bool)"/>.</summary>
            public static Tensor?[] Grad(Tensor output, IReadOnlyList<Tensor> inputs, Tensor? gradOutput = null,
                bool? retainGraph = null, bool createGraph = false, bool allowUnused = false) =>
                Grad([output], inputs, gradOutput is null ? null : [gradOutput], retainGraph, createGraph, allowUnused);

            private static (Edge[] Roots, Tensor[] Grads) Prepare(IReadOnlyList<Tensor> tensors, IReadOnlyList<Tensor?>? gradTensors, bool createGraph)
            {
                // PyTorch pairs tensors with gradients like zip(): extra gradients are ignored, missing ones fail.
                if (gradTensors is not null && gradTensors.Count < tensors.Count)
                    throw new InvalidOperationException($"got {tensors.Count} tensors and {gradTensors.Count} gradients");
                var roots = new Edge[tensors.Count];
                var grads = new Tensor[tensors.Count];
                for (int i = 0; i < tensors.Count; i++)
                {
                    var t = tensors[i];
                    var edge = t.GradientEdge();
                    if (!edge.IsValid)
                        throw new InvalidOperationException($"element {i} of tensors does not require grad and does not have a grad_fn");
                    var g = gradTensors?[i];
                    if (g is null)
                    {
                        if (t.Numel != 1) throw new InvalidOperationException("grad can be implicitly created only for scalar outputs");
                        g = Torch.OnesLike(t);
                    }
                    else
                    {
                        if (!ShapeUtil.SameShape(g.Sizes, t.Sizes))
                            throw new InvalidOperationException(
                                $"Mismatch in shape: grad_output[{i}] has a shape of torch.Size({ShapeUtil.Format(g.Sizes)}) and output[{i}] has a shape of torch.Size({ShapeUtil.Format(t.Sizes)}).");
                        // Any real dtype is accepted (PyTorch rejects only complex/real mixes) and cast
                        // to the output's dtype, as PyTorch's validate_outputs does for the roots.
                        if (!createGraph) g = g.Detach();
                        if (g.DType != t.DType) g = g.To(t.DType);
                    }
                    roots[i] = edge;
                    grads[i] = g;
                }
                return (roots, grads);
            }
        }
    }
}
