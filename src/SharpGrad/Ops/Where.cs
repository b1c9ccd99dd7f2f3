using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// <c>out = condition ? this : other</c>, broadcasting all three, <c>tensor.where(condition, other)</c>
    /// (the same as <c>torch.where(condition, this, other)</c>).
    /// </summary>
    public Tensor Where(Tensor condition, Tensor other) => Torch.Where(condition, this, other);

    /// <summary><c>out = condition ? this : other</c> with a number for <paramref name="other"/>.</summary>
    public Tensor Where(Tensor condition, Scalar other) => Torch.Where(condition, this, other);

    /// <summary>
    /// The selection behind every <c>Where</c> overload: numbers arrive as wrapped 0-dim tensors
    /// (Note [Wrapped numbers]), which never require grad, so only tensor operands get edges.
    /// </summary>
    internal static Tensor WhereImpl(Tensor condition, Tensor input, Tensor other)
    {
        if (condition.DType != DType.Bool)
            throw new InvalidOperationException(
                $"where expected condition to be a boolean tensor, but got a tensor with dtype {condition.DType.ScalarTypeName()}");
        var dtype = TypePromotion.ResultType(input, other);
        var sizes = ShapeUtil.Broadcast(ShapeUtil.Broadcast(condition.Sizes, input.Sizes), other.Sizes);
        var result = AllocateUninitialized(dtype, sizes); // the kernel writes every element
        SelectKernel.Apply(condition, Dispatch.As(input, dtype), Dispatch.As(other, dtype), result);
        if (Graph.NeedsGrad(input, other))
        {
            var node = new WhereBackward0();
            node.Condition = node.Save(condition);
            Graph.Record(node, result, input, other);
        }
        return result;
    }
}

public static partial class Torch
{
    /// <summary><c>out = condition ? input : other</c>, broadcasting all three, <c>torch.where(condition, input, other)</c>.</summary>
    /// <remarks>The condition must be a Bool tensor; the result dtype promotes input and other.</remarks>
    public static Tensor Where(Tensor condition, Tensor input, Tensor other)
    {
        using var scope = Profiler.Op("aten::where", condition, input, other);
        return SharpGrad.Tensor.WhereImpl(condition, input, other);
    }

    /// <summary><c>out = condition ? input : other</c> with a number for <paramref name="other"/>.</summary>
    public static Tensor Where(Tensor condition, Tensor input, Scalar other)
    {
        using var scope = Profiler.Op("aten::where", condition, input, null);
        return SharpGrad.Tensor.WhereImpl(condition, input, SharpGrad.Tensor.Wrap(other));
    }

    /// <summary><c>out = condition ? input : other</c> with a number for <paramref name="input"/>.</summary>
    public static Tensor Where(Tensor condition, Scalar input, Tensor other)
    {
        using var scope = Profiler.Op("aten::where", condition, (Tensor?)null, other);
        return SharpGrad.Tensor.WhereImpl(condition, SharpGrad.Tensor.Wrap(input), other);
    }

    /// <summary><c>out = condition ? input : other</c> with two numbers: Int64 for integers, else the default dtype.</summary>
    public static Tensor Where(Tensor condition, Scalar input, Scalar other)
    {
        using var scope = Profiler.Op("aten::where", condition, (Tensor?)null, null);
        return SharpGrad.Tensor.WhereImpl(condition, SharpGrad.Tensor.Wrap(input), SharpGrad.Tensor.Wrap(other));
    }
}

internal sealed class WhereBackward0 : SingleOutputNode
{
    public SavedTensor? Condition;

    public override string Name => "WhereBackward0";

    // self: where(condition, grad, 0);  other: where(condition, 0, grad)
    protected override Tensor?[] Backward(Tensor grad)
    {
        var condition = Condition!.Unpack();
        return [NextEdges[0].IsValid ? Torch.Where(condition, grad, 0) : null,
                NextEdges[1].IsValid ? Torch.Where(condition, 0, grad) : null];
    }

    // where(condition, self_t, other_t), a missing tangent being zero
    internal override Tensor? Jvp(Tensor?[] t)
    {
        var condition = Condition!.Unpack();
        if (t[0] is { } u) return t[1] is { } w ? Torch.Where(condition, u, w) : Torch.Where(condition, u, 0);
        return Torch.Where(condition, 0, t[1]!);
    }
}
