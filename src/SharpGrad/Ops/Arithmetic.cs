using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary><c>out = this + alpha * other</c>, broadcasting; <c>torch.add</c>.</summary>
    public Tensor Add(Tensor other, Scalar? alpha = null)
    {
        using var scope = Profiler.Op("aten::add", this, other);
        var b = alpha is { } s && s.Value != 1 ? other.Mul(s) : other;
        var result = Dispatch.BinaryNumber<AddOp>(this, b, TypePromotion.ResultType(this, other));
        if (Graph.NeedsGrad(this, other)) Graph.Record(new AddBackward0(alpha), result, this, other);
        return result;
    }

    /// <summary><c>out = this + s</c>; <c>torch.add</c> with a number.</summary>
    public Tensor Add(Scalar s)
    {
        using var scope = Profiler.Op("aten::add", this);
        return Add(Wrap(s));
    }

    /// <summary><c>out = this - alpha * other</c>, broadcasting; <c>torch.sub</c>.</summary>
    public Tensor Sub(Tensor other, Scalar? alpha = null)
    {
        using var scope = Profiler.Op("aten::sub", this, other);
        CheckNotBoolSub(other);
        var b = alpha is { } s && s.Value != 1 ? other.Mul(s) : other;
        var result = Dispatch.BinaryNumber<SubOp>(this, b, TypePromotion.ResultType(this, other));
        if (Graph.NeedsGrad(this, other)) Graph.Record(new SubBackward0(alpha), result, this, other);
        return result;
    }

    /// <summary><c>out = this - s</c>.</summary>
    public Tensor Sub(Scalar s)
    {
        using var scope = Profiler.Op("aten::sub", this);
        return Sub(Wrap(s));
    }

    /// <summary><c>out = s - this</c>, PyTorch's <c>torch.rsub</c> (node <c>RsubBackward1</c>).</summary>
    public Tensor RSub(Scalar s)
    {
        using var scope = Profiler.Op("aten::rsub", this);
        var w = Wrap(s);
        CheckNotBoolSub(w);
        var result = Dispatch.BinaryNumber<SubOp>(w, this, TypePromotion.ResultType(this, w));
        if (Graph.NeedsGrad(this)) Graph.Record(new RsubBackward1(), result, this);
        return result;
    }

    /// <summary><c>out = this * other</c>, broadcasting; <c>torch.mul</c>.</summary>
    public Tensor Mul(Tensor other)
    {
        using var scope = Profiler.Op("aten::mul", this, other);
        var result = Dispatch.BinaryNumber<MulOp>(this, other, TypePromotion.ResultType(this, other));
        if (Graph.NeedsGrad(this, other))
        {
            var node = new MulBackward0();
            node.Init(this, other);
            Graph.Record(node, result, this, other);
        }
        return result;
    }

    /// <summary><c>out = this * s</c>.</summary>
    public Tensor Mul(Scalar s)
    {
        using var scope = Profiler.Op("aten::mul", this);
        return Mul(Wrap(s));
    }

    /// <summary>True division <c>out = this / other</c>, broadcasting; integers divide to float; <c>torch.div</c>.</summary>
    public Tensor Div(Tensor other)
    {
        using var scope = Profiler.Op("aten::div", this, other);
        var dtype = TypePromotion.ResultType(this, other);
        if (!dtype.IsFloatingPoint()) dtype = DType.Float32;
        var result = Dispatch.BinaryFloat<DivOp>(this, other, dtype);
        if (Graph.NeedsGrad(this, other))
        {
            var node = new DivBackward0();
            node.Init(this, other);
            Graph.Record(node, result, this, other);
        }
        return result;
    }

    /// <summary><c>out = this / s</c>.</summary>
    public Tensor Div(Scalar s)
    {
        using var scope = Profiler.Op("aten::div", this);
        return Div(Wrap(s));
    }

    /// <summary><c>out = -this</c>; <c>torch.neg</c>.</summary>
    public Tensor Neg()
    {
        using var scope = Profiler.Op("aten::neg", this);
        if (DType == DType.Bool)
            throw new InvalidOperationException("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
        var result = Dispatch.UnaryNumber<NegOp>(this, DType);
        if (Graph.NeedsGrad(this)) Graph.Record(new NegBackward0(), result, this);
        return result;
    }

    /// <summary><c>out = exp(this)</c>; <c>torch.exp</c>.</summary>
    public Tensor Exp()
    {
        using var scope = Profiler.Op("aten::exp", this);
        var result = Dispatch.UnaryFloat<ExpOp>(this);
        if (Graph.NeedsGrad(this))
        {
            var node = new ExpBackward0();
            node.Result = node.Save(result, isOutput: true);
            Graph.Record(node, result, this);
        }
        return result;
    }

    /// <summary><c>out = 1 / this</c>; <c>torch.reciprocal</c>.</summary>
    public Tensor Reciprocal()
    {
        using var scope = Profiler.Op("aten::reciprocal", this);
        var result = Dispatch.UnaryFloat<ReciprocalOp>(this);
        if (Graph.NeedsGrad(this))
        {
            var node = new ReciprocalBackward0();
            node.Result = node.Save(result, isOutput: true);
            Graph.Record(node, result, this);
        }
        return result;
    }

    private void CheckNotBoolSub(Tensor other)
    {
        if (DType == DType.Bool && other.DType == DType.Bool)
            throw new InvalidOperationException("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.");
        if (DType == DType.Bool || other.DType == DType.Bool)
            throw new InvalidOperationException("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
    }

    /// <summary><c>a + b</c>.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    /// <summary><c>a + s</c>.</summary>
    public static Tensor operator +(Tensor a, Scalar s) => a.Add(s);
    /// <summary><c>s + a</c>.</summary>
    public static Tensor operator +(Scalar s, Tensor a) => a.Add(s);
    /// <summary><c>a - b</c>.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    /// <summary><c>a - s</c>.</summary>
    public static Tensor operator -(Tensor a, Scalar s) => a.Sub(s);
    /// <summary><c>s - a</c> (PyTorch's rsub).</summary>
    public static Tensor operator -(Scalar s, Tensor a) => a.RSub(s);
    /// <summary><c>a * b</c>.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    /// <summary><c>a * s</c>.</summary>
    public static Tensor operator *(Tensor a, Scalar s) => a.Mul(s);
    /// <summary><c>s * a</c>.</summary>
    public static Tensor operator *(Scalar s, Tensor a) => a.Mul(s);
    /// <summary><c>a / b</c> (true division).</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    /// <summary><c>a / s</c>.</summary>
    public static Tensor operator /(Tensor a, Scalar s) => a.Div(s);
    /// <summary><c>s / a</c>: PyTorch computes it as <c>a.reciprocal() * s</c>.</summary>
    public static Tensor operator /(Scalar s, Tensor a) => a.Reciprocal().Mul(s);
    /// <summary><c>-a</c>.</summary>
    public static Tensor operator -(Tensor a) => a.Neg();
}

internal sealed class AddBackward0(Scalar? alpha) : SingleOutputNode
{
    public override string Name => "AddBackward0";
    protected override Tensor?[] Backward(Tensor grad) =>
        [grad, alpha is { } a && a.Value != 1 ? grad * a : grad];
}

internal sealed class SubBackward0(Scalar? alpha) : SingleOutputNode
{
    public override string Name => "SubBackward0";
    protected override Tensor?[] Backward(Tensor grad) =>
        [grad, alpha is { } a && a.Value != 1 ? grad * -a.Value : -grad];
}

internal sealed class RsubBackward1 : SingleOutputNode
{
    public override string Name => "RsubBackward1";
    protected override Tensor?[] Backward(Tensor grad) => [-grad];
}

internal sealed class MulBackward0 : SingleOutputNode
{
    private SavedTensor? _self, _other;

    public override string Name => "MulBackward0";

    // Each input's gradient needs the other input: save only what a required gradient uses.
    public void Init(Tensor self, Tensor other)
    {
        if (other.RequiresGrad) _self = Save(self);
        if (self.RequiresGrad) _other = Save(other);
    }

    protected override Tensor?[] Backward(Tensor grad) =>
        [_other is null ? null : grad * _other.Unpack(), _self is null ? null : grad * _self.Unpack()];
}

internal sealed class DivBackward0 : SingleOutputNode
{
    private SavedTensor? _self, _other;

    public override string Name => "DivBackward0";

    public void Init(Tensor self, Tensor other)
    {
        if (other.RequiresGrad) _self = Save(self);
        _other = Save(other);
    }

    // self: grad / other;  other: -grad * self / (other * other)
    protected override Tensor?[] Backward(Tensor grad)
    {
        var other = _other!.Unpack();
        return [NextEdges[0].IsValid ? grad / other : null,
                _self is null ? null : -grad * _self.Unpack() / (other * other)];
    }
}

internal sealed class NegBackward0 : SingleOutputNode
{
    public override string Name => "NegBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [-grad];
}

internal sealed class ExpBackward0 : SingleOutputNode
{
    public SavedTensor? Result;
    public override string Name => "ExpBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [grad * Result!.Unpack()];
}

internal sealed class ReciprocalBackward0 : SingleOutputNode
{
    public SavedTensor? Result;
    public override string Name => "ReciprocalBackward0";

    // -grad * result^2
    protected override Tensor?[] Backward(Tensor grad)
    {
        var r = Result!.Unpack();
        return [-grad * (r * r)];
    }
}
