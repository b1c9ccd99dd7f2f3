using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>The product of all elements, <c>tensor.prod()</c>; integers and bools multiply in Int64.</summary>
    public Tensor Prod(DType? dtype = null)
    {
        using var scope = Profiler.Op("aten::prod", this);
        var mask = Reduce.Mask(Dim, null);
        var result = ProdImpl(mask, false, dtype);
        if (Graph.NeedsGrad(this))
        {
            var node = new ProdBackward0(Sizes, mask);
            node.Self = node.Save(this);
            node.Result = node.Save(result, isOutput: true);
            Graph.Record(node, result, this);
        }
        return result;
    }

    /// <summary>The product over <paramref name="dim"/>, <c>tensor.prod(dim, keepdim)</c>.</summary>
    public Tensor Prod(int dim, bool keepDim = false, DType? dtype = null)
    {
        using var scope = Profiler.Op("aten::prod", this);
        var mask = Reduce.Mask(Dim, [dim]);
        var result = ProdImpl(mask, keepDim, dtype);
        if (Graph.NeedsGrad(this))
        {
            var node = new ProdBackward1(Sizes, mask, keepDim);
            node.Self = node.Save(this);
            node.Result = node.Save(result, isOutput: true);
            Graph.Record(node, result, this);
        }
        return result;
    }

    /// <summary>
    /// The variance of all elements, <c>out = sum (x - mean)^2 / (n - 1)</c> (or <c>/ n</c> when not
    /// <paramref name="unbiased"/>), <c>tensor.var()</c>. A single element gives NaN when unbiased.
    /// </summary>
    public Tensor Var(bool unbiased = true)
    {
        using var scope = Profiler.Op("aten::var", this);
        return VarImpl(null, unbiased ? 1 : 0, false, std: false);
    }

    /// <summary>The variance over <paramref name="dim"/>, <c>tensor.var(dim, unbiased, keepdim)</c>.</summary>
    public Tensor Var(int dim, bool unbiased = true, bool keepDim = false)
    {
        using var scope = Profiler.Op("aten::var", this);
        return VarImpl([dim], unbiased ? 1 : 0, keepDim, std: false);
    }

    /// <summary>The variance over <paramref name="dims"/> (all when empty), <c>tensor.var(dims, unbiased, keepdim)</c>.</summary>
    public Tensor Var(int[] dims, bool unbiased = true, bool keepDim = false)
    {
        using var scope = Profiler.Op("aten::var", this);
        return VarImpl(dims, unbiased ? 1 : 0, keepDim, std: false);
    }

    /// <summary>
    /// <c>out = sum (x - mean)^2 / max(0, n - correction)</c> over <paramref name="dims"/> (all when null),
    /// <c>tensor.var(dims, correction=c, keepdim)</c>.
    /// </summary>
    public Tensor Var(int[]? dims, int correction, bool keepDim = false)
    {
        using var scope = Profiler.Op("aten::var", this);
        return VarImpl(dims, correction, keepDim, std: false);
    }

    /// <summary>The standard deviation of all elements, <c>sqrt(var)</c>, <c>tensor.std()</c>.</summary>
    public Tensor Std(bool unbiased = true)
    {
        using var scope = Profiler.Op("aten::std", this);
        return VarImpl(null, unbiased ? 1 : 0, false, std: true);
    }

    /// <summary>The standard deviation over <paramref name="dim"/>, <c>tensor.std(dim, unbiased, keepdim)</c>.</summary>
    public Tensor Std(int dim, bool unbiased = true, bool keepDim = false)
    {
        using var scope = Profiler.Op("aten::std", this);
        return VarImpl([dim], unbiased ? 1 : 0, keepDim, std: true);
    }

    /// <summary>The standard deviation over <paramref name="dims"/> (all when empty), <c>tensor.std(dims, unbiased, keepdim)</c>.</summary>
    public Tensor Std(int[] dims, bool unbiased = true, bool keepDim = false)
    {
        using var scope = Profiler.Op("aten::std", this);
        return VarImpl(dims, unbiased ? 1 : 0, keepDim, std: true);
    }

    /// <summary><c>sqrt(var(dims, correction))</c>, <c>tensor.std(dims, correction=c, keepdim)</c>.</summary>
    public Tensor Std(int[]? dims, int correction, bool keepDim = false)
    {
        using var scope = Profiler.Op("aten::std", this);
        return VarImpl(dims, correction, keepDim, std: true);
    }

    private Tensor ProdImpl(bool[] mask, bool keepDim, DType? dtype)
    {
        var input = dtype is { } d ? Dispatch.As(this, d) : DType.IsFloatingPoint() ? this : Dispatch.As(this, DType.Int64);
        return Reduce.Apply<ProdReduce>(input, mask, Reduce.OutputSizes(Sizes, mask, keepDim));
    }

    private Tensor VarImpl(int[]? dims, int correction, bool keepDim, bool std)
    {
        if (!DType.IsFloatingPoint())
            throw new InvalidOperationException("std and var only support floating point and complex dtypes");
        var mask = Reduce.Mask(Dim, dims);
        var result = ReduceFloat.Var(this, mask, Reduce.OutputSizes(Sizes, mask, keepDim), correction, std);
        if (Graph.NeedsGrad(this))
        {
            int count = 1;
            for (int d = 0; d < Dim; d++) if (mask[d]) count *= Sizes[d];
            // PyTorch divides by max(0, n - correction): 2 / 0 is inf, so the gradient is inf or NaN.
            double scale = 2.0 / Math.Max(0, count - correction);
            VarianceBackward node = std ? new StdBackward0(Sizes, mask, keepDim, scale) : new VarBackward0(Sizes, mask, keepDim, scale);
            node.Self = node.Save(this);
            if (std) node.Result = node.Save(result, isOutput: true);
            Graph.Record(node, result, this);
        }
        return result;
    }
}

