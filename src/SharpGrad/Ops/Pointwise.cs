using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary><c>out = sqrt(this)</c>; negative inputs give NaN; <c>torch.sqrt</c>.</summary>
    public Tensor Sqrt()
    {
        using var scope = Profiler.Op("aten::sqrt", this);
        return RecordUnary<SqrtBackward0>(Dispatch.UnaryFloat<SqrtOp>(this), saveResult: true);
    }

    /// <summary><c>out = 1 / sqrt(this)</c>; <c>torch.rsqrt</c>.</summary>
    public Tensor Rsqrt()
    {
        using var scope = Profiler.Op("aten::rsqrt", this);
        return RecordUnary<RsqrtBackward0>(Dispatch.UnaryFloat<RsqrtOp>(this), saveResult: true);
    }

    /// <summary><c>out = ln(this)</c>; 0 gives -inf, negatives NaN; <c>torch.log</c>.</summary>
    public Tensor Log()
    {
        using var scope = Profiler.Op("aten::log", this);
        return RecordUnary<LogBackward0>(Dispatch.UnaryFloat<LogOp>(this), saveResult: false);
    }

    /// <summary><c>out = sin(this)</c>; <c>torch.sin</c>.</summary>
    public Tensor Sin()
    {
        using var scope = Profiler.Op("aten::sin", this);
        return RecordUnary<SinBackward0>(Dispatch.UnaryFloat<SinOp>(this), saveResult: false);
    }

    /// <summary><c>out = cos(this)</c>; <c>torch.cos</c>.</summary>
    public Tensor Cos()
    {
        using var scope = Profiler.Op("aten::cos", this);
        return RecordUnary<CosBackward0>(Dispatch.UnaryFloat<CosOp>(this), saveResult: false);
    }

    /// <summary><c>out = ln(1 + this)</c>, accurate near 0; <c>torch.log1p</c>.</summary>
    public Tensor Log1p()
    {
        using var scope = Profiler.Op("aten::log1p", this);
        return RecordUnary<Log1PBackward0>(Dispatch.UnaryFloat<Log1pOp>(this), saveResult: false);
    }

    /// <summary><c>out = exp(this) - 1</c>, accurate near 0; <c>torch.expm1</c>.</summary>
    public Tensor Expm1()
    {
        using var scope = Profiler.Op("aten::expm1", this);
        return RecordUnary<Expm1Backward0>(Dispatch.UnaryFloat<Expm1Op>(this), saveResult: true);
    }

    /// <summary>
    /// <c>out = |this|</c>, keeping the dtype; <c>torch.abs</c>. The gradient is <c>grad * sign(this)</c>
    /// (0 at 0). Bool tensors are not supported, as in PyTorch.
    /// </summary>
    public Tensor Abs()
    {
        using var scope = Profiler.Op("aten::abs", this);
        if (DType == DType.Bool) throw Dispatch.Unsupported("abs_cpu", DType);
        return RecordUnary<AbsBackward0>(Dispatch.UnaryNumber<AbsOp>(this, DType), saveResult: false);
    }

    /// <summary><c>out = sign(this)</c> in {-1, 0, 1}, keeping the dtype (NaN gives 0); <c>torch.sign</c>. Its gradient is zero.</summary>
    public Tensor Sign()
    {
        using var scope = Profiler.Op("aten::sign", this);
        var result = DType == DType.Bool ? CopyRaw() : Dispatch.UnaryNumber<SignOp>(this, DType);
        return RecordUnary<SignBackward0>(result, saveResult: null);
    }

    /// <summary><c>out = this * this</c>, <c>torch.square</c>: PyTorch's <c>pow(this, 2)</c>, so bool gives Int64.</summary>
    public Tensor Square()
    {
        using var scope = Profiler.Op("aten::square", this);
        return Pow(2);
    }

    /// <summary><c>out = floor(this)</c>; integers are copied; <c>torch.floor</c>. Its gradient is zero.</summary>
    public Tensor Floor()
    {
        using var scope = Profiler.Op("aten::floor", this);
        return RecordUnary<FloorBackward0>(Rounding<FloorOp>("floor_vml_cpu"), saveResult: null);
    }

    /// <summary><c>out = ceil(this)</c>; integers are copied; <c>torch.ceil</c>. Its gradient is zero.</summary>
    public Tensor Ceil()
    {
        using var scope = Profiler.Op("aten::ceil", this);
        return RecordUnary<CeilBackward0>(Rounding<CeilOp>("ceil_vml_cpu"), saveResult: null);
    }

    /// <summary><c>out = round(this)</c>, halves to even; integers are copied; <c>torch.round</c>. Its gradient is zero.</summary>
    public Tensor Round()
    {
        using var scope = Profiler.Op("aten::round", this);
        return RecordUnary<RoundBackward0>(Rounding<RoundOp>("round_vml_cpu"), saveResult: null);
    }

    private Tensor Rounding<TOp>(string kernelName) where TOp : IUnaryFloat<TOp>
    {
        if (DType == DType.Bool) throw Dispatch.Unsupported(kernelName, DType);
        return DType.IsFloatingPoint() ? Dispatch.UnaryFloat<TOp>(this) : CopyRaw();
    }

    /// <summary>
    /// Records a unary op when a gradient is needed. The node saves this tensor
    /// (<paramref name="saveResult"/> false), the result (true), or nothing (null).
    /// </summary>
    private Tensor RecordUnary<TNode>(Tensor result, bool? saveResult) where TNode : UnaryNode, new()
    {
        if (Graph.NeedsGrad(this))
        {
            var node = new TNode();
            if (saveResult is { } isOutput) node.Keep(isOutput ? result : this, isOutput);
            Graph.Record(node, result, this);
        }
        return result;
    }
}

