using INumberT = System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad;

// Note [Direct in-place kernels]: when no graph is recorded and no dual level is entered, the
// common in-place ops (add_, sub_, mul_, div_ with a tensor or a number, neg_, exp_, reciprocal_)
// run their kernel with this tensor as the output, instead of running the out-of-place op and
// copying its result back (Note [In-place ops]): half the memory traffic and no allocation. Each
// value is computed by the same kernel from the same operands as the out-of-place op, so results
// are bit-identical. The direct path is taken only when it is safe, and nothing is written before
// every condition holds; otherwise the general path runs (and gives PyTorch's errors):
// (1) the op's result dtype is this tensor's dtype, which the kernel family supports (no cast, no
//     bool);
// (2) every tensor operand broadcasts to exactly this tensor's shape (a larger broadcast shape is
//     the general path's shape error);
// (3) this tensor has no internal overlap: no two of its elements share memory (an expanded
//     tensor would be written through several indices at once);
// (4) every tensor operand either lives in another storage or is exactly this view (same offset,
//     sizes and strides): each element is then read before it is written at the same place. A
//     partially overlapping operand (x.add_(x.T), x.add_(x[0])) takes the general path, which reads
//     all of it before writing.
// The checks of Note [In-place ops] before the kernel (inference tensor, leaf errors, forward-AD
// checks) and the version bump after it are the same on both paths.
public sealed partial class Tensor
{
    /// <summary>In-place ops this thread ran on the direct path (a test hook: tests check which path ran).</summary>
    [ThreadStatic] internal static int DirectInPlaceWrites;

    /// <summary>The dtype check of Note [Direct in-place kernels] (1) and (3): the result can be written into this tensor directly.</summary>
    private bool CanWriteDirect(DType resultType, bool floatOnly = false)
    {
        if (resultType != DType || DType == DType.Bool) return false;
        if (floatOnly && !DType.IsFloatingPoint()) return false;
        return !MayOverlapItself();
    }

    /// <summary>
    /// Whether two elements of this view may share memory: false only when, taking the dims of size
    /// above 1 by increasing stride, every stride exceeds the span of the dims before it.
    /// </summary>
    private bool MayOverlapItself()
    {
        int rank = Sizes.Length;
        Span<long> spans = rank <= 16 ? stackalloc long[rank] : new long[rank];
        Span<int> strides = rank <= 16 ? stackalloc int[rank] : new int[rank];
        int n = 0;
        for (int d = 0; d < rank; d++)
        {
            if (Sizes[d] == 0) return false; // nothing is written
            if (Sizes[d] == 1) continue;
            if (Strides[d] <= 0) return true;
            strides[n] = Strides[d];
            spans[n++] = (long)(Sizes[d] - 1) * Strides[d];
        }
        // Insertion sort by stride (ranks are small).
        for (int i = 1; i < n; i++)
            for (int j = i; j > 0 && strides[j] < strides[j - 1]; j--)
            {
                (strides[j], strides[j - 1]) = (strides[j - 1], strides[j]);
                (spans[j], spans[j - 1]) = (spans[j - 1], spans[j]);
            }
        long reach = 0; // the largest offset the dims so far reach
        for (int i = 0; i < n; i++)
        {
            if (strides[i] <= reach) return true;
            reach += spans[i];
        }
        return false;
    }

    /// <summary>Note [Direct in-place kernels] (2) and (4): <paramref name="operand"/> broadcasts to this shape and does not partially overlap this view.</summary>
    private bool CanReadDirect(Tensor operand)
    {
        var sizes = operand.Sizes;
        int lead = Sizes.Length - sizes.Length;
        if (lead < 0) return false;
        for (int d = 0; d < sizes.Length; d++)
            if (sizes[d] != 1 && sizes[d] != Sizes[lead + d]) return false;
        if (!ReferenceEquals(operand.Storage, Storage)) return true;
        return operand.Offset == Offset && SharedShapes.SameSizes(sizes, Sizes) && operand.Strides.AsSpan().SequenceEqual(Strides);
    }

