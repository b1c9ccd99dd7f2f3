namespace SharpGrad.Autograd;

/// <summary>
/// The <c>ctx</c> of a custom <see cref="Function"/>: what Forward leaves for Backward, PyTorch's
/// <c>FunctionCtx</c>.
/// </summary>
public sealed class FunctionContext
{
    private SavedTensor[]? _saved;
    private Tensor?[]? _toSave;
    internal HashSet<Tensor>? Dirty;
    internal HashSet<Tensor>? NonDifferentiable;
    internal FunctionNode? Node;

    internal FunctionContext(bool[] needsInputGrad) => NeedsInputGrad = needsInputGrad;

    /// <summary>Per input: whether its gradient is needed, <c>ctx.needs_input_grad</c>.</summary>
    public IReadOnlyList<bool> NeedsInputGrad { get; }

    /// <summary>Whether missing output gradients reach Backward as zeros (default) or as null, <c>ctx.set_materialize_grads</c>.</summary>
    public bool MaterializeGrads { get; private set; } = true;

    /// <summary>Free-form values Forward leaves for Backward (PyTorch's <c>ctx.attr = value</c>).</summary>
    public Dictionary<string, object?> Items { get; } = [];

    /// <summary>Saves tensors for Backward, checked against in-place changes, <c>ctx.save_for_backward(*tensors)</c>.</summary>
    public void SaveForBackward(params Tensor?[] tensors)
    {
        if (Node is not null) throw new InvalidOperationException("save_for_backward can only be called from forward");
        _toSave = tensors;
    }

    /// <summary>
    /// The tensors given to <see cref="SaveForBackward"/>, <c>ctx.saved_tensors</c>; throws if one was
    /// modified in place since, or if the graph was already freed.
    /// </summary>
    public Tensor?[] SavedTensors => _saved is null ? _toSave ?? [] : Array.ConvertAll(_saved, s => s?.Unpack());

    /// <summary>Declares inputs that Forward modified in place, <c>ctx.mark_dirty(*tensors)</c>.</summary>
    public void MarkDirty(params Tensor[] tensors) => (Dirty ??= new(ReferenceEqualityComparer.Instance)).UnionWith(tensors);

    /// <summary>Declares outputs that have no gradient, <c>ctx.mark_non_differentiable(*tensors)</c>.</summary>
    public void MarkNonDifferentiable(params Tensor[] tensors) =>
        (NonDifferentiable ??= new(ReferenceEqualityComparer.Instance)).UnionWith(tensors);

    /// <summary>Chooses whether missing output gradients are passed as zeros, <c>ctx.set_materialize_grads(value)</c>.</summary>
    public void SetMaterializeGrads(bool value) => MaterializeGrads = value;

    /// <summary>Turns the tensors given to SaveForBackward into version-checked saved tensors owned by the node.</summary>
    internal void Seal(FunctionNode node, Tensor[] outputs)
    {
        Node = node;
        if (_toSave is null) return;
        _saved = Array.ConvertAll(_toSave, t => t is null ? null! : node.Save(t, isOutput: Array.IndexOf(outputs, t) >= 0));
        _toSave = null;
    }
}
