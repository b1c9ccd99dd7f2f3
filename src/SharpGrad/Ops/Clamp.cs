using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad;

public sealed partial class Tensor
{
    private const string ClampNoBounds = "torch.clamp: At least one of 'min' or 'max' must not be None";

    /// <summary>
    /// <c>out = min(max(this, min), max)</c>, <c>torch.clamp(input, min, max)</c>; either bound may be null, not both.
    /// </summary>
    /// <remarks>
    /// With both bounds, NaN in the input or a bound gives NaN, and min &gt; max gives max everywhere.
    /// With one bound, a NaN bound leaves the input unchanged (unlike <see cref="ClampMin"/>).
    /// The dtype promotes with the bounds: an integer tensor clamped by 1.5 is float32.
    /// </remarks>
    public Tensor Clamp(Scalar? min = null, Scalar? max = null)
    {
        using var scope = Profiler.Op("aten::clamp", this);
        if (min is null && max is null) throw new InvalidOperationException(ClampNoBounds);
        var lo = min is { } a ? Wrap(a) : null;
        var hi = max is { } b ? Wrap(b) : null;
        var result = ClampKernel(this, lo, hi, TypePromotion.ResultType(this, lo, hi));
        if (Graph.NeedsGrad(this))
        {
            var node = new ClampBackward1(min, max);
            node.Self = node.Save(this);
            Graph.Record(node, result, this);
        }
        return result;
    }

    /// <summary>
    /// <c>out = min(max(this, min), max)</c> with tensor bounds (broadcast; either may be null, not
    /// both), <c>torch.clamp(input, min, max)</c>. NaN anywhere gives NaN.
    /// </summary>
    public Tensor Clamp(Tensor? min = null, Tensor? max = null)
    {
        using var scope = Profiler.Op("aten::clamp", this, min, max);
        if (min is null && max is null) throw new InvalidOperationException(ClampNoBounds);
        var dtype = TypePromotion.ResultType(this, min, max);
        if (dtype == DType.Bool) throw Dispatch.Unsupported("clamp_cpu", dtype);
        var result = this;
        if (min is not null) result = Dispatch.BinaryNumber<MaximumOp>(result, min, dtype);
        if (max is not null) result = Dispatch.BinaryNumber<MinimumOp>(result, max, dtype);
        if (Graph.NeedsGrad([this, min ?? this, max ?? this]))
        {
            var node = new ClampBackward0();
            node.Init(this, min, max);
            Graph.Record(node, result, this, min, max);
        }
        return result;
    }

    /// <summary><c>out = max(this, min)</c>; a NaN input or bound gives NaN; <c>torch.clamp_min</c>.</summary>
    public Tensor ClampMin(Scalar min)
    {
        using var scope = Profiler.Op("aten::clamp_min", this);
        var lo = Wrap(min);
        var dtype = TypePromotion.ResultType(this, lo);
        // Unlike clamp(min: NaN), clamp_min(NaN) propagates the NaN bound.
        var result = double.IsNaN(min.Value) ? Dispatch.BinaryNumber<MaximumOp>(this, lo, dtype) : ClampKernel(this, lo, null, dtype);
        if (Graph.NeedsGrad(this))
        {
            var node = new ClampMinBackward0(min);
            node.Self = node.Save(this);
            Graph.Record(node, result, this);
        }
        return result;
    }

    /// <summary><c>out = min(this, max)</c>; a NaN input or bound gives NaN; <c>torch.clamp_max</c>.</summary>
    public Tensor ClampMax(Scalar max)
    {
        using var scope = Profiler.Op("aten::clamp_max", this);
        var hi = Wrap(max);
        var dtype = TypePromotion.ResultType(this, hi);
        var result = double.IsNaN(max.Value) ? Dispatch.BinaryNumber<MinimumOp>(this, hi, dtype) : ClampKernel(this, null, hi, dtype);
        if (Graph.NeedsGrad(this))
        {
            var node = new ClampMaxBackward0(max);
            node.Self = node.Save(this);
            Graph.Record(node, result, this);
        }
        return result;
    }

