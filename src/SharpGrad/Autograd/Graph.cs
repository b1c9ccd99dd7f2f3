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
/// (Note [Cheap nodes]).
/// </remarks>
internal static class Graph
{
    public static bool NeedsGrad(Tensor a) => a.RequiresGrad && GradMode.IsEnabled;

    public static bool NeedsGrad(Tensor a, Tensor b) => (a.RequiresGrad || b.RequiresGrad) && GradMode.IsEnabled;

    public static bool NeedsGrad(ReadOnlySpan<Tensor> inputs)
    {
        if (!GradMode.IsEnabled) return false;
        foreach (var t in inputs) if (t.RequiresGrad) return true;
        return false;
    }

    /// <summary>Records <paramref name="node"/> as the producer of <paramref name="result"/> from <paramref name="inputs"/>.</summary>
    public static Tensor Record(Node node, Tensor result, params ReadOnlySpan<Tensor?> inputs)
    {
        SetEdges(node, inputs);
        node.SetSingleInputMeta(result.Sizes, result.DType);
        result.SetGradFn(node, 0);
        return result;
    }

    /// <summary>Records a node with several differentiable outputs.</summary>
    public static void RecordMany(Node node, ReadOnlySpan<Tensor> results, params ReadOnlySpan<Tensor?> inputs)
    {
        SetEdges(node, inputs);
        var meta = new InputMetadata[results.Length];
        for (int i = 0; i < results.Length; i++)
        {
            meta[i] = new InputMetadata(results[i].Sizes, results[i].DType);
            results[i].SetGradFn(node, i);
        }
        node.InputMeta = meta;
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
