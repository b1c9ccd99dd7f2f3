using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>The sum of all elements, <c>tensor.sum()</c>; integers and bools sum to Int64.</summary>
    public Tensor Sum(DType? dtype = null)
    {
        using var scope = Profiler.Op("aten::sum", this);
        var result = SumImpl(Reduce.Mask(Dim, null), false, dtype);
        if (Graph.NeedsGrad(this)) Graph.Record(new SumBackward0(Sizes), result, this);
        return result;
    }

    /// <summary>The sum over <paramref name="dim"/>, <c>tensor.sum(dim, keepdim)</c>.</summary>
    public Tensor Sum(int dim, bool keepDim = false, DType? dtype = null) => Sum([dim], keepDim, dtype);

    /// <summary>The sum over <paramref name="dims"/>, <c>tensor.sum(dims, keepdim)</c>.</summary>
    public Tensor Sum(int[] dims, bool keepDim = false, DType? dtype = null)
    {
        using var scope = Profiler.Op("aten::sum", this);
        var mask = Reduce.Mask(Dim, dims);
        var result = SumImpl(mask, keepDim, dtype);
        if (Graph.NeedsGrad(this)) Graph.Record(new SumBackward1(Sizes, mask, keepDim), result, this);
        return result;
    }

    /// <summary>The mean of all elements, <c>tensor.mean()</c>; floating point only.</summary>
    public Tensor Mean(DType? dtype = null)
    {
        using var scope = Profiler.Op("aten::mean", this);
        CheckMeanDType(dtype);
        var mask = Reduce.Mask(Dim, null);
        var result = SumImpl(mask, false, dtype).DivRaw(Numel);
        if (Graph.NeedsGrad(this)) Graph.Record(new MeanBackward0(Sizes, Numel), result, this);
        return result;
    }

    /// <summary>The mean over <paramref name="dim"/>, <c>tensor.mean(dim, keepdim)</c>.</summary>
    public Tensor Mean(int dim, bool keepDim = false, DType? dtype = null) => Mean([dim], keepDim, dtype);

    /// <summary>The mean over <paramref name="dims"/>, <c>tensor.mean(dims, keepdim)</c>.</summary>
    public Tensor Mean(int[] dims, bool keepDim = false, DType? dtype = null)
    {
        using var scope = Profiler.Op("aten::mean", this);
        CheckMeanDType(dtype);
        var mask = Reduce.Mask(Dim, dims);
        int count = 1;
        for (int d = 0; d < Dim; d++) if (mask[d]) count *= Sizes[d];
        var result = SumImpl(mask, keepDim, dtype).DivRaw(count);
        if (Graph.NeedsGrad(this)) Graph.Record(new MeanBackward1(Sizes, mask, keepDim, count), result, this);
        return result;
    }

    /// <summary>
    /// Sums this tensor down to <paramref name="sizes"/>, a shape it was broadcast from,
    /// <c>tensor.sum_to_size(size)</c>. Used by the engine to undo broadcasting.
    /// </summary>
    public Tensor SumToSize(params int[] sizes)
    {
        using var scope = Profiler.Op("aten::sum_to_size", this);
        if (ShapeUtil.SameShape(sizes, Sizes)) return this;
        int lead = Dim - sizes.Length;
        if (lead < 0) throw new ArgumentException($"size {{{ShapeUtil.Format(sizes)}}} is not expandable to size {{{ShapeUtil.Format(Sizes)}}}.");
        var dims = new List<int>();
        for (int d = 0; d < Dim; d++)
        {
            if (d < lead) dims.Add(d);
            else if (sizes[d - lead] == 1 && Sizes[d] != 1) dims.Add(d);
            else if (sizes[d - lead] != Sizes[d])
                throw new ArgumentException($"size {{{ShapeUtil.Format(sizes)}}} is not expandable to size {{{ShapeUtil.Format(Sizes)}}}.");
        }
        var result = dims.Count == 0 ? this : Sum(dims.ToArray(), keepDim: true);
        return lead > 0 || result.Dim != sizes.Length ? result.View(sizes) : result;
    }

    private Tensor SumImpl(bool[] mask, bool keepDim, DType? dtype)
    {
        var input = dtype is { } d ? Dispatch.As(this, d) : DType.IsFloatingPoint() ? this : Dispatch.As(this, DType.Int64);
        return Reduce.Apply<SumReduce>(input, mask, Reduce.OutputSizes(Sizes, mask, keepDim));
    }

    private void CheckMeanDType(DType? dtype)
    {
        var d = dtype ?? DType;
        if (!d.IsFloatingPoint())
            throw new InvalidOperationException(
                $"mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: {d.ScalarTypeName()}");
    }

    /// <summary>A freshly made float tensor divided by a count (kernel only; no autograd).</summary>
    private Tensor DivRaw(int count) => Dispatch.BinaryFloat<DivOp>(this, (double)count, DType);

    /// <summary>
    /// Reshapes a reduced gradient back to keepDim form so it broadcasts against the input:
    /// inserts size-1 dims where the reduction removed them.
    /// </summary>
    internal Tensor UnsqueezeReduced(int[] inputSizes, bool[] mask, bool keepDim)
    {
        if (keepDim) return this;
        // PyTorch's unsqueeze_multiple: one unsqueeze per reduced dim, ascending, so the graph of a
        // differentiated backward has PyTorch's nodes.
        var result = this;
        for (int d = 0; d < inputSizes.Length; d++)
            if (mask[d]) result = result.Unsqueeze(d);
        return result;
    }
}

internal sealed class SumBackward0(int[] selfSizes) : SingleOutputNode
{
    public override string Name => "SumBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [grad.Expand(selfSizes)];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.Sum();
}

internal sealed class SumBackward1(int[] selfSizes, bool[] mask, bool keepDim) : SingleOutputNode
{
    public override string Name => "SumBackward1";
    protected override Tensor?[] Backward(Tensor grad) => [grad.UnsqueezeReduced(selfSizes, mask, keepDim).Expand(selfSizes)];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.Sum(Reduce.Dims(mask), keepDim);
}

internal sealed class MeanBackward0(int[] selfSizes, int count) : SingleOutputNode
{
    public override string Name => "MeanBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [grad.Expand(selfSizes) / count];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.Sum() / count;
}

internal sealed class MeanBackward1(int[] selfSizes, bool[] mask, bool keepDim, int count) : SingleOutputNode
{
    public override string Name => "MeanBackward1";
    protected override Tensor?[] Backward(Tensor grad) =>
        [grad.UnsqueezeReduced(selfSizes, mask, keepDim).Expand(selfSizes) / count];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.Sum(Reduce.Dims(mask), keepDim) / count;
}
