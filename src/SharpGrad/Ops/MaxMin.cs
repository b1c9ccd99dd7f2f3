using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad;

/// <summary>
/// The values and their indices from a reduction over one dim, PyTorch's <c>torch.return_types.max</c>
/// (and <c>min</c>): deconstructs as <c>var (values, indices) = x.Max(1);</c>.
/// </summary>
/// <param name="Values">The selected values; carries the gradient.</param>
/// <param name="Indices">Their positions along the reduced dim (Int64).</param>
public readonly record struct ValuesIndices(Tensor Values, Tensor Indices)
{
    /// <summary>The op that produced the pair (<c>max</c> or <c>min</c>), for printing.</summary>
    internal string OpName { get; init; } = "max";

    /// <summary>PyTorch's repr: <c>torch.return_types.max(values=..., indices=...)</c> on three lines.</summary>
    public override string ToString() => $"torch.return_types.{OpName ?? "max"}(\nvalues={Values},\nindices={Indices})";
}

public sealed partial class Tensor
{
    /// <summary><c>out = max(x)</c> over all elements, <c>tensor.max()</c>; NaN if any element is NaN.</summary>
    /// <remarks>The gradient is shared evenly among the elements equal to the max (MaxBackward1).</remarks>
    public Tensor Max()
    {
        using var scope = Profiler.Op("aten::max", this);
        return Extreme(max: true);
    }

    /// <summary><c>out = min(x)</c> over all elements, <c>tensor.min()</c>; NaN if any element is NaN.</summary>
    /// <remarks>The gradient is shared evenly among the elements equal to the min (MinBackward1).</remarks>
    public Tensor Min()
    {
        using var scope = Profiler.Op("aten::min", this);
        return Extreme(max: false);
    }

    /// <summary>
    /// <c>(values, indices) = max over dim</c>, <c>tensor.max(dim, keepdim)</c>: the first maximum of
    /// each slice (the first NaN if any) and its index.
    /// </summary>
    public ValuesIndices Max(int dim, bool keepDim = false)
    {
        using var scope = Profiler.Op("aten::max", this);
        return ExtremeDim(dim, keepDim, max: true);
    }

    /// <summary>
    /// <c>(values, indices) = min over dim</c>, <c>tensor.min(dim, keepdim)</c>: the first minimum of
    /// each slice (the first NaN if any) and its index.
    /// </summary>
    public ValuesIndices Min(int dim, bool keepDim = false)
    {
        using var scope = Profiler.Op("aten::min", this);
        return ExtremeDim(dim, keepDim, max: false);
    }

    /// <summary>
    /// The Int64 index of the first maximum (first NaN if any), <c>tensor.argmax(dim, keepdim)</c>;
    /// a flat row-major index when <paramref name="dim"/> is null. Not defined for Bool (as in PyTorch).
    /// </summary>
    public Tensor ArgMax(int? dim = null, bool keepDim = false)
    {
        using var scope = Profiler.Op("aten::argmax", this);
        return ArgExtreme(dim, keepDim, max: true);
    }

    /// <summary>
    /// The Int64 index of the first minimum (first NaN if any), <c>tensor.argmin(dim, keepdim)</c>;
    /// a flat row-major index when <paramref name="dim"/> is null. Not defined for Bool (as in PyTorch).
    /// </summary>
    public Tensor ArgMin(int? dim = null, bool keepDim = false)
    {
        using var scope = Profiler.Op("aten::argmin", this);
        return ArgExtreme(dim, keepDim, max: false);
    }

    /// <summary>
    /// <c>out = log(sum(exp(x)))</c> over <paramref name="dim"/>, computed stably, <c>tensor.logsumexp(dim, keepdim)</c>.
    /// Integer inputs compute in the default dtype.
    /// </summary>
    public Tensor LogSumExp(int dim, bool keepDim = false) => LogSumExp([dim], keepDim);

    /// <summary><c>out = log(sum(exp(x)))</c> over <paramref name="dims"/>, <c>tensor.logsumexp(dims, keepdim)</c>.</summary>
    public Tensor LogSumExp(int[] dims, bool keepDim = false)
    {
        using var scope = Profiler.Op("aten::logsumexp", this);
        var input = DType.IsFloatingPoint() ? this : Dispatch.As(this, DType.Float32);
        var mask = Reduce.Mask(Dim, dims);
        var result = ReduceFloat.LogSumExp(input, mask, Reduce.OutputSizes(Sizes, mask, keepDim));
        if (Graph.NeedsGrad(this))
        {
            var node = new LogsumexpBackward0(Sizes, mask, keepDim);
            node.Self = node.Save(this);
            node.Result = node.Save(result, isOutput: true);
            Graph.Record(node, result, this);
        }
        return result;
    }

