namespace SharpGrad.Autograd;

/// <summary>
/// The one place where ops are recorded into the autograd graph.
/// </summary>
/// <remarks>
/// Note [Recording]: an op first asks <see cref="NeedsGrad(Tensor)"/> (grad mode on and some input
/// requires grad); only then does it allocate its node, passing it to <see cref="Record"/>, which
/// wires the edges to the inputs' producers, stores the output's shape and dtype for the engine's
/// broadcast reduction, and makes the node the result's grad_fn. When no gradient is needed
/// nothing autograd-related is allocated; when one is, the node and its edge array are all
/// (Note [Cheap nodes]). Inside a dual level the same two steps also carry tangents (Note
/// [Forward AD] in ForwardGrad.cs).
/// </remarks>
internal static class Graph
{
    // Each form ends with the forward-AD check (Note [Forward AD]): one static read when no dual level exists.
    public static bool NeedsGrad(Tensor a) =>
        a.RequiresGrad && GradMode.IsEnabled || ForwardGrad.AnyLevel && ForwardGrad.HasTangent(a);

    public static bool NeedsGrad(Tensor a, Tensor b) =>
        (a.RequiresGrad || b.RequiresGrad) && GradMode.IsEnabled ||
        ForwardGrad.AnyLevel && (ForwardGrad.HasTangent(a) || ForwardGrad.HasTangent(b));

    public static bool NeedsGrad(ReadOnlySpan<Tensor> inputs)
    {
        if (GradMode.IsEnabled)
            foreach (var t in inputs) if (t.RequiresGrad) return true;
        return ForwardGrad.AnyLevel && ForwardGrad.AnyTangent(inputs!);
    }

    /// <summary>Records <paramref name="node"/> as the producer of <paramref name="result"/> from <paramref name="inputs"/>.</summary>
    public static Tensor Record(Node node, Tensor result, params ReadOnlySpan<Tensor?> inputs)
    {
        bool forward = ForwardGrad.AnyLevel && ForwardGrad.IsActive && ForwardGrad.AnyTangent(inputs);
        node.SetSingleInputMeta(result.Sizes, result.DType);
        if (!forward || NeedsBackward(inputs))
        {
            SetEdges(node, inputs);
            result.SetGradFn(node, 0);
        }
        if (forward) ForwardGrad.Propagate(node, [result], inputs, many: false);
        return result;
    }

    /// <summary>Records a node with several differentiable outputs.</summary>
    public static void RecordMany(Node node, ReadOnlySpan<Tensor> results, params ReadOnlySpan<Tensor?> inputs)
    {
        bool forward = ForwardGrad.AnyLevel && ForwardGrad.IsActive && ForwardGrad.AnyTangent(inputs);
        bool backward = !forward || NeedsBackward(inputs);
        if (backward) SetEdges(node, inputs);
        var meta = new InputMetadata[results.Length];
        for (int i = 0; i < results.Length; i++)
        {
            meta[i] = new InputMetadata(results[i].Sizes, results[i].DType);
            if (backward) results[i].SetGradFn(node, i);
        }
        node.InputMeta = meta;
        if (forward) ForwardGrad.Propagate(node, results, inputs, many: true);
    }

    /// <summary>
    /// With forward AD an op may be recorded only for its tangents: the backward graph is wired when
    /// grad mode is on and some input requires grad (Note [Forward AD]).
    /// </summary>
    private static bool NeedsBackward(ReadOnlySpan<Tensor?> inputs)
    {
        if (!GradMode.IsEnabled) return false;
        foreach (var t in inputs) if (t is { RequiresGrad: true }) return true;
        return false;
    }

    private static void SetEdges(Node node, ReadOnlySpan<Tensor?> inputs)
    {
        if (AnomalyMode.IsEnabled) node.ForwardStackTrace = Environment.StackTrace;
        var edges = new Edge[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
            edges[i] = inputs[i] is { } t ? t.GradientEdge() : default;
        node.NextEdges = edges;
    }
}