public static partial class Torch
{
    /// <summary>The product of all elements, <c>torch.prod(input)</c>.</summary>
    public static Tensor Prod(Tensor input, DType? dtype = null) => input.Prod(dtype);

    /// <summary>The product over a dim, <c>torch.prod(input, dim, keepdim)</c>.</summary>
    public static Tensor Prod(Tensor input, int dim, bool keepDim = false, DType? dtype = null) => input.Prod(dim, keepDim, dtype);

    /// <summary>The variance over <paramref name="dims"/> (all when null), <c>torch.var(input, dim, unbiased, keepdim)</c>.</summary>
    public static Tensor Var(Tensor input, int[]? dims = null, bool unbiased = true, bool keepDim = false) =>
        input.Var(dims, unbiased ? 1 : 0, keepDim);

    /// <summary>The standard deviation over <paramref name="dims"/> (all when null), <c>torch.std(input, dim, unbiased, keepdim)</c>.</summary>
    public static Tensor Std(Tensor input, int[]? dims = null, bool unbiased = true, bool keepDim = false) =>
        input.Std(dims, unbiased ? 1 : 0, keepDim);
}

/// <summary>
/// The gradient of a product, <c>prod_{j != i} x_j</c> for each element i of a slice.
/// </summary>
/// <remarks>
/// Note [Prod with zeros]: without zeros it is PyTorch's <c>grad * result / self</c>. With zeros,
/// let z mark them, k count them per slice, <c>x' = x + z</c> (zeros replaced by 1), <c>P' = prod(x')</c>
/// and <c>S = sum(x * z)</c> (0 in value, but the zeros' own sum for derivatives). Then
/// <c>prod_{j != i} x_j = P' / x'_i * F_i</c> with F the product of the zeros other than i:
/// k = 0: 1; k = 1: 1 at the zero, S elsewhere; k = 2: <c>S - x_i</c> (the other zero) at a zero,
/// 0 elsewhere; k >= 3: 0. Each F has the right value and first derivative, so with constant masks
/// (Note [Constant masks]) first and second derivatives match PyTorch everywhere; third and higher
/// derivatives of slices with two or more zeros are not exact.
/// </remarks>
internal abstract class ProdBackwardBase(int[] selfSizes, bool[] mask, bool keepDim) : SingleOutputNode
{
    public SavedTensor? Self, Result;

    protected override Tensor?[] Backward(Tensor grad)
    {
        var self = Self!.Unpack();
        if (self.Dim == 0) return [grad];
        grad = grad.UnsqueezeReduced(selfSizes, mask, keepDim);
        var isZero = self.Eq(0);
        if (Array.IndexOf(isZero.Storage.As<bool>(), true) < 0)
            return [grad * (Result!.Unpack().UnsqueezeReduced(selfSizes, mask, keepDim) / self)];

        var dims = Reduce.Dims(mask);
        var zeros = isZero.Sum(dims, keepDim: true);
        var ones = self + isZero;
        var product = ReduceAll ? ones.Prod() : ones.Prod(dims[0], keepDim: true);
        var zeroSum = (self * isZero).Sum(dims, keepDim: true);
        var oneZero = (isZero + isZero.LogicalNot() * zeroSum) * zeros.Eq(1);
        var twoZeros = isZero * (zeroSum - self) * zeros.Eq(2);
        var factor = zeros.Eq(0) + oneZero + twoZeros;
        return [grad * (product / ones * factor)];
    }

    /// <summary>True for <c>prod()</c> over all elements, false for <c>prod(dim)</c>.</summary>
    protected abstract bool ReduceAll { get; }
}

internal sealed class ProdBackward0(int[] selfSizes, bool[] mask) : ProdBackwardBase(selfSizes, mask, false)
{
    public override string Name => "ProdBackward0";
    protected override bool ReduceAll => true;
}

internal sealed class ProdBackward1(int[] selfSizes, bool[] mask, bool keepDim) : ProdBackwardBase(selfSizes, mask, keepDim)
{
    public override string Name => "ProdBackward1";
    protected override bool ReduceAll => false;
}

/// <summary>
/// The variance gradient, PyTorch's <c>var_backward</c>: <c>(2 / (n - correction)) * grad * (self - mean)</c>;
/// the std gradient first maps grad to <c>(grad / (2 * result)).masked_fill(result == 0, 0)</c>.
/// </summary>
internal abstract class VarianceBackward(int[] selfSizes, bool[] mask, bool keepDim, double scale) : SingleOutputNode
{
    public SavedTensor? Self, Result;

    protected override Tensor?[] Backward(Tensor grad)
    {
        var self = Self!.Unpack();
        if (Result is { } saved)
        {
            var result = saved.Unpack();
            grad = (grad / (result * 2)).MaskedFill(result.Eq(0), 0);
        }
        grad = grad.UnsqueezeReduced(selfSizes, mask, keepDim);
        return [scale * grad * (self - self.Mean(Reduce.Dims(mask), keepDim: true))];
    }
}

internal sealed class VarBackward0(int[] selfSizes, bool[] mask, bool keepDim, double scale)
    : VarianceBackward(selfSizes, mask, keepDim, scale)
{
    public override string Name => "VarBackward0";
}

internal sealed class StdBackward0(int[] selfSizes, bool[] mask, bool keepDim, double scale)
    : VarianceBackward(selfSizes, mask, keepDim, scale)
{
    public override string Name => "StdBackward0";
}
