using SharpGrad.Autograd;

namespace SharpGrad;

public sealed partial class Tensor
{
    private bool _requiresGrad;
    private Node? _gradFn;
    private Tensor? _grad;
    private AccumulateGrad? _gradAccumulator;
    private bool _retainsGrad;
    internal int OutputNr;

    /// <summary>Raw grad_fn without view regeneration, for internal use.</summary>
    internal Node? GradFnRaw => _gradFn;

    internal Tensor? GradRaw
    {
        get => _grad;
        set => _grad = value;
    }

    /// <summary>
    /// Whether gradients are computed for this tensor, <c>tensor.requires_grad</c>. Settable on
    /// leaves only; only floating point tensors can require grad.
    /// </summary>
    public bool RequiresGrad
    {
        get => _requiresGrad || _gradFn is not null;
        set
        {
            if (_gradFn is not null)
                throw new InvalidOperationException(value
                    ? "you can only change requires_grad flags of leaf variables."
                    : NonLeafRequiresGradFalse);
            if (value && !DType.IsFloatingPoint())
                throw new InvalidOperationException("only Tensors of floating point and complex dtype can require gradients");
            if (value) CheckInferenceRequiresGrad();
            _requiresGrad = value;
        }
    }

    private const string NonLeafRequiresGradFalse =
        "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().";

    private void CheckInferenceRequiresGrad()
    {
        if (IsInferenceTensor && !SharpGrad.Autograd.InferenceMode.IsEnabled)
            throw new InvalidOperationException("Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.");
    }

    /// <summary>Marks a freshly made factory result as requiring grad, with the factories' error text.</summary>
    internal void RequireGradFromFactory()
    {
        if (!DType.IsFloatingPoint())
            throw new InvalidOperationException("Only Tensors of floating point and complex dtype can require gradients");
        _requiresGrad = true;
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor, <c>tensor.requires_grad_(flag)</c>.</summary>
    public Tensor SetRequiresGrad(bool requiresGrad = true)
    {
        if (requiresGrad && !DType.IsFloatingPoint())
            throw new InvalidOperationException("only Tensors of floating point dtype can require gradients");
        if (requiresGrad) CheckInferenceRequiresGrad();
        if (_gradFn is not null)
        {
            // requires_grad_(True) on a non-leaf is a no-op in PyTorch; False is the leaf-only error.
            if (requiresGrad) return this;
            throw new InvalidOperationException(NonLeafRequiresGradFalse);
        }
        _requiresGrad = requiresGrad;
        return this;
    }

    /// <summary>True for tensors not produced by a recorded op, <c>tensor.is_leaf</c>.</summary>
    public bool IsLeaf => _gradFn is null;

    /// <summary>The node that produced this tensor, or null for leaves, <c>tensor.grad_fn</c>.</summary>
    public Node? GradFn
    {
        get
        {
            RefreshViewGradFn();
            return _gradFn;
        }
    }

    /// <summary>True when <see cref="RetainGrad"/> was called on this non-leaf, <c>tensor.retains_grad</c>.</summary>
    public bool RetainsGrad => _retainsGrad;

    /// <summary>
    /// The accumulated gradient, <c>tensor.grad</c>. Null until a backward pass reaches this leaf.
    /// Reading it on a non-leaf that did not call <see cref="RetainGrad"/> returns null and writes
    /// PyTorch's warning (once) to <see cref="Torch.WarningSink"/>.
    /// </summary>
    public Tensor? Grad
    {
        get
        {
            if (_gradFn is not null && !_retainsGrad && _grad is null) Warnings.NonLeafGradAccess();
            return _grad;
        }
        set
        {
            if (ReferenceEquals(value, this))
                throw new InvalidOperationException("can't assign Variable as its own grad");
            if (value is not null)
            {
                if (value.DType != DType)
                    throw new InvalidOperationException("assigned grad has data of a different type");
                if (!ShapeUtil.SameShape(value.Sizes, Sizes))
                    throw new InvalidOperationException("assigned grad has data of a different size");
            }
            _grad = value;
        }
    }

    /// <summary>Makes this non-leaf keep its gradient in <see cref="Grad"/> during backward, <c>tensor.retain_grad()</c>.</summary>
    public void RetainGrad()
    {
        if (!RequiresGrad)
            throw new InvalidOperationException("can't retain_grad on Tensor that has requires_grad=False");
        if (IsLeaf || _retainsGrad) return;
        _retainsGrad = true;
        (_gradFn!.RetainedGrads ??= []).Add((this, OutputNr));
    }

    /// <summary>
    /// A new tensor sharing storage and version counter with this one, outside the graph,
    /// <c>tensor.detach()</c>.
    /// </summary>
    public Tensor Detach() => new(Storage, Offset, Sizes, Strides, Version);

    /// <summary>
    /// An alias of the values that autograd does not track, <c>tensor.data</c>: like
    /// <see cref="Detach"/>, but with its own version counter (Note [Version counter]).
    /// </summary>
    public Tensor Data => new(Storage, Offset, Sizes, Strides);

    /// <summary>The version counter's value when this view's grad_fn was last set (Note [View regeneration]).</summary>
    private int _gradFnVersion;

    /// <summary>
    /// Note [View regeneration]: when the memory behind a view that is part of a graph is written in
    /// place through another alias (the base or a sibling view), the view's recorded history is
    /// stale. The shared version counter tells: if it moved since the view's grad_fn was set, the
    /// grad_fn is rebuilt as an as_strided view of the base (AsStridedBackward0), as PyTorch does.
    /// </summary>
    private void RefreshViewGradFn()
    {
        if (ViewBase is { } b && _gradFn is not null && _gradFnVersion != VersionValue && b.RequiresGrad)
            RegenerateViewGradFn();
    }

    /// <summary>Rebuilds this view's grad_fn from its base's current history.</summary>
    internal void RegenerateViewGradFn()
    {
        var b = ViewBase!;
        if (!b.RequiresGrad) return;
        var node = new AsStridedBackward0(new AsStridedGeometry(b.Sizes, b.Strides, b.Offset), new AsStridedGeometry(Sizes, Strides, Offset));
        node.NextEdges = [b.GradientEdge()];
        node.SetSingleInputMeta(Sizes, DType);
        SetGradFn(node, 0);
    }

    /// <summary>The edge a gradient for this tensor flows along: its grad_fn, or its leaf accumulator.</summary>
    internal Edge GradientEdge()
    {
        RefreshViewGradFn();
        if (_gradFn is not null) return new Edge(_gradFn, OutputNr);
        if (_requiresGrad) return new Edge(_gradAccumulator ??= new AccumulateGrad(this), 0);
        return default;
    }

    /// <summary>Detaches this tensor from its producer in place (non-differentiable outputs of custom functions).</summary>
    internal void ClearGradFn()
    {
        _gradFn = null;
        _requiresGrad = false;
    }

    /// <summary>Makes <paramref name="node"/> this tensor's grad_fn (for outputs of recorded ops and in-place rebasing).</summary>
    internal void SetGradFn(Node node, int outputNr)
    {
        if (_retainsGrad && _gradFn is not null && _gradFn != node)
        {
            _gradFn.RetainedGrads?.RemoveAll(r => r.Tensor == this);
            (node.RetainedGrads ??= []).Add((this, outputNr));
        }
        _gradFn = node;
        OutputNr = outputNr;
        _requiresGrad = false;
        _gradFnVersion = VersionValue;
    }
}