    private Tensor Extreme(bool max)
    {
        if (Numel == 0)
            throw new InvalidOperationException(
                $"{(max ? "max" : "min")}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        var mask = Reduce.Mask(Dim, null);
        var sizes = Reduce.OutputSizes(Sizes, mask, false);
        var result = max ? Reduce.Apply<MaxReduce>(this, mask, sizes) : Reduce.Apply<MinReduce>(this, mask, sizes);
        if (Graph.NeedsGrad(this))
        {
            EvenlyDistributeBackward node = max ? new MaxBackward1() : new MinBackward1();
            node.Self = node.Save(this);
            node.Result = node.Save(result, isOutput: true);
            Graph.Record(node, result, this);
        }
        return result;
    }

    private ValuesIndices ExtremeDim(int dim, bool keepDim, bool max)
    {
        var (mask, sizes) = CheckArgReduction(dim, keepDim, max ? "max" : "min");
        var (values, indices) = ArgReduce.Run(this, mask, sizes, max);
        if (Graph.NeedsGrad(this))
        {
            int d = ShapeUtil.WrapDim(dim, Dim);
            SelectBackward node = max ? new MaxBackward0(Sizes, d, keepDim) : new MinBackward0(Sizes, d, keepDim);
            node.Indices = node.Save(indices);
            Graph.Record(node, values, this);
        }
        return new ValuesIndices(values, indices) { OpName = max ? "max" : "min" };
    }

    private Tensor ArgExtreme(int? dim, bool keepDim, bool max)
    {
        string name = max ? "argmax" : "argmin";
        if (DType == DType.Bool) throw Dispatch.Unsupported(name + "_cpu", DType);
        if (dim is { } d)
        {
            var (dimMask, dimSizes) = CheckArgReduction(d, keepDim, name);
            return ArgReduce.Run(this, dimMask, dimSizes, max).Indices;
        }
        if (Numel == 0)
            throw new IndexOutOfRangeException($"{name}(): Expected reduction dim to be specified for input.numel() == 0.");
        var mask = Reduce.Mask(Dim, null);
        return ArgReduce.Run(this, mask, Reduce.OutputSizes(Sizes, mask, keepDim), max).Indices;
    }

    /// <summary>Validates a single-dim value/index reduction; returns its mask and output sizes.</summary>
    private (bool[] Mask, int[] Sizes) CheckArgReduction(int dim, bool keepDim, string name)
    {
        int d = ShapeUtil.WrapDim(dim, Dim);
        if (Numel == 0 && Dim > 0 && Sizes[d] == 0)
            throw new IndexOutOfRangeException($"{name}(): Expected reduction dim {d} to have non-zero size.");
        var mask = Reduce.Mask(Dim, [dim]);
        return (mask, Reduce.OutputSizes(Sizes, mask, keepDim));
    }
}

public static partial class Torch
{
    /// <summary>The max of all elements, <c>torch.max(input)</c>.</summary>
    public static Tensor Max(Tensor input) => input.Max();

    /// <summary>The max over a dim and its indices, <c>torch.max(input, dim, keepdim)</c>.</summary>
    public static ValuesIndices Max(Tensor input, int dim, bool keepDim = false) => input.Max(dim, keepDim);

    /// <summary>The min of all elements, <c>torch.min(input)</c>.</summary>
    public static Tensor Min(Tensor input) => input.Min();

    /// <summary>The min over a dim and its indices, <c>torch.min(input, dim, keepdim)</c>.</summary>
    public static ValuesIndices Min(Tensor input, int dim, bool keepDim = false) => input.Min(dim, keepDim);

    /// <summary>Indices of the max, <c>torch.argmax(input, dim, keepdim)</c>.</summary>
    public static Tensor ArgMax(Tensor input, int? dim = null, bool keepDim = false) => input.ArgMax(dim, keepDim);

    /// <summary>Indices of the min, <c>torch.argmin(input, dim, keepdim)</c>.</summary>
    public static Tensor ArgMin(Tensor input, int? dim = null, bool keepDim = false) => input.ArgMin(dim, keepDim);

    /// <summary><c>log(sum(exp(input)))</c> over a dim, <c>torch.logsumexp(input, dim, keepdim)</c>.</summary>
    public static Tensor LogSumExp(Tensor input, int dim, bool keepDim = false) => input.LogSumExp(dim, keepDim);

    /// <summary><c>log(sum(exp(input)))</c> over dims, <c>torch.logsumexp(input, dims, keepdim)</c>.</summary>
    public static Tensor LogSumExp(Tensor input, int[] dims, bool keepDim = false) => input.LogSumExp(dims, keepDim);
}

/// <summary>
/// max()/min() over all elements: the gradient is split evenly among the elements equal to the
/// result (or NaN when the result is NaN), PyTorch's <c>evenly_distribute_backward</c>.
/// </summary>
internal abstract class EvenlyDistributeBackward : SingleOutputNode
{
    public SavedTensor? Self, Result;

