using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// The vector p-norm of all elements, <c>out = (sum |x|^p)^(1/p)</c>, <c>tensor.norm(p)</c>;
    /// p = inf gives max |x|, -inf min |x|, 0 the number of nonzero elements.
    /// </summary>
    /// <remarks>Floating point only. At a zero vector the 2-norm's gradient is 0 (PyTorch's subgradient).</remarks>
    public Tensor Norm(double p = 2)
    {
        using var scope = Profiler.Op(p == 2 ? "aten::frobenius_norm" : "aten::norm", this);
        return VectorNormImpl(p, null, false, linalg: false);
    }

    /// <summary>The vector p-norm over <paramref name="dim"/>, <c>tensor.norm(p, dim, keepdim)</c>.</summary>
    public Tensor Norm(double p, int dim, bool keepDim = false)
    {
        using var scope = Profiler.Op("aten::norm", this);
        return VectorNormImpl(p, [dim], keepDim, linalg: false);
    }

    /// <summary>The vector p-norm over <paramref name="dims"/>, <c>tensor.norm(p, dims, keepdim)</c>.</summary>
    public Tensor Norm(double p, int[] dims, bool keepDim = false)
    {
        using var scope = Profiler.Op("aten::norm", this);
        return VectorNormImpl(p, dims, keepDim, linalg: false);
    }

    internal Tensor VectorNormImpl(double p, int[]? dims, bool keepDim, bool linalg)
    {
        if (!DType.IsFloatingPoint())
            throw new InvalidOperationException(linalg
                ? $"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {DType.ScalarTypeName()}"
                : $"norm(): input dtype should be either floating point or complex. Got {DType.ScalarTypeName()} instead.");
        var mask = Reduce.Mask(Dim, dims);
        var result = ReduceFloat.Norm(this, mask, Reduce.OutputSizes(Sizes, mask, keepDim), p);
        if (Graph.NeedsGrad(this))
        {
            NormBackwardBase node = linalg
                ? new LinalgVectorNormBackward0(Sizes, mask, keepDim, p)
                : new NormBackward1(Sizes, mask, keepDim, p);
            node.Self = node.Save(this);
            node.Result = node.Save(result, isOutput: true);
            Graph.Record(node, result, this);
        }
        return result;
    }
}

public static partial class Torch
{
    /// <summary>The vector p-norm, <c>torch.norm(input, p, dim, keepdim)</c>; all elements when <paramref name="dim"/> is null.</summary>
    public static Tensor Norm(Tensor input, double p = 2, int[]? dim = null, bool keepDim = false)
    {
        using var scope = Profiler.Op(p == 2 && dim is null ? "aten::frobenius_norm" : "aten::norm", input);
        return input.VectorNormImpl(p, dim, keepDim, linalg: false);
    }

    /// <summary>PyTorch's <c>torch.linalg</c> module.</summary>
    public static partial class Linalg
    {
        /// <summary>
        /// <c>out = (sum |x|^ord)^(1/ord)</c> over <paramref name="dim"/> (all elements when null),
        /// <c>torch.linalg.vector_norm(x, ord, dim, keepdim)</c>.
        /// </summary>
        public static Tensor VectorNorm(Tensor x, double ord = 2, int[]? dim = null, bool keepDim = false)
        {
            using var scope = Profiler.Op("aten::linalg_vector_norm", x);
            return x.VectorNormImpl(ord, dim, keepDim, linalg: true);
        }
    }
}

/// <summary>
/// The vector norm gradient, PyTorch's <c>norm_backward</c>, for <c>tensor.norm</c> (NormBackward1)
/// and <c>linalg.vector_norm</c> (LinalgVectorNormBackward0).
/// </summary>
/// <remarks>
/// Note [Constant masks]: PyTorch writes these formulas with comparisons, <c>sgn</c> and
/// <c>masked_fill</c>. A comparison or sign has zero derivative almost everywhere, so here it is
/// computed by a kernel into a constant tensor; <c>masked_fill(m, 0)</c> is the differentiable
/// <see cref="Tensor.MaskedFill"/>, so that even at the kinks (a zero norm, zero elements with
/// p &lt; 1) first and second derivatives, NaN included, are PyTorch's.
/// </remarks>
internal abstract class NormBackwardBase(int[] selfSizes, bool[] mask, bool keepDim, double p) : SingleOutputNode
{
    public SavedTensor? Self, Result;

    protected override Tensor?[] Backward(Tensor grad)
    {
        if (p == 0) return [null];
        var self = Self!.Unpack();
        var norm = Result!.Unpack().UnsqueezeReduced(selfSizes, mask, keepDim);
        grad = grad.UnsqueezeReduced(selfSizes, mask, keepDim);
        var sgn = Dispatch.UnaryNumber<SignOp>(self, self.DType);
        if (p == 1) return [sgn * grad];
        if (p == 2) return [grad * (self / norm).MaskedFill(norm.Eq(0), 0)];
        if (double.IsInfinity(p))
        {
            // The derivative of amax(|self|), shared among ties, respecting NaN.
            var abs = Dispatch.UnaryNumber<AbsOp>(self, self.DType);
            var argmax = Dispatch.Compare<EqOrLeftNaNOp>(abs, norm);
            return [sgn * (grad / argmax.Sum(ReducedDims(), keepDim: true) * argmax)];
        }
        var absSelf = self * sgn; // |self| with the derivative sgn(self)
        if (p < 1)
        {
            var scaled = sgn * absSelf.Pow(p - 1).MaskedFill(self.Eq(0), 0);
            return [scaled * grad * norm.Pow(1 - p)];
        }
        var selfScaled = p < 2 ? sgn * absSelf.Pow(p - 1) : self * absSelf.Pow(p - 2);
        var scale = (grad / norm.Pow(p - 1)).MaskedFill(norm.Eq(0), 0);
        return [selfScaled * scale];
    }

    private int[] ReducedDims() => Reduce.Dims(mask);
}

internal sealed class NormBackward1(int[] selfSizes, bool[] mask, bool keepDim, double p)
    : NormBackwardBase(selfSizes, mask, keepDim, p)
{
    public override string Name => "NormBackward1";
}

internal sealed class LinalgVectorNormBackward0(int[] selfSizes, bool[] mask, bool keepDim, double p)
    : NormBackwardBase(selfSizes, mask, keepDim, p)
{
    public override string Name => "LinalgVectorNormBackward0";
}
