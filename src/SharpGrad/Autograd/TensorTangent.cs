using SharpGrad.Autograd;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>The tangent set on this tensor (Note [Forward AD levels]); read it through <see cref="Tangent"/>.</summary>
    internal Tensor? TangentValue;

    /// <summary>The dual level <see cref="TangentValue"/> belongs to.</summary>
    internal ForwardLevel? TangentLevel;

    /// <summary>
    /// True for the aliases made by <c>MakeDual</c> and <c>UnpackDual</c> and views of them: views for
    /// backward, but not forward views (PyTorch's <c>is_fw_differentiable = false</c>), so they never take
    /// a tangent from their base.
    /// </summary>
    internal bool NoForwardView;

    /// <summary>The forward-mode tangent at the current dual level, or null (PyTorch's <c>_fw_grad(level)</c>).</summary>
    internal Tensor? Tangent => ForwardGrad.AnyLevel ? ForwardGrad.TangentOf(this) : null;

    /// <summary>
    /// True when some derivative of this tensor is needed: it requires grad, or it carries a tangent at
    /// the active dual level. Ops decide what to save for their derivative formulas from it.
    /// </summary>
    internal bool NeedsDerivative => RequiresGrad || Tangent is not null;

    internal void SetTangent(Tensor tangent, ForwardLevel level)
    {
        TangentValue = tangent;
        TangentLevel = level;
    }

    internal void ClearTangent()
    {
        TangentValue = null;
        TangentLevel = null;
    }
}