    // self: mask * (grad / mask.sum()), mask = (self == result) | (isnan(self) & isnan(result))
    protected override Tensor?[] Backward(Tensor grad)
    {
        var mask = Dispatch.Compare<EqOrBothNaNOp>(Self!.Unpack(), Result!.Unpack());
        return [mask * (grad / mask.Sum())];
    }

    // The mean of the tangent over the selected elements.
    internal override Tensor? Jvp(Tensor?[] t)
    {
        var mask = Dispatch.Compare<EqOrBothNaNOp>(Self!.Unpack(), Result!.Unpack());
        return (t[0]! * mask).Sum() / mask.Sum();
    }
}

internal sealed class MaxBackward1 : EvenlyDistributeBackward
{
    public override string Name => "MaxBackward1";
}

internal sealed class MinBackward1 : EvenlyDistributeBackward
{
    public override string Name => "MinBackward1";
}

/// <summary>
/// max(dim)/min(dim): the gradient goes to the selected index of each slice, PyTorch's
/// <c>value_selecting_reduction_backward</c> (a scatter), written as the gradient times a constant
/// one-hot mask so the formula stays differentiable.
/// </summary>
internal abstract class SelectBackward(int[] selfSizes, int dim, bool keepDim) : SingleOutputNode
{
    public SavedTensor? Indices;

    protected override Tensor?[] Backward(Tensor grad)
    {
        if (selfSizes.Length == 0) return [grad];
        var mask = new bool[selfSizes.Length];
        mask[dim] = true;
        var indices = Indices!.Unpack().UnsqueezeReduced(selfSizes, mask, keepDim);
        return [grad.UnsqueezeReduced(selfSizes, mask, keepDim) * Tensor.OneHot(indices, selfSizes, dim)];
    }

    // The tangent at the selected index: gather(self_t, dim, indices)
    internal override Tensor? Jvp(Tensor?[] t)
    {
        if (selfSizes.Length == 0) return t[0];
        var mask = new bool[selfSizes.Length];
        mask[dim] = true;
        var indices = Indices!.Unpack().UnsqueezeReduced(selfSizes, mask, keepDim);
        return (t[0]! * Tensor.OneHot(indices, selfSizes, dim)).Sum(dim, keepDim);
    }
}

internal sealed class MaxBackward0(int[] selfSizes, int dim, bool keepDim) : SelectBackward(selfSizes, dim, keepDim)
{
    public override string Name => "MaxBackward0";
}

internal sealed class MinBackward0(int[] selfSizes, int dim, bool keepDim) : SelectBackward(selfSizes, dim, keepDim)
{
    public override string Name => "MinBackward0";
}

internal sealed class LogsumexpBackward0(int[] selfSizes, bool[] mask, bool keepDim) : SingleOutputNode
{
    public SavedTensor? Self, Result;
    public override string Name => "LogsumexpBackward0";

    // self: grad * exp(self - result), with grad and result unsqueezed back to keepdim form
    protected override Tensor?[] Backward(Tensor grad)
    {
        var result = Result!.Unpack().UnsqueezeReduced(selfSizes, mask, keepDim);
        return [grad.UnsqueezeReduced(selfSizes, mask, keepDim) * (Self!.Unpack() - result).Exp()];
    }

    // sum over the reduced dims of self_t * exp(self - result)
    internal override Tensor? Jvp(Tensor?[] t)
    {
        var result = Result!.Unpack().UnsqueezeReduced(selfSizes, mask, keepDim);
        return (t[0]! * (Self!.Unpack() - result).Exp()).Sum(Reduce.Dims(mask), keepDim);
    }
}

public sealed partial class Tensor
{
    /// <summary>
    /// A constant Bool mask of <paramref name="sizes"/> that is true where the position along
    /// <paramref name="dim"/> equals <paramref name="indices"/> (keepdim-shaped, size 1 at dim).
    /// </summary>
    internal static Tensor OneHot(Tensor indices, int[] sizes, int dim)
    {
        var positions = Allocate(DType.Int64, [sizes[dim]]);
        var p = positions.Storage.As<long>();
        for (int i = 0; i < p.Length; i++) p[i] = i;
        var shape = new int[sizes.Length];
        Array.Fill(shape, 1);
        shape[dim] = sizes[dim];
        var column = new Tensor(positions.Storage, 0, shape, ShapeUtil.ContiguousStrides(shape));
        return Dispatch.Compare<EqOp>(column, indices);
    }
}
