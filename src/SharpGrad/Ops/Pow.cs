using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// <c>out = this ^ exponent</c>, <c>tensor.pow(exponent)</c> (Python's <c>x ** 2</c>). The dtype
    /// promotes with the exponent: an integer tensor stays integer for an integer exponent (wrapping on
    /// overflow) and becomes float32 for a floating one.
    /// </summary>
    /// <remarks>
    /// Integer and bool tensors reject negative integer exponents, as in PyTorch. Exponents 0.5, 2, 3,
    /// -0.5, -1 and -2 use sqrt, products and reciprocals, like PyTorch's kernel.
    /// </remarks>
    public Tensor Pow(Scalar exponent)
    {
        using var scope = Profiler.Op("aten::pow", this);
        if (!DType.IsFloatingPoint() && exponent.IsIntegral && exponent.Value < 0)
            throw new InvalidOperationException("Integers to negative integer powers are not allowed.");
        var dtype = TypePromotion.ResultType(this, exponent);
        var result = PowScalarKernel(Dispatch.As(this, dtype), exponent.Value);
        if (Graph.NeedsGrad(this))
        {
            var node = new PowBackward0(exponent.Value);
            node.Self = node.Save(this);
            Graph.Record(node, result, this);
        }
        return result;
    }

    /// <summary>
    /// <c>out = this ^ exponent</c> elementwise, broadcasting, <c>torch.pow(input, exponent)</c>.
    /// Integer results follow PyTorch: a negative exponent gives 0 except for bases 1 and -1.
    /// </summary>
    public Tensor Pow(Tensor exponent)
    {
        using var scope = Profiler.Op("aten::pow", this, exponent);
        var result = PowTensorKernel(this, exponent, TypePromotion.ResultType(this, exponent));
        if (Graph.NeedsGrad(this, exponent))
        {
            var node = new PowBackward1();
            node.Init(this, exponent, result);
            Graph.Record(node, result, this, exponent);
        }
        return result;
    }

    /// <summary>The forward of <c>torch.pow(Scalar, Tensor)</c>: see <see cref="Torch.Pow(Scalar, Tensor)"/>.</summary>
    internal static Tensor PowScalarBase(Scalar self, Tensor exponent)
    {
        var b = Wrap(self);
        var dtype = TypePromotion.ResultType(b, exponent);
        // PyTorch returns ones for base 1 without running the kernel.
        var result = self.Value == 1 ? Torch.Full(exponent.Sizes, 1, dtype) : PowTensorKernel(b, exponent, dtype);
        if (Graph.NeedsGrad(exponent))
        {
            var node = new PowBackward2(self.Value);
            node.Init(exponent, result);
            Graph.Record(node, result, exponent);
        }
        return result;
    }

    private static Tensor PowScalarKernel(Tensor x, double e)
    {
        var dtype = x.DType;
        if (e == 0) return Torch.Full(x.Sizes, 1, dtype);
        if (e == 1) return x.CopyRaw();
        if (e == 2) return Dispatch.UnaryNumber<SquareOp>(x, dtype);
        if (e == 3) return Dispatch.UnaryNumber<CubeOp>(x, dtype);
        if (dtype.IsFloatingPoint())
        {
            if (e == 0.5) return Dispatch.UnaryFloat<SqrtOp>(x);
            if (e == -0.5) return Dispatch.UnaryFloat<RsqrtOp>(x);
            if (e == -1) return Dispatch.UnaryFloat<ReciprocalOp>(x);
            if (e == -2) return Dispatch.UnaryFloat<InverseSquareOp>(x);
        }
        return PowTensorKernel(x, Wrap(e), dtype);
    }

    private static Tensor PowTensorKernel(Tensor a, Tensor b, DType dtype)
    {
        if (dtype == DType.Bool) throw Dispatch.Unsupported("pow", dtype);
        if (dtype.IsFloatingPoint()) return Dispatch.BinaryFloat<PowOp>(a, b, dtype);
        a = Dispatch.As(a, dtype);
        b = Dispatch.As(b, dtype);
        var output = Allocate(dtype, ShapeUtil.Broadcast(a.Sizes, b.Sizes));
        if (dtype == DType.Int64) Elementwise.Binary<long, long, IntPowKernel<long>>(a, b, output);
        else Elementwise.Binary<int, int, IntPowKernel<int>>(a, b, output);
        return output;
    }
}

