using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad;

public sealed partial class Tensor
{
    // Note [Scalar overloads]: PyTorch has two overloads of add, mul and div with a number. Python's
    // `x * 0.5` and `x.mul(0.5)` wrap the number into a 0-dim tensor and call mul.Tensor (node
    // MulBackward0): that is the public Mul(Scalar). C++ code calling at::mul(tensor, scalar) runs
    // mul.Scalar (node MulBackward1), and PyTorch's C++ composites (cross_entropy with label
    // smoothing, the BCE-with-logits gradients, ...) record those nodes. The internal ops below are
    // those overloads, so the composites here record PyTorch's graph. Values and dtypes are the
    // public ops' (Note [Wrapped numbers]); only the node differs.

    /// <summary><c>out = this * s</c>, PyTorch's C++ <c>mul.Scalar</c> (node <c>MulBackward1</c>).</summary>
    internal Tensor MulScalar(Scalar s)
    {
        var wrapped = Wrap(s);
        var result = Dispatch.BinaryNumber<MulOp>(this, wrapped, TypePromotion.ResultType(this, wrapped));
        if (Graph.NeedsGrad(this)) Graph.Record(new MulBackward1(s), result, this);
        return result;
    }

    /// <summary><c>out = this + s</c>, PyTorch's C++ <c>add.Scalar</c> (node <c>AddBackward1</c>).</summary>
    internal Tensor AddScalar(Scalar s)
    {
        var wrapped = Wrap(s);
        var result = Dispatch.BinaryNumber<AddOp>(this, wrapped, TypePromotion.ResultType(this, wrapped));
        if (Graph.NeedsGrad(this)) Graph.Record(new AddBackward1(), result, this);
        return result;
    }

    /// <summary><c>out = this / s</c> (true division), PyTorch's C++ <c>div.Scalar</c> (node <c>DivBackward1</c>).</summary>
    internal Tensor DivScalar(Scalar s)
    {
        var wrapped = Wrap(s);
        var dtype = TypePromotion.ResultType(this, wrapped);
        var result = Dispatch.BinaryFloat<DivOp>(this, wrapped, dtype.IsFloatingPoint() ? dtype : DType.Float32);
        if (Graph.NeedsGrad(this)) Graph.Record(new DivBackward1(s), result, this);
        return result;
    }
}

internal sealed class MulBackward1(Scalar scalar) : SingleOutputNode
{
    public override string Name => "MulBackward1";

    // self: grad * other (PyTorch wraps the number: MulBackward0 when recorded)
    protected override Tensor?[] Backward(Tensor grad) => [grad * scalar];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]! * scalar;
}

internal sealed class AddBackward1 : SingleOutputNode
{
    public override string Name => "AddBackward1";
    protected override Tensor?[] Backward(Tensor grad) => [grad];
    internal override Tensor? Jvp(Tensor?[] t) => t[0];
}

internal sealed class DivBackward1(Scalar scalar) : SingleOutputNode
{
    public override string Name => "DivBackward1";

    // self: grad / other (PyTorch wraps the number: DivBackward0 when recorded)
    protected override Tensor?[] Backward(Tensor grad) => [grad / scalar];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]! / scalar;
}
