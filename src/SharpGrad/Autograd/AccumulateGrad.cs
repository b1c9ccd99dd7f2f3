namespace SharpGrad.Autograd;

/// <summary>
/// The sink node of a leaf that requires grad: adds the incoming gradient into <c>leaf.Grad</c>.
/// PyTorch's <c>AccumulateGrad</c>.
/// </summary>
public sealed class AccumulateGrad : Node
{
    internal AccumulateGrad(Tensor variable)
    {
        Variable = variable;
        SetSingleInputMeta(variable.Sizes, variable.DType);
        SequenceNr = long.MaxValue; // accumulate as soon as a gradient is ready, as PyTorch does
    }

    /// <summary>The leaf tensor this node accumulates into, <c>AccumulateGrad.variable</c>.</summary>
    public Tensor Variable { get; }

    /// <inheritdoc/>
    public override string Name => "AccumulateGrad";

    /// <inheritdoc/>
    protected internal override Tensor?[] Apply(Tensor?[] gradOutputs)
    {
        var incoming = gradOutputs[0];
        if (incoming is null) return [];
        // Backward passes on several threads may reach one leaf at once (PyTorch locks here too);
        // the lock is the leaf itself, so even two accumulators of one leaf cannot interleave.
        bool steal = StealNext;
        StealNext = false;
        lock (Variable) Accumulate(Variable, incoming, steal);
        if (_postAccumulateHooks is { Count: > 0 } hooks)
            foreach (var hook in hooks.ToArray()) hook(Variable);
        return [];
    }

    private List<Action<Tensor>>? _postAccumulateHooks;

    /// <summary>Set by the engine just before <see cref="Apply"/>: the gradient may be kept as is (Note [Stolen gradients]).</summary>
    internal bool StealNext;

    internal RemovableHandle AddPostAccumulateHook(Action<Tensor> hook)
    {
        var hooks = _postAccumulateHooks ??= [];
        lock (hooks) hooks.Add(hook);
        return new RemovableHandle(() =>
        {
            lock (hooks) hooks.Remove(hook);
        });
    }

    /// <summary>
    /// Note [Gradient accumulation]: the first gradient is stored as a fresh contiguous copy (or, when
    /// the engine proved nobody else holds it, as itself: Note [Stolen gradients]), never an
    /// alias of a tensor the user or the graph still holds (under createGraph the copy is a recorded
    /// clone), so a later in-place accumulation cannot write into the user's gradient argument.
    /// Later ones are added in place when grad mode is off (plain backward), or out of place when
    /// it is on (createGraph), so that the accumulated gradient is itself differentiable.
    /// </summary>
    internal static void Accumulate(Tensor variable, Tensor incoming, bool steal = false)
    {
        var existing = variable.GradRaw;
        if (existing is null && steal && !GradMode.IsEnabled && !incoming.RequiresGrad)
            variable.GradRaw = incoming; // the engine proved nothing else holds it (Note [Stolen gradients])
        else if (existing is null)
            variable.GradRaw = GradMode.IsEnabled ? incoming.Clone() : incoming.Detach().Clone();
        else if (!GradMode.IsEnabled && !existing.RequiresGrad)
            existing.AddInPlaceUnchecked(incoming);
        else
            variable.GradRaw = existing + incoming;
    }
}
