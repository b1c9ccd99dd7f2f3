namespace SharpGrad.Autograd;

/// <summary>
/// One backward pass that carries a batch of gradients at once: <c>autograd.grad(...,
/// is_grads_batched=True)</c>, which PyTorch runs under vmap. Used by <c>vectorize: true</c>.
/// </summary>
/// <remarks>
/// Note [Batched backward]: every gradient in flight has a leading batch dimension, <c>[B, *shape]</c>,
/// and the walk is the engine's (dependency counts, highest sequence number first, only the nodes
/// that lead to a captured input run). SharpGrad has no vmap, so each node is run in one of three ways:
/// (1) pointwise nodes (the <see cref="s_pointwise"/> names: formulas that only combine the gradient
/// elementwise with saved tensors) run once on the batched gradient, since broadcasting aligns the
/// saved tensors with the trailing dimensions; (2) shape nodes whose batched form follows from the
/// input shape alone (views, squeeze/unsqueeze, a one-tensor stack, full sum and mean, expand, t)
/// have a rule here, which is needed because their formulas take the input shape literally; (3) any other node runs once per batch entry and the results are stacked, the
/// fallback PyTorch's vmap takes for ops without a batching rule. Each result is then reduced to
/// <c>[B, *input shape]</c> and the input's dtype (Note [Broadcast reduction], batched). Backward
/// formulas are linear in the gradient, so all three ways give the same numbers as B separate passes.
/// </remarks>
internal static class BatchedBackward
{
    // Nodes whose formula is elementwise in the gradient (checked against their Backward bodies).
    private static readonly HashSet<string> s_pointwise =
    [
        "AddBackward0", "AddBackward1", "SubBackward0", "RsubBackward1", "MulBackward0", "MulBackward1",
        "DivBackward0", "DivBackward1", "NegBackward0", "ExpBackward0", "ReciprocalBackward0",
        "SqrtBackward0", "RsqrtBackward0", "LogBackward0", "SinBackward0", "CosBackward0", "Log1PBackward0",
        "Expm1Backward0", "AbsBackward0", "SignBackward0", "FloorBackward0", "CeilBackward0", "RoundBackward0",
        "ReluBackward0", "SigmoidBackward0", "TanhBackward0", "LogSigmoidBackward0",
        "PowBackward0", "PowBackward1", "PowBackward2", "WhereBackward0", "IndexPutBackward0",
        "ClampBackward0", "ClampBackward1", "ClampMinBackward0", "ClampMaxBackward0",
        "MaximumBackward0", "MinimumBackward0", "CloneBackward0", "ToCopyBackward0", "AliasBackward0",
    ];

    // Nodes that keep the element order and only change the shape: the batched gradient is reshaped.
    private static readonly HashSet<string> s_reshapes =
    [
        "ViewBackward0", "ReshapeAliasBackward0", "UnsafeViewBackward0",
        "SqueezeBackward0", "SqueezeBackward1", "UnsqueezeBackward0",
    ];

    /// <summary>
    /// The gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/> for
    /// <paramref name="batch"/> gradient vectors at once: <paramref name="batchedGrads"/>[k] has shape
    /// <c>[batch, *outputs[k].shape]</c>; each result has shape <c>[batch, *inputs[i].shape]</c>, or is
    /// null when the input is unused. Every output and input must require grad.
    /// </summary>
    public static Tensor?[] Grad(Tensor[] outputs, Tensor[] batchedGrads, Tensor[] inputs, int batch, bool createGraph)
    {
        var roots = Array.ConvertAll(outputs, o => o.GradientEdge());
        var captures = Array.ConvertAll(inputs, i => i.GradientEdge());
        var dependencies = Engine.CountDependencies(roots);
        var needed = Engine.NeededNodes(dependencies.Keys, captures);
        var captured = new Tensor?[captures.Length];

        var buffers = new Dictionary<Node, Tensor?[]>(ReferenceEqualityComparer.Instance);
        var ready = new PriorityQueue<Node, long>();
        for (int i = 0; i < roots.Length; i++)
        {
            var g = batchedGrads[i];
            if (g.DType != outputs[i].DType) g = g.To(outputs[i].DType);
            AddToBuffer(buffers, roots[i], createGraph ? g : g.Detach());
        }
        foreach (var node in buffers.Keys)
            if (dependencies.GetValueOrDefault(node) == 0) ready.Enqueue(node, -node.SequenceNr);

        using var mode = new GradModeScope(createGraph);
        while (ready.TryDequeue(out var node, out _))
        {
            var grads = buffers[node];
            buffers.Remove(node);
            for (int c = 0; c < captures.Length; c++)
                if (captures[c].Function == node && grads[captures[c].InputNr] is { } g) captured[c] = Sum(captured[c], g);
            if (!needed.Contains(node)) continue;

            var results = Array.TrueForAll(grads, g => g is null) ? [] : Run(node, grads, batch);
            if (!createGraph) node.ReleaseVariables();

            var edges = node.NextEdges;
            for (int i = 0; i < edges.Length; i++)
            {
                if (edges[i].Function is not { } next) continue;
                if (i < results.Length && results[i] is { } g)
                    AddToBuffer(buffers, edges[i], Reduce(node, i, g, next.InputMeta[edges[i].InputNr], batch));
                int remaining = dependencies[next] - 1;
                dependencies[next] = remaining;
                if (remaining == 0)
                {
                    if (!buffers.ContainsKey(next)) buffers[next] = new Tensor?[Math.Max(next.InputMeta.Length, 1)];
                    ready.Enqueue(next, -next.SequenceNr);
                }
            }
        }
        return captured;
    }