    /// <summary><c>this = op(this, alpha * other)</c> for add_ / sub_ / mul_, written directly when safe; false when nothing was done.</summary>
    private bool DirectNumber<TOp>(Tensor other, Scalar? alpha = null) where TOp : IBinaryNumber<TOp>
    {
        var dtype = Dispatch.ResultType(this, other); // the out-of-place op's dtype (alpha does not change it)
        if (!CanWriteDirect(dtype) || !CanReadDirect(other)) return false;
        // As the out-of-place op: alpha * other first (a fresh tensor, so never an alias).
        var operand = alpha is { } s && s.Value != 1 ? other.Mul(s) : other;
        Dispatch.BinaryNumber<TOp>(this, operand, dtype, this);
        return true;
    }

    /// <summary><c>this = this / other</c>, written directly when safe; false when nothing was done.</summary>
    private bool DirectDiv(Tensor other)
    {
        var dtype = Dispatch.ResultType(this, other);
        if (!dtype.IsFloatingPoint()) dtype = DType.Float32;
        if (!CanWriteDirect(dtype, floatOnly: true) || !CanReadDirect(other)) return false;
        Dispatch.BinaryFloat<DivOp>(this, other, dtype, this);
        return true;
    }

    /// <summary><c>this = op(this, s)</c> for a number, written directly when safe; false when nothing was done.</summary>
    private bool DirectNumber<TOp>(Scalar s) where TOp : IBinaryNumber<TOp>
    {
        var dtype = TypePromotion.ResultType(this, s);
        if (!CanWriteDirect(dtype)) return false;
        if (SharedShapes.IsDense(this))
        {
            // The out-of-place op's span-scalar form (Note [Lean dispatch]).
            switch (dtype)
            {
                case DType.Float32: Elementwise.BinaryScalar<float, float, NumberBinary<TOp, float>>(this, ScalarAs<float>(s), this, false); return true;
                case DType.Float64: Elementwise.BinaryScalar<double, double, NumberBinary<TOp, double>>(this, ScalarAs<double>(s), this, false); return true;
                case DType.Int64: Elementwise.BinaryScalar<long, long, NumberBinary<TOp, long>>(this, ScalarAs<long>(s), this, false); return true;
                case DType.Int32: Elementwise.BinaryScalar<int, int, NumberBinary<TOp, int>>(this, ScalarAs<int>(s), this, false); return true;
                default: return false;
            }
        }
        Dispatch.BinaryNumber<TOp>(this, Wrap(s), dtype, this);
        return true;
    }

    /// <summary><c>this = this / s</c> for a number, written directly when safe; false when nothing was done.</summary>
    private bool DirectDiv(Scalar s)
    {
        var dtype = TypePromotion.ResultType(this, s);
        if (!dtype.IsFloatingPoint()) dtype = DType.Float32;
        if (!CanWriteDirect(dtype, floatOnly: true)) return false;
        if (SharedShapes.IsDense(this))
        {
            if (dtype == DType.Float32) Elementwise.BinaryScalar<float, float, FloatBinary<DivOp, float>>(this, ScalarAs<float>(s), this, false);
            else Elementwise.BinaryScalar<double, double, FloatBinary<DivOp, double>>(this, ScalarAs<double>(s), this, false);
            return true;
        }
        Dispatch.BinaryFloat<DivOp>(this, Wrap(s), dtype, this);
        return true;
    }

    /// <summary><c>this = op(this)</c> for a unary op that keeps the dtype (neg_), written directly when safe.</summary>
    private bool DirectUnaryNumber<TOp>() where TOp : IUnaryNumber<TOp>
    {
        if (!CanWriteDirect(DType)) return false;
        Dispatch.UnaryNumber<TOp>(this, DType, this);
        return true;
    }

    /// <summary><c>this = op(this)</c> for a floating point unary op (exp_, reciprocal_), written directly when safe.</summary>
    private bool DirectUnaryFloat<TOp>() where TOp : IUnaryFloat<TOp>
    {
        if (!CanWriteDirect(DType, floatOnly: true)) return false;
        Dispatch.UnaryFloat<TOp>(this, this);
        return true;
    }

    /// <summary>A number converted to <typeparamref name="T"/> exactly as the out-of-place span-scalar form converts it (Note [Lean dispatch]).</summary>
    private static T ScalarAs<T>(Scalar s) where T : INumberT.INumber<T> =>
        s.IsIntegral ? T.CreateTruncating((long)s.Value) : T.CreateTruncating(s.Value);
}