    /// <summary>Clamps by wrapped-number bounds: NaN-propagating with both, one-sided (std::max) with one.</summary>
    private static Tensor ClampKernel(Tensor x, Tensor? lo, Tensor? hi, DType dtype)
    {
        if (lo is not null && hi is not null)
        {
            var result = Dispatch.BinaryNumber<MaximumOp>(x, lo, dtype);
            return Dispatch.BinaryNumber<MinimumOp>(result, hi, dtype, result);
        }
        return lo is not null
            ? Dispatch.BinaryNumber<ClampMinOp>(x, lo, dtype)
            : Dispatch.BinaryNumber<ClampMaxOp>(x, hi!, dtype);
    }

    /// <summary>
    /// <c>out = max(this, other)</c> elementwise, broadcasting, NaN-propagating, <c>torch.maximum</c>.
    /// Where the two are equal each receives half the gradient.
    /// </summary>
    public Tensor Maximum(Tensor other)
    {
        using var scope = Profiler.Op("aten::maximum", this, other);
        return MinMax<MaximumOp>(other, maximum: true);
    }

    /// <summary>
    /// <c>out = min(this, other)</c> elementwise, broadcasting, NaN-propagating, <c>torch.minimum</c>.
    /// Where the two are equal each receives half the gradient.
    /// </summary>
    public Tensor Minimum(Tensor other)
    {
        using var scope = Profiler.Op("aten::minimum", this, other);
        return MinMax<MinimumOp>(other, maximum: false);
    }

    private Tensor MinMax<TOp>(Tensor other, bool maximum) where TOp : IBinaryNumber<TOp>
    {
        var dtype = TypePromotion.ResultType(this, other);
        // Bool: max is or, min is and; computed on 0/1 integers.
        var result = dtype == DType.Bool
            ? Dispatch.As(Dispatch.BinaryNumber<TOp>(this, other, DType.Int32), DType.Bool)
            : Dispatch.BinaryNumber<TOp>(this, other, dtype);
        if (Graph.NeedsGrad(this, other))
        {
            MinMaxBackward node = maximum ? new MaximumBackward0() : new MinimumBackward0();
            node.Self = node.Save(this);
            node.Other = node.Save(other);
            Graph.Record(node, result, this, other);
        }
        return result;
    }
}

internal sealed class ClampBackward1(Scalar? min, Scalar? max) : SingleOutputNode
{
    public SavedTensor? Self;

    public override string Name => "ClampBackward1";

    // where(self >= min and self <= max, grad, 0): a NaN input or bound gets no gradient.
    protected override Tensor?[] Backward(Tensor grad)
    {
        var self = Self!.Unpack();
        var pass = min is { } lo && max is { } hi ? (self >= lo).LogicalAnd(self <= hi)
            : min is { } lo1 ? self >= lo1
            : self <= max!.Value;
        return [Torch.Where(pass, grad, 0)];
    }

    // Pointwise with a 0/1 derivative: the rule is the backward formula applied to the tangent.
    internal override Tensor? Jvp(Tensor?[] t) => Backward(t[0]!)[0];
}

internal sealed class ClampMinBackward0(Scalar min) : SingleOutputNode
{
    public SavedTensor? Self;
    public override string Name => "ClampMinBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [Torch.Where(Self!.Unpack() >= min, grad, 0)];
    internal override Tensor? Jvp(Tensor?[] t) => Backward(t[0]!)[0];
}

internal sealed class ClampMaxBackward0(Scalar max) : SingleOutputNode
{
    public SavedTensor? Self;
    public override string Name => "ClampMaxBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [Torch.Where(Self!.Unpack() <= max, grad, 0)];
    internal override Tensor? Jvp(Tensor?[] t) => Backward(t[0]!)[0];
}

internal sealed class ClampBackward0 : SingleOutputNode
{
    private SavedTensor? _self, _min, _max;

