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
// Dense tensors go through ElementwiseInPlace, which keeps the written lines in the cache (Note
// [In-place pieces]); other layouts through Dispatch with this tensor as the output.
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
        Scalar? scale = alpha is { } s && s.Value != 1 ? s : null;
        Tensor operand;
        if (SharedShapes.IsDense(this))
        {
            // alpha * other is fused piece by piece when it is computed in this dtype, as the
            // out-of-place op's other * alpha would be.
            bool fuse = scale is { } f && other.DType == dtype && TypePromotion.ResultType(other, f) == dtype;
            operand = Dispatch.As(scale is { } m && !fuse ? other.Mul(m) : other, dtype);
            if (PieceForm(operand) is { } form)
            {
                Scalar? a = fuse ? scale : null;
                switch (dtype)
                {
                    case DType.Float32: ElementwiseInPlace.Binary<float, NumberBinary<TOp, float>>(this, operand, form, a is { } af ? ScalarAs<float>(af) : null); return true;
                    case DType.Float64: ElementwiseInPlace.Binary<double, NumberBinary<TOp, double>>(this, operand, form, a is { } ad ? ScalarAs<double>(ad) : null); return true;
                    case DType.Int64: ElementwiseInPlace.Binary<long, NumberBinary<TOp, long>>(this, operand, form, a is { } al ? ScalarAs<long>(al) : null); return true;
                    case DType.Int32: ElementwiseInPlace.Binary<int, NumberBinary<TOp, int>>(this, operand, form, a is { } ai ? ScalarAs<int>(ai) : null); return true;
                }
            }
            if (fuse) operand = other.Mul(scale!.Value);
        }
        // As the out-of-place op: alpha * other first (a fresh tensor, so never an alias).
        else operand = scale is { } m ? other.Mul(m) : other;
        Dispatch.BinaryNumber<TOp>(this, operand, dtype, this);
        return true;
    }

    /// <summary><c>this = this / other</c>, written directly when safe; false when nothing was done.</summary>
    private bool DirectDiv(Tensor other)
    {
        var dtype = Dispatch.ResultType(this, other);
        if (!dtype.IsFloatingPoint()) dtype = DType.Float32;
        if (!CanWriteDirect(dtype, floatOnly: true) || !CanReadDirect(other)) return false;
        var operand = other;
        if (SharedShapes.IsDense(this) && PieceForm(operand = Dispatch.As(operand, dtype)) is { } form)
        {
            if (dtype == DType.Float32) ElementwiseInPlace.Binary<float, FloatBinary<DivOp, float>>(this, operand, form);
            else ElementwiseInPlace.Binary<double, FloatBinary<DivOp, double>>(this, operand, form);
            return true;
        }
        Dispatch.BinaryFloat<DivOp>(this, operand, dtype, this);
        return true;
    }

    /// <summary>How <see cref="ElementwiseInPlace.Binary{T, TK}"/> reads <paramref name="operand"/> against this dense tensor; null when it cannot.</summary>
    private ElementwiseInPlace.Form? PieceForm(Tensor operand)
    {
        var sizes = operand.Sizes;
        if (SharedShapes.SameSizes(sizes, Sizes)) return SharedShapes.IsDense(operand) ? ElementwiseInPlace.Form.Same : null;
        int lead = 0;
        while (lead < sizes.Length && sizes[lead] == 1) lead++;
        if (lead == sizes.Length) return ElementwiseInPlace.Form.Scalar;
        // The operand's sizes without leading 1s are this tensor's trailing sizes: one row, repeated.
        int skip = Sizes.Length - (sizes.Length - lead);
        if (skip < 0 || !Sizes.AsSpan(skip).SequenceEqual(sizes.AsSpan(lead))) return null;
        return ShapeUtil.IsContiguous(sizes, operand.Strides) ? ElementwiseInPlace.Form.Rows : null;
    }

    /// <summary><c>this = op(this, s)</c> for a number, written directly when safe; false when nothing was done.</summary>
    private bool DirectNumber<TOp>(Scalar s) where TOp : IBinaryNumber<TOp>
    {
        var dtype = TypePromotion.ResultType(this, s);
        if (!CanWriteDirect(dtype)) return false;
        if (SharedShapes.IsDense(this))
        {
            // The value as the out-of-place op's span-scalar form reads it (Note [Lean dispatch]).
            switch (dtype)
            {
                case DType.Float32: ElementwiseInPlace.BinaryScalar<float, NumberBinary<TOp, float>>(this, ScalarAs<float>(s)); return true;
                case DType.Float64: ElementwiseInPlace.BinaryScalar<double, NumberBinary<TOp, double>>(this, ScalarAs<double>(s)); return true;
                case DType.Int64: ElementwiseInPlace.BinaryScalar<long, NumberBinary<TOp, long>>(this, ScalarAs<long>(s)); return true;
                case DType.Int32: ElementwiseInPlace.BinaryScalar<int, NumberBinary<TOp, int>>(this, ScalarAs<int>(s)); return true;
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
            if (dtype == DType.Float32) ElementwiseInPlace.BinaryScalar<float, FloatBinary<DivOp, float>>(this, ScalarAs<float>(s));
            else ElementwiseInPlace.BinaryScalar<double, FloatBinary<DivOp, double>>(this, ScalarAs<double>(s));
            return true;
        }
        Dispatch.BinaryFloat<DivOp>(this, Wrap(s), dtype, this);
        return true;
    }

    /// <summary><c>this = op(this)</c> for a unary op that keeps the dtype (neg_), written directly when safe.</summary>
    private bool DirectUnaryNumber<TOp>() where TOp : IUnaryNumber<TOp>
    {
        if (!CanWriteDirect(DType)) return false;
        if (SharedShapes.IsDense(this))
        {
            switch (DType)
            {
                case DType.Float32: ElementwiseInPlace.Unary<float, NumberUnary<TOp, float>>(this); return true;
                case DType.Float64: ElementwiseInPlace.Unary<double, NumberUnary<TOp, double>>(this); return true;
                case DType.Int64: ElementwiseInPlace.Unary<long, NumberUnary<TOp, long>>(this); return true;
                case DType.Int32: ElementwiseInPlace.Unary<int, NumberUnary<TOp, int>>(this); return true;
            }
        }
        Dispatch.UnaryNumber<TOp>(this, DType, this);
        return true;
    }

    /// <summary><c>this = op(this)</c> for a floating point unary op (exp_, reciprocal_), written directly when safe.</summary>
    private bool DirectUnaryFloat<TOp>() where TOp : IUnaryFloat<TOp>
    {
        if (!CanWriteDirect(DType, floatOnly: true)) return false;
        if (SharedShapes.IsDense(this))
        {
            if (DType == DType.Float32) ElementwiseInPlace.Unary<float, FloatUnary<TOp, float>>(this);
            else ElementwiseInPlace.Unary<double, FloatUnary<TOp, double>>(this);
            return true;
        }
        Dispatch.UnaryFloat<TOp>(this, this);
        return true;
    }

    /// <summary>A number converted to <typeparamref name="T"/> exactly as the out-of-place span-scalar form converts it (Note [Lean dispatch]).</summary>
    private static T ScalarAs<T>(Scalar s) where T : INumberT.INumber<T> =>
        s.IsIntegral ? T.CreateTruncating((long)s.Value) : T.CreateTruncating(s.Value);
}
