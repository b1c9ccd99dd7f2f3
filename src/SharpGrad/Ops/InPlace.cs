using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// Note [In-place ops]: an in-place op runs its out-of-place twin and writes the result back.
    /// (1) Everything is validated before the first write: the leaf and view-of-leaf errors (grad mode
    /// on only, as in PyTorch, so optimizers can update leaves under NoGrad), the broadcast shape
    /// must equal this tensor's shape, and the result dtype must be castable to this dtype. (2) When a
    /// graph is recorded, the twin runs on a stand-in for this tensor that carries its current
    /// gradient edge: a copy of the values when the derivative needs the old value (mul_, div_,
    /// exp_ ...), else an alias; so saved values are never clobbered by the write. (3) The write bumps
    /// the shared version counter (Note [Version counter]) and this tensor's grad_fn becomes the
    /// twin's node; for a view, the base's grad_fn becomes a CopySlices node (see CopySlices.cs) and
    /// the view's grad_fn is regenerated from the base. (4) Inside a dual level the stand-in carries this
    /// tensor's tangent, so the twin computes the result's tangent, which then becomes this tensor's
    /// (ForwardGrad.AfterInPlace). (5) With no graph and no dual level, <paramref name="direct"/> (when
    /// given) may write the result straight into this tensor and return true (Note [Direct in-place
    /// kernels]); it returns false, having written nothing, when the general path must run.
    /// </summary>
    internal Tensor InPlace(Func<Tensor, Tensor> outOfPlace, Tensor? other = null, bool needsOldValue = false,
        Func<Tensor, bool>? direct = null)
    {
        bool recording = GradMode.IsEnabled && (RequiresGrad || (other?.RequiresGrad ?? false));
        CheckInPlaceAllowed();
        if (ForwardGrad.AnyLevel) ForwardGrad.CheckInPlace(this);
        Tensor result;
        if (!recording)
        {
            // Note [Direct in-place kernels]: the kernel writes this tensor itself when that is safe.
            if (direct is not null && !ForwardGrad.AnyLevel && direct(this))
            {
                Version.Value++;
                DirectInPlaceWrites++;
                return this;
            }
            using (new GradModeScope(false)) result = outOfPlace(this);
            CheckInPlaceResult(result);
            Elementwise.Copy(result, this);
            Version.Value++;
            if (ForwardGrad.AnyLevel) ForwardGrad.AfterInPlace(this, result);
            return this;
        }
        var stand_in = AutogradStandIn(needsOldValue);
        result = outOfPlace(stand_in);
        CheckInPlaceResult(result);
        Elementwise.Copy(result, this);
        Version.Value++;
        if (ForwardGrad.AnyLevel) ForwardGrad.AfterInPlace(this, result);
        var node = result.GradFn ?? throw new InvalidOperationException("in-place op recorded no graph node");
        node.InputMeta = [new InputMetadata(Sizes, DType)];
        if (ViewBase is { } viewBase) CopySlices.Rebase(viewBase, this, node);
        else SetGradFn(node, 0);
        return this;
    }

    private void CheckInPlaceAllowed()
    {
        if (IsInferenceTensor && !SharpGrad.Autograd.InferenceMode.IsEnabled)
            throw new InvalidOperationException(
                "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.");
        if (!GradMode.IsEnabled) return;
        if (IsLeaf && RequiresGrad && ViewBase is null)
            throw new InvalidOperationException("a leaf Variable that requires grad is being used in an in-place operation.");
        if (ViewBase is { } b && b.IsLeaf && b.RequiresGrad)
            throw new InvalidOperationException("a view of a leaf Variable that requires grad is being used in an in-place operation.");
    }

    private void CheckInPlaceResult(Tensor result)
    {
        if (!ShapeUtil.SameShape(result.Sizes, Sizes))
            throw new InvalidOperationException(
                $"output with shape {ShapeUtil.Format(Sizes)} doesn't match the broadcast shape {ShapeUtil.Format(result.Sizes)}");
        if (!CanCast(result.DType, DType))
            throw new InvalidOperationException(
                $"result type {result.DType.ScalarTypeName()} can't be cast to the desired output type {DType.ScalarTypeName()}");
    }

    /// <summary>PyTorch's <c>can_cast</c>: no float to integer, no number to bool.</summary>
    private static bool CanCast(DType from, DType to) => from.Category() <= to.Category();

    /// <summary>A tensor that stands for this one in the graph: same gradient edge, old values.</summary>
    private Tensor AutogradStandIn(bool copyValues)
    {
        Tensor standIn;
        if (copyValues)
        {
            standIn = Allocate(DType, Sizes);
            Elementwise.Copy(this, standIn);
        }
        else standIn = new Tensor(Storage, Offset, Sizes, Strides, Version);
        var edge = GradientEdge();
        if (edge.Function is AccumulateGrad) standIn._requiresGrad = true;
        else if (edge.Function is { } fn) standIn.SetGradFn(fn, edge.InputNr);
        standIn._gradAccumulator = _gradAccumulator;
        // Its tangent is a copy too: the rule's graph may save it, and the write below updates the original.
        if (Tangent is { } tangent)
            using (ForwardGrad.Suspend()) ForwardGrad.SetTangent(standIn, tangent.Clone());
        return standIn;
    }

    /// <summary><c>this += alpha * other</c>, <c>tensor.add_(other, alpha=alpha)</c>.</summary>
    public Tensor AddInPlace(Tensor other, Scalar? alpha = null)
    {
        using var scope = Profiler.Op("aten::add_", this, other);
        return InPlace(t => t.Add(other, alpha), other, direct: t => t.DirectNumber<AddOp>(other, alpha));
    }

    /// <summary><c>this += s</c>, <c>tensor.add_(s)</c>.</summary>
    public Tensor AddInPlace(Scalar s)
    {
        using var scope = Profiler.Op("aten::add_", this);
        return InPlace(t => t.Add(s), direct: t => t.DirectNumber<AddOp>(s));
    }

    /// <summary><c>this -= alpha * other</c>, <c>tensor.sub_(other, alpha=alpha)</c>.</summary>
    public Tensor SubInPlace(Tensor other, Scalar? alpha = null)
    {
        using var scope = Profiler.Op("aten::sub_", this, other);
        return InPlace(t => t.Sub(other, alpha), other,
            direct: t => other.DType != DType.Bool && t.DirectNumber<SubOp>(other, alpha));
    }

    /// <summary><c>this -= s</c>, <c>tensor.sub_(s)</c>.</summary>
    public Tensor SubInPlace(Scalar s)
    {
        using var scope = Profiler.Op("aten::sub_", this);
        return InPlace(t => t.Sub(s), direct: t => t.DirectNumber<SubOp>(s));
    }

    /// <summary><c>this *= other</c>, <c>tensor.mul_(other)</c>.</summary>
    public Tensor MulInPlace(Tensor other)
    {
        using var scope = Profiler.Op("aten::mul_", this, other);
        return InPlace(t => t.Mul(other), other, needsOldValue: other.NeedsDerivative,
            direct: t => t.DirectNumber<MulOp>(other));
    }

    /// <summary><c>this *= s</c>, <c>tensor.mul_(s)</c>.</summary>
    public Tensor MulInPlace(Scalar s)
    {
        using var scope = Profiler.Op("aten::mul_", this);
        return InPlace(t => t.Mul(s), direct: t => t.DirectNumber<MulOp>(s));
    }

    /// <summary><c>this /= other</c>, <c>tensor.div_(other)</c>.</summary>
    public Tensor DivInPlace(Tensor other)
    {
        using var scope = Profiler.Op("aten::div_", this, other);
        return InPlace(t => t.Div(other), other, needsOldValue: other.NeedsDerivative,
            direct: t => t.DirectDiv(other));
    }

    /// <summary><c>this /= s</c>, <c>tensor.div_(s)</c>.</summary>
    public Tensor DivInPlace(Scalar s)
    {
        using var scope = Profiler.Op("aten::div_", this);
        return InPlace(t => t.Div(s), direct: t => t.DirectDiv(s));
    }

    /// <summary><c>this = -this</c>, <c>tensor.neg_()</c>.</summary>
    public Tensor NegInPlace()
    {
        using var scope = Profiler.Op("aten::neg_", this);
        return InPlace(t => t.Neg(), direct: static t => t.DirectUnaryNumber<NegOp>());
    }

    /// <summary><c>this = exp(this)</c>, <c>tensor.exp_()</c>.</summary>
    public Tensor ExpInPlace()
    {
        using var scope = Profiler.Op("aten::exp_", this);
        return InPlace(t => t.Exp(), direct: static t => t.DirectUnaryFloat<ExpOp>());
    }

    /// <summary><c>this = 1 / this</c>, <c>tensor.reciprocal_()</c>.</summary>
    public Tensor ReciprocalInPlace()
    {
        using var scope = Profiler.Op("aten::reciprocal_", this);
        return InPlace(t => t.Reciprocal(), direct: static t => t.DirectUnaryFloat<ReciprocalOp>());
    }

    /// <summary>Sets every element to zero, <c>tensor.zero_()</c>.</summary>
    public Tensor ZeroInPlace()
    {
        using var scope = Profiler.Op("aten::zero_", this);
        return InPlace(t => Filled(t, 0, new ZeroBackward0()));
    }

    /// <summary>Sets every element to <paramref name="value"/>, <c>tensor.fill_(value)</c>.</summary>
    /// <remarks>A floating value filled into an integer tensor is truncated toward zero, as in PyTorch.</remarks>
    public Tensor FillInPlace(Scalar value)
    {
        using var scope = Profiler.Op("aten::fill_", this);
        return InPlace(t => Filled(t, value.Value, new FillBackward2()));
    }

    /// <summary>Copies <paramref name="source"/> (broadcast, converted) into this tensor, <c>tensor.copy_(src)</c>.</summary>
    public Tensor CopyInPlace(Tensor source)
    {
        using var scope = Profiler.Op("aten::copy_", this, source);
        ShapeUtil.Broadcast(Sizes, source.Sizes); // PyTorch's size-mismatch text
        var expanded = source.Expand(Sizes);
        return InPlace(t =>
        {
            var r = Allocate(t.DType, t.Sizes);
            Elementwise.Copy(expanded, r);
            if (Graph.NeedsGrad(t, source)) Graph.Record(new CopyBackwards(), r, t, source);
            return r;
        }, source);
    }

    private static Tensor Filled(Tensor like, double value, Node node)
    {
        var r = Allocate(like.DType, like.Sizes);
        if (value != 0) r.FillRaw(value);
        if (Graph.NeedsGrad(like)) Graph.Record(node, r, like);
        return r;
    }

    /// <summary>In place <c>x += y</c> (C# 14 compound assignment): mutates x, as in PyTorch.</summary>
    public void operator +=(Tensor other) => AddInPlace(other);
    /// <summary>In place <c>x += s</c>.</summary>
    public void operator +=(Scalar s) => AddInPlace(s);
    /// <summary>In place <c>x -= y</c>.</summary>
    public void operator -=(Tensor other) => SubInPlace(other);
    /// <summary>In place <c>x -= s</c>.</summary>
    public void operator -=(Scalar s) => SubInPlace(s);
    /// <summary>In place <c>x *= y</c>.</summary>
    public void operator *=(Tensor other) => MulInPlace(other);
    /// <summary>In place <c>x *= s</c>.</summary>
    public void operator *=(Scalar s) => MulInPlace(s);
    /// <summary>In place <c>x /= y</c>.</summary>
    public void operator /=(Tensor other) => DivInPlace(other);
    /// <summary>In place <c>x /= s</c>.</summary>
    public void operator /=(Scalar s) => DivInPlace(s);
}

internal sealed class ZeroBackward0 : SingleOutputNode
{
    public override string Name => "ZeroBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [Torch.ZerosLike(grad)];
    internal override Tensor? Jvp(Tensor?[] t) => null; // a zero tangent
}

internal sealed class FillBackward2 : SingleOutputNode
{
    public override string Name => "FillBackward2";
    protected override Tensor?[] Backward(Tensor grad) => [Torch.ZerosLike(grad)];
    internal override Tensor? Jvp(Tensor?[] t) => null; // a zero tangent
}

internal sealed class CopyBackwards : SingleOutputNode
{
    public override string Name => "CopyBackwards";
    protected override Tensor?[] Backward(Tensor grad) => [Torch.ZerosLike(grad), grad];
    internal override Tensor? Jvp(Tensor?[] t) => t[1]; // src_t, broadcast to self (null: zero)
}
