namespace SharpGrad.Autograd;

/// <summary>
/// The backward engine: runs the graph from root gradients to leaves, iteratively.
/// </summary>
/// <remarks>
/// Note [Engine]: (1) one iterative walk counts, for every reachable node, how many edges point at
/// it; (2) ready nodes (every incoming edge has reported, all gradients summed) run highest
/// sequence number first, so a node runs after every node created later that feeds it; a node
/// that no gradient reached still counts down its children, or they would wait forever; (3) every
/// gradient a node emits is reduced to the shape and dtype its receiver expects (Note [Broadcast
/// reduction]), the only place where broadcasting is undone; (4) without retainGraph each node
/// frees its saved tensors after running. No recursion anywhere, so a 100,000-op chain cannot
/// overflow the stack.
/// </remarks>
internal static class Engine
{
    /// <summary>
    /// Runs backward from <paramref name="roots"/> with the given root gradients. When
    /// <paramref name="captures"/> is given, returns the gradients arriving at those edges instead of
    /// accumulating into leaves (<c>torch.autograd.grad</c>), running only the nodes needed for them.
    /// </summary>
    public static Tensor?[] Execute(
        IReadOnlyList<Edge> roots, IReadOnlyList<Tensor> rootGrads, bool keepGraph, bool createGraph,
        IReadOnlyList<Edge>? captures = null)
    {
        var dependencies = CountDependencies(roots);
        HashSet<Node>? needed = captures is null ? null : NeededNodes(dependencies.Keys, captures);
        var captured = captures is null ? [] : new Tensor?[captures.Count];

        var buffers = new Dictionary<Node, Tensor?[]>();
        var ready = new PriorityQueue<Node, long>();
        for (int i = 0; i < roots.Count; i++)
            AddToBuffer(buffers, roots[i], rootGrads[i]);
        foreach (var node in buffers.Keys)
            if (dependencies.GetValueOrDefault(node) == 0) ready.Enqueue(node, -node.SequenceNr);

        using var mode = new GradModeScope(createGraph);
        while (ready.TryDequeue(out var node, out _))
        {
            var grads = buffers[node];
            buffers.Remove(node);

            if (captures is not null)
            {
                for (int c = 0; c < captures.Count; c++)
                    if (captures[c].Function == node) if (grads[captures[c].InputNr] is { } g) captured[c] = Sum(captured[c], g);
                if (!needed!.Contains(node)) continue;
            }
            using var evaluate = Profiler.EvaluateFunction(node); // Note [Profiler off is free]
            grads = node.RunTensorHooks(grads); // Note [Hooks]: after captures, as in PyTorch 1.13
            if (node.RetainedGrads is { } retained)
                foreach (var (tensor, outputNr) in retained)
                    if (grads[outputNr] is { } g) RetainGradient(tensor, g);

            // A node no gradient reached still runs its bookkeeping so that its children's
            // dependency counts drop (PyTorch's any_grad_defined: all-undefined in, undefined out).
            grads = node.RunPreHooks(grads);
            var outputs = Array.TrueForAll(grads, g => g is null) ? [] : node.RunPostHooks(RunNode(node, grads), grads);
            if (!keepGraph) node.ReleaseVariables();

            var edges = node.NextEdges;
            for (int i = 0; i < edges.Length; i++)
            {
                var edge = edges[i];
                if (edge.Function is not { } next) continue;
                if (i < outputs.Length && outputs[i] is { } g)
                    AddToBuffer(buffers, edge, Validate(node, i, g, next.InputMeta[edge.InputNr]));
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

    private static Tensor?[] RunNode(Node node, Tensor?[] grads)
    {
        using var scope = Profiler.Node(node, grads);
        // Multi-output nodes get zeros for outputs no gradient reached (PyTorch's materialize_grads).
        for (int i = 0; i < grads.Length; i++)
            if (grads[i] is null && node.InputMeta.Length > 1 && node.MaterializeGrads)
                grads[i] = Torch.Zeros(node.InputMeta[i].Sizes, node.InputMeta[i].DType);
        var outputs = AnomalyMode.IsEnabled ? AnomalyMode.Apply(node, grads) : node.Apply(grads);
        if (outputs.Length != node.NextEdges.Length && node is not AccumulateGrad)
            throw new InvalidOperationException(
                $"function {node.Name} returned an incorrect number of gradients (expected {node.NextEdges.Length}, got {outputs.Length})");
        return outputs;
    }

    /// <summary>
    /// Note [Broadcast reduction]: a backward formula may return a gradient in the broadcast shape of
    /// its op; here it is summed back to the input's shape and cast to its dtype.
    /// </summary>
    private static Tensor Validate(Node node, int index, Tensor grad, InputMetadata meta)
    {
        if (!ShapeUtil.SameShape(grad.Sizes, meta.Sizes))
        {
            if (!CanSumTo(grad.Sizes, meta.Sizes))
                throw new InvalidOperationException(
                    $"Function {node.Name} returned an invalid gradient at index {index} - got {ShapeUtil.Format(grad.Sizes)} but expected shape compatible with {ShapeUtil.Format(meta.Sizes)}");
            grad = grad.SumToSize(meta.Sizes);
        }
        if (grad.DType != meta.DType) grad = grad.To(meta.DType);
        return grad;
    }

    private static bool CanSumTo(int[] from, int[] to)
    {
        if (to.Length > from.Length) return false;
        int lead = from.Length - to.Length;
        for (int i = 0; i < to.Length; i++)
            if (to[i] != 1 && to[i] != from[lead + i]) return false;
        return true;
    }

    private static void AddToBuffer(Dictionary<Node, Tensor?[]> buffers, Edge edge, Tensor grad)
    {
        var node = edge.Function!;
        if (!buffers.TryGetValue(node, out var slots))
            buffers[node] = slots = new Tensor?[Math.Max(node.InputMeta.Length, edge.InputNr + 1)];
        slots[edge.InputNr] = Sum(slots[edge.InputNr], grad);
    }

    private static Tensor Sum(Tensor? a, Tensor b) => a is null ? b : a + b;

    private static void RetainGradient(Tensor tensor, Tensor grad)
    {
        lock (tensor) // as in AccumulateGrad: concurrent passes over a retained graph
        {
            // Always a copy: the gradient in flight may be the user's gradient argument or be shared with a leaf.
            if (tensor.GradRaw is null) tensor.GradRaw = GradMode.IsEnabled ? grad.Clone() : grad.Detach().Clone();
            else tensor.GradRaw = tensor.GradRaw + grad;
        }
    }

    /// <summary>For every node reachable from the roots, the number of edges pointing at it.</summary>
    private static Dictionary<Node, int> CountDependencies(IReadOnlyList<Edge> roots)
    {
        var dependencies = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Node>();
        foreach (var root in roots)
            if (root.Function is { } fn && dependencies.TryAdd(fn, 0)) stack.Push(fn);
        while (stack.TryPop(out var node))
        {
            foreach (var edge in node.NextEdges)
            {
                if (edge.Function is not { } next) continue;
                if (dependencies.TryGetValue(next, out int count)) dependencies[next] = count + 1;
                else
                {
                    dependencies[next] = 1;
                    stack.Push(next);
                }
            }
        }
        return dependencies;
    }

    /// <summary>Nodes from which a capture target is reachable: only those run under autograd.grad.</summary>
    private static HashSet<Node> NeededNodes(IEnumerable<Node> reachable, IReadOnlyList<Edge> captures)
    {
        var parents = new Dictionary<Node, List<Node>>(ReferenceEqualityComparer.Instance);
        foreach (var node in reachable)
            foreach (var edge in node.NextEdges)
                if (edge.Function is { } next)
                {
                    if (!parents.TryGetValue(next, out var list)) parents[next] = list = [];
                    list.Add(node);
                }
        var needed = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Node>();
        foreach (var c in captures)
            if (c.Function is { } fn)
                foreach (var p in parents.GetValueOrDefault(fn) ?? []) if (needed.Add(p)) stack.Push(p);
        while (stack.TryPop(out var node))
            foreach (var p in parents.GetValueOrDefault(node) ?? [])
                if (needed.Add(p)) stack.Push(p);
        return needed;
    }
}