    /// <summary>Runs one node on batched gradients: pointwise as is, shape nodes by rule, others per entry.</summary>
    private static Tensor?[] Run(Node node, Tensor?[] grads, int batch)
    {
        string name = node.Name;
        if (node.InputMeta.Length == 1)
        {
            var grad = grads[0]!;
            if (s_pointwise.Contains(name)) return node.Apply(grads);
            // expand's formula only sums back to the input shape, which the batched reduction does.
            if (name == "ExpandBackward0") return [grad];
            if (s_reshapes.Contains(name) || (name == "StackBackward0" && node.NextEdges.Length == 1))
                return [InputSizes(node, 0) is { } sizes ? grad.Reshape([batch, .. sizes]) : null];
            if (name is "SumBackward0" or "MeanBackward0" && InputSizes(node, 0) is { } selfSizes)
            {
                var ones = new int[selfSizes.Length + 1];
                Array.Fill(ones, 1);
                ones[0] = batch;
                var expanded = grad.Reshape(ones).Expand([batch, .. selfSizes]);
                return [name == "SumBackward0" ? expanded : expanded / ShapeUtil.Numel(selfSizes)];
            }
            if (name == "TBackward0" && InputSizes(node, 0) is { } tSizes)
                return [tSizes.Length == 2 ? grad.Transpose(1, 2) : grad];
        }
        return RunPerEntry(node, grads, batch);
    }

    /// <summary>The vmap fallback: the node runs once per batch entry; results are reduced and stacked.</summary>
    private static Tensor?[] RunPerEntry(Node node, Tensor?[] grads, int batch)
    {
        var perEntry = new Tensor?[batch][];
        for (int b = 0; b < batch; b++)
        {
            var slice = new Tensor?[grads.Length];
            for (int i = 0; i < grads.Length; i++)
            {
                // Multi-output nodes get zeros for outputs no gradient reached, as in the engine.
                slice[i] = grads[i]?.Select(0, b)
                    ?? (node.InputMeta.Length > 1 ? Torch.Zeros(node.InputMeta[i].Sizes, node.InputMeta[i].DType) : null);
            }
            perEntry[b] = node.Apply(slice);
        }
        var edges = node.NextEdges;
        var results = new Tensor?[edges.Length];
        for (int i = 0; i < edges.Length; i++)
        {
            if (edges[i].Function is not { } next) continue;
            var meta = next.InputMeta[edges[i].InputNr];
            bool any = false;
            for (int b = 0; b < batch; b++) any |= i < perEntry[b].Length && perEntry[b][i] is not null;
            if (!any) continue;
            var column = new Tensor[batch];
            for (int b = 0; b < batch; b++)
            {
                var g = i < perEntry[b].Length ? perEntry[b][i] : null;
                if (g is null) column[b] = Torch.Zeros(meta.Sizes, meta.DType);
                else column[b] = ShapeUtil.SameShape(g.Sizes, meta.Sizes) ? g : g.SumToSize(meta.Sizes);
            }
            results[i] = Torch.Stack(column);
        }
        return results;
    }

    /// <summary>The shape of the tensor behind edge <paramref name="index"/> of a node (null if no gradient flows there).</summary>
    private static int[]? InputSizes(Node node, int index)
    {
        var edge = node.NextEdges[index];
        return edge.Function is { } next ? next.InputMeta[edge.InputNr].Sizes : null;
    }

    /// <summary>
    /// Batched Note [Broadcast reduction]: reduces a node's result to <c>[B, *meta.Sizes]</c> and the
    /// input's dtype. A result without the batch dimension (a formula that ignores the gradient, such
    /// as the zeros of <c>pow(x, 0)</c>) is the same for every entry and is expanded.
    /// </summary>
    private static Tensor Reduce(Node node, int index, Tensor grad, InputMetadata meta, int batch)
    {
        var target = meta.Sizes;
        if (grad.Dim <= target.Length) grad = grad.Expand([batch, .. target]);
        else if (!(grad.Sizes[0] == batch && grad.Dim == target.Length + 1 && ShapeUtil.SameShape(grad.Sizes.AsSpan(1), target)))
        {
            int lead = grad.Dim - 1 - target.Length;
            var dims = new List<int>();
            for (int d = 1; d <= lead; d++) dims.Add(d);
            bool compatible = grad.Sizes[0] == batch || grad.Sizes[0] == 1;
            for (int d = 0; d < target.Length; d++)
            {
                int have = grad.Sizes[1 + lead + d];
                if (have == target[d]) continue;
                if (target[d] == 1) dims.Add(1 + lead + d);
                else compatible = false;
            }
            if (!compatible)
                throw new InvalidOperationException(
                    $"Function {node.Name} returned an invalid gradient at index {index} - got {ShapeUtil.Format(grad.Sizes.AsSpan(1))} but expected shape compatible with {ShapeUtil.Format(target)}");
            if (dims.Count > 0) grad = grad.Sum(dims.ToArray(), keepDim: true);
            grad = grad.Reshape([grad.Sizes[0], .. target]);
            if (grad.Sizes[0] != batch) grad = grad.Expand([batch, .. target]);
        }
        if (grad.DType != meta.DType) grad = grad.To(meta.DType);
        return grad;
    }

    private static void AddToBuffer(Dictionary<Node, Tensor?[]> buffers, Edge edge, Tensor grad)
    {
        var node = edge.Function!;
        if (!buffers.TryGetValue(node, out var slots))
            buffers[node] = slots = new Tensor?[Math.Max(node.InputMeta.Length, edge.InputNr + 1)];
        slots[edge.InputNr] = Sum(slots[edge.InputNr], grad);
    }

    private static Tensor Sum(Tensor? a, Tensor b) => a is null ? b : a + b;
}