    public override string Name => "ClampBackward0";

    public void Init(Tensor self, Tensor? min, Tensor? max)
    {
        _self = Save(self);
        if (min is not null) _min = Save(min);
        if (max is not null) _max = Save(max);
    }

    // self: where(self >= min and self <= max, grad, 0)
    // min:  where(self < min and min < max, grad, 0)   (just self < min without max)
    // max:  where(self > max or max < min, grad, 0)    (just self > max without min)
    protected override Tensor?[] Backward(Tensor grad)
    {
        var self = _self!.Unpack();
        var min = _min?.Unpack();
        var max = _max?.Unpack();
        Tensor? gSelf = null, gMin = null, gMax = null;
        if (NextEdges[0].IsValid)
        {
            var pass = min is not null && max is not null ? (self >= min).LogicalAnd(self <= max)
                : min is not null ? self >= min : self <= max!;
            gSelf = Torch.Where(pass, grad, 0);
        }
        if (min is not null && NextEdges[1].IsValid)
            gMin = Torch.Where(max is null ? self < min : (self < min).LogicalAnd(min < max), grad, 0);
        if (max is not null && NextEdges[2].IsValid)
            gMax = Torch.Where(min is null ? self > max : (self > max).LogicalOr(max < min), grad, 0);
        return [gSelf, gMin, gMax];
    }

    // Each input's tangent where it is the one selected (the masks of Backward).
    internal override Tensor? Jvp(Tensor?[] t)
    {
        var self = _self!.Unpack();
        var min = _min?.Unpack();
        var max = _max?.Unpack();
        Tensor? result = null;
        if (t[0] is { } u)
        {
            var pass = min is not null && max is not null ? (self >= min).LogicalAnd(self <= max)
                : min is not null ? self >= min : self <= max!;
            result = Torch.Where(pass, u, 0);
        }
        if (t.Length > 1 && t[1] is { } uMin)
            result = ForwardGrad.Add(result, Torch.Where(max is null ? self < min! : (self < min!).LogicalAnd(min! < max), uMin, 0));
        if (t.Length > 2 && t[2] is { } uMax)
            result = ForwardGrad.Add(result, Torch.Where(min is null ? self > max! : (self > max!).LogicalOr(max! < min), uMax, 0));
        return result;
    }
}

/// <summary>The larger (for maximum) or smaller input gets the gradient; ties split it.</summary>
internal abstract class MinMaxBackward(bool maximum) : SingleOutputNode
{
    public SavedTensor? Self, Other;

    // maximum, self: where(self == other, grad / 2, grad) masked to 0 where self < other;
    // other likewise masked where self > other (minimum swaps the masks).
    protected override Tensor?[] Backward(Tensor grad)
    {
        var self = Self!.Unpack();
        var other = Other!.Unpack();
        var shared = Torch.Where(self.Eq(other), grad / 2, grad);
        var selfLoses = maximum ? self < other : self > other;
        var otherLoses = maximum ? self > other : self < other;
        return [NextEdges[0].IsValid ? Torch.Where(selfLoses, 0, shared) : null,
                NextEdges[1].IsValid ? Torch.Where(otherLoses, 0, shared) : null];
    }

    // The winner's tangent; at ties the mean of both (the transpose of the split above).
    internal override Tensor? Jvp(Tensor?[] t)
    {
        var self = Self!.Unpack();
        var other = Other!.Unpack();
        var tie = self.Eq(other);
        Tensor? Part(Tensor? u, Tensor loses) => u is null ? null : Torch.Where(loses, 0, Torch.Where(tie, u / 2, u));
        return ForwardGrad.Add(Part(t[0], maximum ? self < other : self > other), Part(t[1], maximum ? self > other : self < other));
    }
}

internal sealed class MaximumBackward0() : MinMaxBackward(maximum: true)
{
    public override string Name => "MaximumBackward0";
}

internal sealed class MinimumBackward0() : MinMaxBackward(maximum: false)
{
    public override string Name => "MinimumBackward0";
}