public static partial class Torch
{
    /// <summary><c>out = self ^ exponent</c> for a number base, <c>torch.pow(self, exponent)</c>.</summary>
    /// <remarks>The dtype promotes the base (as a wrapped number) with the exponent tensor.</remarks>
    public static Tensor Pow(Scalar self, Tensor exponent)
    {
        using var scope = Profiler.Op("aten::pow", exponent);
        return SharpGrad.Tensor.PowScalarBase(self, exponent);
    }

    /// <summary><c>out = input ^ exponent</c>, <c>torch.pow(input, exponent)</c>.</summary>
    public static Tensor Pow(Tensor input, Scalar exponent) => input.Pow(exponent);

    /// <summary><c>out = input ^ exponent</c> elementwise, <c>torch.pow(input, exponent)</c>.</summary>
    public static Tensor Pow(Tensor input, Tensor exponent) => input.Pow(exponent);
}

internal sealed class PowBackward0(double exponent) : SingleOutputNode
{
    public SavedTensor? Self;

    public override string Name => "PowBackward0";

    // exponent == 0: zeros;  else grad * exponent * self^(exponent - 1)
    protected override Tensor?[] Backward(Tensor grad)
    {
        var self = Self!.Unpack();
        if (exponent == 0) return [Torch.ZerosLike(self)];
        return [grad * (self.Pow(exponent - 1) * exponent)];
    }

    // self_t * exponent * self^(exponent - 1); zero for exponent 0
    internal override Tensor? Jvp(Tensor?[] t) =>
        exponent == 0 ? null : t[0]! * (Self!.Unpack().Pow(exponent - 1) * exponent);
}

internal sealed class PowBackward1 : SingleOutputNode
{
    private SavedTensor? _self, _exponent, _result;

    public override string Name => "PowBackward1";

    public void Init(Tensor self, Tensor exponent, Tensor result)
    {
        _self = Save(self);
        _exponent = Save(exponent);
        if (exponent.NeedsDerivative) _result = Save(result, isOutput: true);
    }

    // The transpose of Backward: the same two factors times the tangents.
    internal override Tensor? Jvp(Tensor?[] t)
    {
        var self = _self!.Unpack();
        var exponent = _exponent!.Unpack();
        Tensor? dSelf = null, dExponent = null;
        if (t[0] is { } u)
            dSelf = Torch.Where(exponent.Eq(0), 0, u * (exponent * self.Pow(exponent - 1)));
        if (t[1] is { } w)
            dExponent = w * Torch.Where((exponent >= 0).LogicalAnd(self.Eq(0)), 0, _result!.Unpack() * self.Log());
        return ForwardGrad.Add(dSelf, dExponent);
    }

    // self:     where(exponent == 0, 0, grad * exponent * self^(exponent - 1))
    // exponent: grad * where(exponent >= 0 and self == 0, 0, result * log(self))
    protected override Tensor?[] Backward(Tensor grad)
    {
        var self = _self!.Unpack();
        var exponent = _exponent!.Unpack();
        Tensor? gSelf = null, gExponent = null;
        if (NextEdges[0].IsValid)
            gSelf = Torch.Where(exponent.Eq(0), 0, grad * (exponent * self.Pow(exponent - 1)));
        if (_result is not null && NextEdges[1].IsValid)
        {
            var atZero = (exponent >= 0).LogicalAnd(self.Eq(0));
            gExponent = grad * Torch.Where(atZero, 0, _result.Unpack() * self.Log());
        }
        return [gSelf, gExponent];
    }
}

internal sealed class PowBackward2(double self) : SingleOutputNode
{
    private SavedTensor? _exponent, _result;

    public override string Name => "PowBackward2";

    public void Init(Tensor exponent, Tensor result)
    {
        if (self == 0) _exponent = Save(exponent);
        _result = Save(result, isOutput: true);
    }

    // exponent: grad * result * log(self), with 0 where self == 0 and exponent >= 0
    protected override Tensor?[] Backward(Tensor grad)
    {
        var scaled = _result!.Unpack() * Math.Log(self);
        if (_exponent is null) return [grad * scaled];
        return [grad * Torch.Where(_exponent.Unpack() >= 0, 0, scaled)];
    }

    internal override Tensor? Jvp(Tensor?[] t) => Backward(t[0]!)[0];
}
