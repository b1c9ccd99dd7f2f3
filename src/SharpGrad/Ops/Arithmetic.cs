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
        var result = Dispatch.BinaryNumber<AddOp>(this, b, Dispatch.ResultType(this, other));
        if (Graph.NeedsGrad(this, other)) Graph.Record(new AddBackward0(alpha), result, this, other);
        return result;
    }

    /// <summary><c>out = this + s</c>; <c>torch.add</c> with a number.</summary>
    public Tensor Add(Scalar s)
    {
        using var scope = Profiler.Op("aten::add", this);
        var result = Dispatch.BinaryNumber<AddOp>(this, s, TypePromotion.ResultType(this, s));
        // The number's edge is (None, 0), exactly what its wrapped tensor's would be.
        if (Graph.NeedsGrad(this)) Graph.Record(new AddBackward0(null), result, this, null);
        return result;
    }

    /// <summary><c>out = this - alpha * other</c>, broadcasting; <c>torch.sub</c>.</summary>
    public Tensor Sub(Tensor other, Scalar? alpha = null)
    {
        using var scope = Profiler.Op("aten::sub", this, other);
        CheckNotBoolSub(other);
        var b = alpha is { } s && s.Value != 1 ? other.Mul(s) : other;
        var result = Dispatch.BinaryNumber<SubOp>(this, b, Dispatch.ResultType(this, other));
        if (Graph.NeedsGrad(this, other)) Graph.Record(new SubBackward0(alpha), result, this, other);
        return result;
    }

    /// <summary><c>out = this - s</c>.</summary>
    public Tensor Sub(Scalar s)
    {
        using var scope = Profiler.Op("aten::sub", this);
        CheckNotBoolSubScalar();
        var result = Dispatch.BinaryNumber<SubOp>(this, s, TypePromotion.ResultType(this, s));
        if (Graph.NeedsGrad(this)) Graph.Record(new SubBackward0(null), result, this, null);
        return result;
    }

    /// <summary><c>out = s - this</c>, PyTorch's <c>torch.rsub</c> (node <c>RsubBackward1</c>).</summary>
    public Tensor RSub(Scalar s)
    {
        using var scope = Profiler.Op("aten::rsub", this);
        CheckNotBoolSubScalar();
        var result = Dispatch.BinaryNumber<SubOp>(this, s, TypePromotion.ResultType(this, s), scalarFirst: true);
        if (Graph.NeedsGrad(this)) Graph.Record(new RsubBackward1(), result, this);
        return result;
    }

    /// <summary><c>out = this * other</c>, broadcasting; <c>torch.mul</c>.</summary>
    public Tensor Mul(Tensor other)
    {
        using var scope = Profiler.Op("aten::mul", this, other);
        var result = Dispatch.BinaryNumber<MulOp>(this, other, Dispatch.ResultType(this, other));
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
        var result = Dispatch.BinaryNumber<MulOp>(this, s, TypePromotion.ResultType(this, s));
        if (Graph.NeedsGrad(this))
        {
            // PyTorch saves the wrapped number as `other`; a number cannot change in place, so the
            // node keeps the number itself (grad * s is grad * wrapped(s), value for value).
            var node = new MulBackward0();
            node.InitScalar(s);
            Graph.Record(node, result, this, null);
        }
        return result;
    }

    /// <summary>True division <c>out = this / other</c>, broadcasting; integers divide to float; <c>torch.div</c>.</summary>
    public Tensor Div(Tensor other)
    {
        using var scope = Profiler.Op("aten::div", this, other);
        var dtype = Dispatch.ResultType(this, other);
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
        if (Graph.NeedsGrad(this)) return Div(Wrap(s));
        var dtype = TypePromotion.ResultType(this, s);
        return Dispatch.BinaryFloat<DivOp>(this, s, dtype.IsFloatingPoint() ? dtype : DType.Float32);
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

    private void CheckNotBoolSubScalar()
    {
        // A number is never bool here (Scalar holds integers and floats), so only this tensor can be.
        if (DType == DType.Bool)
            throw new InvalidOperationException("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
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

    // self_t + alpha * other_t
    internal override Tensor? Jvp(Tensor?[] t) =>
        ForwardGrad.Add(t[0], t[1] is { } u && alpha is { } a && a.Value != 1 ? u * a : t[1]);
}

internal sealed class SubBackward0(Scalar? alpha) : SingleOutputNode
{
    public override string Name => "SubBackward0";
    protected override Tensor?[] Backward(Tensor grad) =>
        [grad, alpha is { } a && a.Value != 1 ? grad * -a.Value : -grad];

    // self_t - alpha * other_t
    internal override Tensor? Jvp(Tensor?[] t) =>
        ForwardGrad.Add(t[0], t[1] is not { } u ? null : alpha is { } a && a.Value != 1 ? u * -a.Value : -u);
}

internal sealed class RsubBackward1 : SingleOutputNode
{
    public override string Name => "RsubBackward1";
    protected override Tensor?[] Backward(Tensor grad) => [-grad];
    internal override Tensor? Jvp(Tensor?[] t) => -t[0]!;
}

internal sealed class MulBackward0 : SingleOutputNode
{
    private SavedTensor? _self, _other;
    private Scalar _otherNumber;
    private bool _hasNumber;

    public override string Name => "MulBackward0";

    // Each input's gradient needs the other input: save only what a required gradient uses.
    public void Init(Tensor self, Tensor other)
    {
        if (other.NeedsDerivative) _self = Save(self);
        if (self.NeedsDerivative) _other = Save(other);
    }

    /// <summary>self * number: only self's gradient, grad * number.</summary>
    public void InitScalar(Scalar other)
    {
        _otherNumber = other;
        _hasNumber = true;
    }

    protected override Tensor?[] Backward(Tensor grad) =>
        _hasNumber
            ? [grad * _otherNumber, null]
            : [_other is null ? null : grad * _other.Unpack(), _self is null ? null : grad * _self.Unpack()];

    // self_t * other + other_t * self
    internal override Tensor? Jvp(Tensor?[] t) => _hasNumber
        ? (t[0] is { } n ? n * _otherNumber : null)
        : ForwardGrad.Add(t[0] is { } u ? u * _other!.Unpack() : null, t[1] is { } w ? w * _self!.Unpack() : null);
}

internal sealed class DivBackward0 : SingleOutputNode
{
    private SavedTensor? _self, _other;

    public override string Name => "DivBackward0";

    public void Init(Tensor self, Tensor other)
    {
        if (other.NeedsDerivative) _self = Save(self);
        _other = Save(other);
    }

    // self_t / other - other_t * self / other^2
    internal override Tensor? Jvp(Tensor?[] t)
    {
        var other = _other!.Unpack();
        return ForwardGrad.Add(t[0] is { } u ? u / other : null, t[1] is { } w ? -w * _self!.Unpack() / (other * other) : null);
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
    internal override Tensor? Jvp(Tensor?[] t) => -t[0]!;
}

internal sealed class ExpBackward0 : SingleOutputNode
{
    public SavedTensor? Result;
    public override string Name => "ExpBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [grad * Result!.Unpack()];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]! * Result!.Unpack();
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

    internal override Tensor? Jvp(Tensor?[] t)
    {
        var r = Result!.Unpack();
        return -t[0]! * (r * r);
    }
}