/// <summary>A unary op's node that saves at most one tensor: its input or its result.</summary>
internal abstract class UnaryNode : SingleOutputNode
{
    private SavedTensor? _saved;

    public void Keep(Tensor tensor, bool isOutput) => _saved = Save(tensor, isOutput);

    /// <summary>The saved input or result.</summary>
    protected Tensor Saved => _saved!.Unpack();
}

internal sealed class SqrtBackward0 : UnaryNode
{
    public override string Name => "SqrtBackward0";
    // grad / (2 * result)
    protected override Tensor?[] Backward(Tensor grad) => [grad / (Saved * 2)];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]! / (Saved * 2);
}

internal sealed class RsqrtBackward0 : UnaryNode
{
    public override string Name => "RsqrtBackward0";
    // -0.5 * grad * result^3
    protected override Tensor?[] Backward(Tensor grad) => [grad * -0.5 * Saved.Pow(3)];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]! * -0.5 * Saved.Pow(3);
}

internal sealed class LogBackward0 : UnaryNode
{
    public override string Name => "LogBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [grad / Saved];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]! / Saved;
}

internal sealed class SinBackward0 : UnaryNode
{
    public override string Name => "SinBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [grad * Saved.Cos()];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]! * Saved.Cos();
}

internal sealed class CosBackward0 : UnaryNode
{
    public override string Name => "CosBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [grad * -Saved.Sin()];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]! * -Saved.Sin();
}

internal sealed class Log1PBackward0 : UnaryNode
{
    public override string Name => "Log1PBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [grad / (Saved + 1)];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]! / (Saved + 1);
}

internal sealed class Expm1Backward0 : UnaryNode
{
    public override string Name => "Expm1Backward0";
    protected override Tensor?[] Backward(Tensor grad) => [grad * (Saved + 1)];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]! * (Saved + 1);
}

internal sealed class AbsBackward0 : UnaryNode
{
    public override string Name => "AbsBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [grad * Saved.Sign()];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]! * Saved.Sign();
}

/// <summary>The node of a piecewise constant op: its gradient is zero everywhere.</summary>
internal abstract class ZeroGradNode : UnaryNode
{
    protected sealed override Tensor?[] Backward(Tensor grad) => [Torch.ZerosLike(grad)];
    // A zero tangent (Propagate materialises it as zeros).
    internal sealed override Tensor? Jvp(Tensor?[] t) => null;
}

internal sealed class SignBackward0 : ZeroGradNode
{
    public override string Name => "SignBackward0";
}

internal sealed class FloorBackward0 : ZeroGradNode
{
    public override string Name => "FloorBackward0";
}

internal sealed class CeilBackward0 : ZeroGradNode
{
    public override string Name => "CeilBackward0";
}

internal sealed class RoundBackward0 : ZeroGradNode
{
    public override string Name => "RoundBackward0";
}
