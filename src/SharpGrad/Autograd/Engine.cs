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
    private static long s_runs;

    /// <summary>
    /// Runs backward from <paramref name="roots"/> with the given root gradients. When
    /// <paramref name="captures"/> is given, returns the gradients arriving at those edges instead of
    /// accumulating into leaves (<c>torch.autograd.grad</c>), running only the nodes needed for them.
    /// </summary>
    /// <remarks>
    /// Note [Engine state]: a run keeps each node's dependency count and gradient buffer on the node
    /// itself (<see cref="Node.EngineDependencies"/>, <see cref="Node.EngineBuffer"/>), which saves a
    /// dictionary lookup per edge. It first claims every reachable node by writing its run id into
    /// <see cref="Node.EngineOwner"/> (compare-and-swap) and releases them all when done, even on
    /// failure. If another run already owns one of them (backward passes on several threads over a
    /// shared graph, or a backward started from inside a backward), this run releases its claims
    /// and keeps the same bookkeeping in dictionaries instead: same loop, same order, same results.
    /// </remarks>
    public static Tensor?[] Execute(
        IReadOnlyList<Edge> roots, IReadOnlyList<Tensor> rootGrads, bool keepGraph, bool createGraph,
        IReadOnlyList<Edge>? captures = null)
    {
        long run = Interlocked.Increment(ref s_runs);
        var reachable = new List<Node>();
        try
        {
            if (ClaimGraph(roots, run, reachable))
                return Run(new NodeState(), reachable, roots, rootGrads, keepGraph, createGraph, captures);
        }
        finally
        {
            foreach (var node in reachable)
            {
                if (node.EngineOwner != run) continue;
                node.EngineGrad = null;
                node.EngineGradOwned = false;
                node.EngineBuffer = null;
                node.EngineDependencies = 0;
                Volatile.Write(ref node.EngineOwner, 0);
            }
        }
        var dependencies = CountDependencies(roots);
        var state = new DictionaryState(dependencies, new Dictionary<Node, Tensor?[]>(ReferenceEqualityComparer.Instance));
        return Run(state, [.. dependencies.Keys], roots, rootGrads, keepGraph, createGraph, captures);
    }

    private static Tensor?[] Run<TState>(
        TState state, List<Node> reachable, IReadOnlyList<Edge> roots, IReadOnlyList<Tensor> rootGrads,
        bool keepGraph, bool createGraph, IReadOnlyList<Edge>? captures) where TState : IRunState
    {
        HashSet<Node>? needed = captures is null ? null : NeededNodes(reachable, captures);
        var captured = captures is null ? [] : new Tensor?[captures.Count];

        var ready = new ReadyQueue();
        for (int i = 0; i < roots.Count; i++)
            state.Add(roots[i].Function!, roots[i].InputNr, rootGrads[i]);
        for (int i = 0; i < roots.Count; i++)
        {
            var root = roots[i].Function!;
            bool first = true;
            for (int j = 0; j < i && first; j++) first = roots[j].Function != root;
            if (first && state.Dependencies(root) == 0) ready.Add(root);
        }

        using var mode = new GradModeScope(createGraph);
        while (ready.TryTake(out var node))
        {
            var grads = state.Take(node);

            if (captures is not null)
            {
                for (int c = 0; c < captures.Count; c++)
                    if (captures[c].Function == node) if (grads[captures[c].InputNr] is { } g) captured[c] = Sum(captured[c], g);
                if (!needed!.Contains(node)) continue;
            }
            using var evaluate = Profiler.EvaluateFunction(node); // Note [Profiler off is free]
            bool hooked = node.HasHooks;
            if (hooked) grads = Grads.Of(node.RunTensorHooks(grads.ToArray(node.InputCount))); // Note [Hooks]: after captures, as in PyTorch 1.13
            if (node.RetainedGrads is { } retained)
                foreach (var (tensor, outputNr) in retained)
                    if (grads[outputNr] is { } g) RetainGradient(tensor, g);

            // A node no gradient reached still runs its bookkeeping so that its children's
            // dependency counts drop (PyTorch's any_grad_defined: all-undefined in, undefined out).
            if (hooked) grads = Grads.Of(node.RunPreHooks(grads.ToArray(node.InputCount)));
            if (node is AccumulateGrad sink) sink.StealNext = grads.SingleOwned && !hooked && captures is null;
            var outputs = grads.AllNull ? [] : RunNode(node, grads);
            if (hooked && outputs.Length > 0) outputs = node.RunPostHooks(outputs, grads.ToArray(node.InputCount));
            if (!keepGraph) node.ReleaseVariables();

            var edges = node.NextEdges;
            for (int i = 0; i < edges.Length; i++)
            {
                var edge = edges[i];
                if (edge.Function is not { } next) continue;
                if (i < outputs.Length && outputs[i] is { } g)
                {
                    var valid = Validate(node, i, g, next.GetInputMeta(edge.InputNr));
                    state.Add(next, edge.InputNr, valid, !createGraph && !hooked && IsFresh(node, g, valid, grads, outputs, i));
                }
                int remaining = state.Dependencies(next) - 1;
                state.SetDependencies(next, remaining);
                if (remaining == 0) ready.Add(next);
            }
        }
        return captured;
    }

    /// <summary>
    /// Ready nodes, highest sequence number first. A chain (one node ready at a time, the common
    /// case) never touches the priority queue: a lone ready node waits in <c>_single</c>.
    /// </summary>
    private struct ReadyQueue()
    {
        private readonly PriorityQueue<Node, long> _queue = new();
        private Node? _single;

        public void Add(Node node)
        {
            if (_single is null && _queue.Count == 0)
            {
                _single = node;
                return;
            }
            if (_single is { } single)
            {
                _queue.Enqueue(single, -single.SequenceNr);
                _single = null;
            }
            _queue.Enqueue(node, -node.SequenceNr);
        }

        public bool TryTake(out Node node)
        {
            if (_single is { } single)
            {
                _single = null;
                node = single;
                return true;
            }
            return _queue.TryDequeue(out node!, out _);
        }
    }

    /// <summary>
    /// The gradients arriving at one node: one tensor for a node with a single forward output (no
    /// array: the common case), else one slot per output.
    /// </summary>
    private readonly struct Grads(Tensor? single, Tensor?[]? many, bool singleOwned = false)
    {
        public readonly Tensor? Single = single;
        public readonly Tensor?[]? Many = many;

        /// <summary>Whether <see cref="Single"/> is referenced by the engine alone (Note [Stolen gradients]).</summary>
        public readonly bool SingleOwned = singleOwned && single is not null && many is null;

        public Tensor? this[int i] => Many is { } m ? (i < m.Length ? m[i] : null) : i == 0 ? Single : null;

        public static Grads Of(Tensor?[] grads) => new(null, grads);

        public Tensor?[] ToArray(int count)
        {
            if (Many is { } m) return m;
            var array = new Tensor?[Math.Max(count, 1)];
            array[0] = Single;
            return array;
        }

        public bool AllNull
        {
            get
            {
                if (Many is null) return Single is null;
                foreach (var g in Many) if (g is not null) return false;
                return true;
            }
        }
    }

    private static Tensor?[] RunNode(Node node, Grads bundle)
    {
        using var scope = Profiler.Active is null ? default : Profiler.Node(node, bundle.ToArray(node.InputCount));
        if (bundle.Many is null)
        {
            var outputs1 = AnomalyMode.IsEnabled ? AnomalyMode.Apply(node, [bundle.Single])
                : node is SingleOutputNode single ? single.ApplySingle(bundle.Single!) : node.Apply([bundle.Single]);
            CheckOutputCount(node, outputs1);
            return outputs1;
        }
        var grads = bundle.Many;
        // Multi-output nodes get zeros for outputs no gradient reached (PyTorch's materialize_grads).
        for (int i = 0; i < grads.Length; i++)
            if (grads[i] is null && node.InputCount > 1 && node.MaterializeGrads)
                grads[i] = Torch.Zeros(node.GetInputMeta(i).Sizes, node.GetInputMeta(i).DType);
        var outputs = AnomalyMode.IsEnabled ? AnomalyMode.Apply(node, grads) : node.Apply(grads);
        CheckOutputCount(node, outputs);
        return outputs;
    }

    private static void CheckOutputCount(Node node, Tensor?[] outputs)
    {
        if (outputs.Length != node.NextEdges.Length && node is not AccumulateGrad)
            throw new InvalidOperationException(
                $"function {node.Name} returned an incorrect number of gradients (expected {node.NextEdges.Length}, got {outputs.Length})");
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

    /// <summary>
    /// Note [Stolen gradients]: PyTorch's AccumulateGrad stores the incoming gradient itself as the
    /// leaf's first <c>.grad</c> when nothing else references it (use count 1), instead of copying
    /// it. .NET has no reference counts, so the engine proves it instead: a gradient is fresh when a
    /// built-in node (not a custom Function, whose code may keep what it returns) returned it, no
    /// hook saw it, it is contiguous, and its storage is neither one of the gradients the node
    /// received (a pass-through such as AddBackward0, or a Detach of one) nor shared with another
    /// of its outputs. The node's own output must not be a view (it could be a view of anything);
    /// what <see cref="Validate"/> made of it (a sum to the input's shape, possibly viewed, or a
    /// cast) is fresh by construction. Only plain backward passes steal (never createGraph or
    /// Autograd.Grad); any doubt means a copy, as before.
    /// </summary>
    private static bool IsFresh(Node node, Tensor output, Tensor grad, Grads received, Tensor?[] outputs, int index)
    {
        if (node is FunctionNode || !grad.IsContiguous) return false;
        var storage = grad.Storage;
        if (ReferenceEquals(storage, output.Storage) && output.ViewBase is not null) return false;
        if (received.Many is { } many)
        {
            foreach (var r in many) if (r is not null && ReferenceEquals(r.Storage, storage)) return false;
        }
        else if (received.Single is { } single && ReferenceEquals(single.Storage, storage)) return false;
        for (int j = 0; j < outputs.Length; j++)
            if (j != index && outputs[j] is { } other && ReferenceEquals(other.Storage, storage)) return false;
        return true;
    }

    private static bool CanSumTo(int[] from, int[] to)
    {
        if (to.Length > from.Length) return false;
        int lead = from.Length - to.Length;
        for (int i = 0; i < to.Length; i++)
            if (to[i] != 1 && to[i] != from[lead + i]) return false;
        return true;
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

    /// <summary>
    /// Claims every node reachable from the roots for <paramref name="run"/> and counts the edges
    /// pointing at each (Note [Engine state]); false as soon as a node belongs to another run.
    /// Every node claimed is added to <paramref name="claimed"/>, so the caller can release it.
    /// </summary>
    private static bool ClaimGraph(IReadOnlyList<Edge> roots, long run, List<Node> claimed)
    {
        var stack = new Stack<Node>();
        foreach (var root in roots)
        {
            if (root.Function is not { } fn || fn.EngineOwner == run) continue;
            if (!Claim(fn, run, claimed)) return false;
            stack.Push(fn);
        }
        while (stack.TryPop(out var node))
        {
            foreach (var edge in node.NextEdges)
            {
                if (edge.Function is not { } next) continue;
                if (next.EngineOwner != run)
                {
                    if (!Claim(next, run, claimed)) return false;
                    stack.Push(next);
                }
                next.EngineDependencies++;
            }
        }
        return true;
    }

    private static bool Claim(Node node, long run, List<Node> claimed)
    {
        if (Interlocked.CompareExchange(ref node.EngineOwner, run, 0) != 0) return false;
        node.EngineDependencies = 0;
        node.EngineBuffer = null;
        claimed.Add(node);
        return true;
    }

    /// <summary>Per-node bookkeeping of one run: on the nodes, or in dictionaries (Note [Engine state]).</summary>
    private interface IRunState
    {
        int Dependencies(Node node);
        void SetDependencies(Node node, int count);

        /// <summary>Sums <paramref name="grad"/> into the gradient of forward output <paramref name="inputNr"/> of <paramref name="node"/>.</summary>
        void Add(Node node, int inputNr, Tensor grad, bool owned = false);

        /// <summary>Removes and returns the gradients gathered for <paramref name="node"/> (one slot per output when it has several).</summary>
        Grads Take(Node node);
    }

    private readonly struct NodeState : IRunState
    {
        public int Dependencies(Node node) => node.EngineDependencies;
        public void SetDependencies(Node node, int count) => node.EngineDependencies = count;

        public void Add(Node node, int inputNr, Tensor grad, bool owned = false)
        {
            if (node.EngineBuffer is { } buffer)
                buffer[inputNr] = Sum(buffer[inputNr], grad);
            else if (inputNr == 0 && node.InputCount <= 1)
            {
                // A sum is a fresh tensor, so it is owned too.
                node.EngineGradOwned = owned || node.EngineGrad is not null;
                node.EngineGrad = Sum(node.EngineGrad, grad);
            }
            else
            {
                buffer = new Tensor?[Math.Max(node.InputCount, inputNr + 1)];
                buffer[0] = node.EngineGrad;
                node.EngineGrad = null;
                buffer[inputNr] = Sum(buffer[inputNr], grad);
                node.EngineBuffer = buffer;
            }
        }

        public Grads Take(Node node)
        {
            var single = node.EngineGrad;
            var many = node.EngineBuffer;
            bool owned = node.EngineGradOwned;
            node.EngineGrad = null;
            node.EngineGradOwned = false;
            node.EngineBuffer = null;
            if (many is null && node.InputCount > 1)
            {
                many = new Tensor?[node.InputCount];
                many[0] = single;
            }
            return new Grads(single, many, owned);
        }
    }

    private readonly struct DictionaryState(Dictionary<Node, int> dependencies, Dictionary<Node, Tensor?[]> buffers) : IRunState
    {
        public int Dependencies(Node node) => dependencies.GetValueOrDefault(node);
        public void SetDependencies(Node node, int count) => dependencies[node] = count;

        public void Add(Node node, int inputNr, Tensor grad, bool owned = false)
        {
            if (!buffers.TryGetValue(node, out var slots))
                buffers[node] = slots = new Tensor?[Math.Max(node.InputCount, inputNr + 1)];
            slots[inputNr] = Sum(slots[inputNr], grad);
        }

        public Grads Take(Node node)
        {
            if (!buffers.Remove(node, out var slots)) slots = new Tensor?[Math.Max(node.InputCount, 1)];
            return slots.Length == 1 ? new Grads(slots[0], null) : new Grads(null, slots);
        }
    }

    /// <summary>For every node reachable from the roots, the number of edges pointing at it.</summary>
    internal static Dictionary<Node, int> CountDependencies(IReadOnlyList<Edge> roots)
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
    internal static HashSet<Node> NeededNodes(IEnumerable<Node> reachable, IReadOnlyList<Edge> captures)
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
