using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// <c>out = max(this, 0)</c>, keeping the dtype (integers stay integers); NaN stays NaN;
    /// <c>torch.relu</c>. Bool tensors are rejected, as in PyTorch.
    /// </summary>
    public Tensor Relu()
    {
        using var scope = Profiler.Op("aten::relu", this);
        if (DType == DType.Bool) throw new InvalidOperationException("Boolean inputs not supported for relu");
        return RecordUnary<ReluBackward0>(Dispatch.UnaryNumber<ReluOp>(this, DType), saveResult: true);
    }

    /// <summary><c>out = 1 / (1 + exp(-this))</c>; <c>torch.sigmoid</c>.</summary>
    public Tensor Sigmoid()
    {
        using var scope = Profiler.Op("aten::sigmoid", this);
        return RecordUnary<SigmoidBackward0>(Dispatch.UnaryFloat<SigmoidOp>(this), saveResult: true);
    }

    /// <summary><c>out = tanh(this)</c>; <c>torch.tanh</c>.</summary>
    public Tensor Tanh()
    {
        using var scope = Profiler.Op("aten::tanh", this);
        return RecordUnary<TanhBackward0>(Dispatch.UnaryFloat<TanhOp>(this), saveResult: true);
    }
}

internal sealed class ReluBackward0 : UnaryNode
{
    public override string Name => "ReluBackward0";

    // PyTorch's threshold_backward(grad, result, 0): result <= 0 ? 0 : grad, so a NaN result
    // passes the gradient through. When the backward is itself recorded (createGraph), PyTorch's
    // formula stays connected to the result with a zero derivative, so differentiating again gives
    // zeros instead of "does not require grad": result * 0 keeps that edge.
    protected override Tensor?[] Backward(Tensor grad)
    {
        var y = Saved;
        var off = y <= 0;
        return [Graph.NeedsGrad(y) ? Torch.Where(off, y * 0, grad) : Torch.Where(off, 0, grad)];
    }

    // threshold_backward(self_t, result, 0)
    internal override Tensor? Jvp(Tensor?[] t) => Torch.Where(Saved <= 0, 0, t[0]!);
}

internal sealed class SigmoidBackward0 : UnaryNode
{
    public override string Name => "SigmoidBackward0";

    // grad * (1 - result) * result
    protected override Tensor?[] Backward(Tensor grad)
    {
        var y = Saved;
        return [grad * (1 - y) * y];
    }

    internal override Tensor? Jvp(Tensor?[] t)
    {
        var y = Saved;
        return t[0]! * (1 - y) * y;
    }
}

internal sealed class TanhBackward0 : UnaryNode
{
    public override string Name => "TanhBackward0";

    // grad * (1 - result^2)
    protected override Tensor?[] Backward(Tensor grad)
    {
        var y = Saved;
        return [grad * (1 - y * y)];
    }

    internal override Tensor? Jvp(Tensor?[] t)
    {
        var y = Saved;
        return t[0]! * (1 - y * y);
    }
}
