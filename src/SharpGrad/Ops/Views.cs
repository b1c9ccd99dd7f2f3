using SharpGrad.Autograd;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// Note [Views]: a view shares storage and version counter with its base and records the base,
    /// so an in-place write through either is seen by both, and autograd can rebase the graph
    /// (see InPlace.cs). <see cref="Detach"/> and <see cref="Data"/> are aliases, not views.
    /// </summary>
    internal Tensor? ViewBase;

    /// <summary>Makes an autograd-free view of this tensor with the given geometry.</summary>
    internal Tensor MakeView(int offset, int[] sizes, int[] strides) =>
        new(Storage, offset, sizes, strides, Version) { ViewBase = ViewBase ?? this, NoForwardView = NoForwardView };

    /// <summary>Makes a view and records <paramref name="node"/> as its grad_fn when needed.</summary>
    internal Tensor View(int offset, int[] sizes, int[] strides, Func<Node> node)
    {
        var view = MakeView(offset, sizes, strides);
        if (Graph.NeedsGrad(this)) Graph.Record(node(), view, this);
        return view;
    }

    /// <summary>
    /// This tensor broadcast to <paramref name="sizes"/> without copying (stride 0 along new or
    /// size-1 dims), <c>tensor.expand(sizes)</c>; -1 keeps a size.
    /// </summary>
    public Tensor Expand(params int[] sizes)
    {
        using var scope = Profiler.Op("aten::expand", this);
        if (sizes.Length < Dim)
            throw new ArgumentException(
                $"expand({DType.LegacyTypeName()}{{{ShapeUtil.Format(Sizes)}}}, size={ShapeUtil.Format(sizes)}): the number of sizes provided ({sizes.Length}) must be greater or equal to the number of dimensions in the tensor ({Dim})");
        var newSizes = new int[sizes.Length];
        var newStrides = new int[sizes.Length];
        int lead = sizes.Length - Dim;
        for (int i = sizes.Length - 1; i >= 0; i--)
        {
            int j = i - lead;
            int target = sizes[i];
            if (j >= 0)
            {
                if (target == -1) target = Sizes[j];
                if (Sizes[j] == target) { newSizes[i] = target; newStrides[i] = Strides[j]; continue; }
                if (Sizes[j] != 1)
                    throw new ArgumentException(
                        $"The expanded size of the tensor ({target}) must match the existing size ({Sizes[j]}) at non-singleton dimension {i}.  Target sizes: {ShapeUtil.Format(sizes)}.  Tensor sizes: {ShapeUtil.Format(Sizes)}");
            }
            else if (target < 0)
                throw new ArgumentException(
                    $"The expanded size of the tensor ({target}) isn't allowed in a leading, non-existing dimension {i}");
            newSizes[i] = target;
            newStrides[i] = 0;
        }
        var original = Sizes;
        return View(Offset, newSizes, newStrides, () => new ExpandBackward0(original));
    }

    /// <summary>This tensor expanded to <paramref name="other"/>'s shape, <c>tensor.expand_as(other)</c>.</summary>
    public Tensor ExpandAs(Tensor other)
    {
        using var scope = Profiler.Op("aten::expand_as", this, other);
        return Expand(other.Sizes);
    }
}

internal sealed class ExpandBackward0(int[] selfSizes) : SingleOutputNode
{
    public override string Name => "ExpandBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [grad.SumToSize(selfSizes)];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.Expand(OutputSizes);
}
