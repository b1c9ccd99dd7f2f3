using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace SharpGrad.Kernels;

/// <summary>
/// Dense in-place drivers: <c>x = op(x, y)</c>, <c>x = op(x, s)</c>, <c>x = op(x)</c> for a dense x.
/// </summary>
/// <remarks>
/// Note [In-place pieces]: <c>TensorPrimitives</c> writes with non-temporal (streaming) stores when
/// one call covers more than 256 KB. When the output is also an input, that always loses: the lines
/// just read are written around the cache and evicted, so the next read of the tensor (the next
/// step's update of the same parameter) comes from memory. Measured on the 2-core AVX2 machine:
/// <c>x -= y</c> on 100,352 floats takes 39 µs as one call and 12 µs in pieces of 128 KB, and pieces
/// are no slower up to 10^7 elements. (For a fresh output streaming stores save the read of the
/// lines written, so the out-of-place drivers keep whole calls.) These drivers therefore hand the
/// span kernels pieces of <see cref="PieceBytes"/> (the last piece of a range up to twice that).
/// Each element is computed by the same span kernel as in <see cref="Elementwise"/>, one-element
/// tensors by the scalar kernel as there, and work is split among threads by the same policy
/// (Note [Elementwise fast paths]), so results equal the out-of-place op's.
/// </remarks>
internal static class ElementwiseInPlace
{
    /// <summary>Largest piece handed to a span kernel, in bytes (half of TensorPrimitives' streaming threshold).</summary>
    public const int PieceBytes = 128 * 1024;

    /// <summary>How <see cref="Binary{T, TK}"/> reads its operand against a dense self.</summary>
    public enum Form
    {
        /// <summary>Dense with self's sizes (in another storage, or self's very view).</summary>
        Same,
        /// <summary>One element, broadcast.</summary>
        Scalar,
        /// <summary>Dense, with sizes (leading 1s dropped) equal to self's trailing sizes: one row repeated.</summary>
        Rows,
    }

    /// <summary>
    /// self = op(self, alpha * other) (just other when <paramref name="alpha"/> is null) for a dense
    /// <paramref name="self"/> and an <paramref name="other"/> of its dtype read as <paramref name="form"/>
    /// says. alpha * other is rounded before op, as the out-of-place <c>op(self, other * alpha)</c>,
    /// but piece by piece into a small buffer instead of a whole temporary.
    /// </summary>
    public static void Binary<T, TK>(Tensor self, Tensor other, Form form, T? alpha = null)
        where T : struct, INumber<T> where TK : IBinaryKernel<T, T>
    {
        int n = SharedShapes.Numel(self.Sizes);
        if (n == 0) return;
        var ys = other.Storage.Borrow<T>();
        if (n == 1 || form == Form.Scalar)
        {
            T y = ys[other.Offset];
            if (alpha is { } a) y = NumberBinary<MulOp, T>.Scalar(y, a);
            GC.KeepAlive(other.Storage);
            BinaryScalar<T, TK>(self, y);
            return;
        }
        int row = form == Form.Rows ? SharedShapes.Numel(other.Sizes) : n, rows = n / row;
        var body = new BinaryBody<T, TK>(self.Storage, self.Offset, other.Storage, other.Offset, default, row, alpha, byRows: rows > 1);
        int units = rows > 1 ? rows : n, grain = rows > 1 ? Math.Max(1, Elementwise.ParallelGrain / row) : Elementwise.ParallelGrain;
        if (n >= 2 * Elementwise.ParallelGrain && ParallelFor.Threads > 1) ParallelFor.For(units, grain, ref body);
        else body.Run(0, units);
        GC.KeepAlive(self.Storage);
        GC.KeepAlive(other.Storage);
    }

    /// <summary>self = op(self, s) for a dense <paramref name="self"/>.</summary>
    public static void BinaryScalar<T, TK>(Tensor self, T s) where T : struct, INumber<T> where TK : IBinaryKernel<T, T>
    {
        int n = SharedShapes.Numel(self.Sizes);
        if (n == 0) return;
        var body = new BinaryBody<T, TK>(self.Storage, self.Offset, null, 0, s, n, null, byRows: false);
        if (n == 1)
        {
            var d = self.Storage.Borrow<T>();
            d[self.Offset] = TK.Scalar(d[self.Offset], s);
        }
        else if (n >= 2 * Elementwise.ParallelGrain && ParallelFor.Threads > 1) ParallelFor.For(n, Elementwise.ParallelGrain, ref body);
        else body.Run(0, n);
        GC.KeepAlive(self.Storage);
    }

    /// <summary>self = op(self) for a dense <paramref name="self"/>.</summary>
    public static void Unary<T, TK>(Tensor self) where TK : IUnaryKernel<T, T>
    {
        int n = SharedShapes.Numel(self.Sizes);
        if (n == 0) return;
        var body = new UnaryBody<T, TK>(self.Storage, self.Offset);
        if (n == 1)
        {
            var d = self.Storage.Borrow<T>();
            d[self.Offset] = TK.Scalar(d[self.Offset]);
        }
        else if (n >= 2 * Elementwise.ParallelGrain && ParallelFor.Threads > 1) ParallelFor.For(n, Elementwise.ParallelGrain, ref body);
        else body.Run(0, n);
        GC.KeepAlive(self.Storage);
    }

    /// <summary>The length of the piece starting at <paramref name="start"/> of a range ending at <paramref name="end"/>.</summary>
    private static int Piece<T>(int start, int end)
    {
        int piece = PieceBytes / Unsafe.SizeOf<T>();
        return end - start < 2 * piece ? end - start : piece;
    }

    /// <summary>
    /// Runs [start, end) of self's elements (a scalar operand, or one of self's length), or of its
    /// rows when the operand is one shorter row (<paramref name="row"/> elements).
    /// </summary>
    private readonly struct BinaryBody<T, TK>(Storage self, int selfOffset, Storage? other, int otherOffset, T scalar, int row, T? alpha, bool byRows)
        : IRangeBody where T : struct, INumber<T> where TK : IBinaryKernel<T, T>
    {
        public void Run(int start, int end)
        {
            var d = self.Borrow<T>();
            if (other is null)
            {
                for (int i = start; i < end;)
                {
                    int n = Piece<T>(i, end);
                    var piece = d.Slice(selfOffset + i, n);
                    TK.SpanScalar(piece, scalar, piece);
                    i += n;
                }
                return;
            }
            var y = other.Borrow<T>();
            int longest = byRows ? row : end - start;
            bool scaledCopy = alpha is not null && typeof(TK) != typeof(NumberBinary<AddOp, T>) && typeof(TK) != typeof(NumberBinary<SubOp, T>);
            T[]? buffer = scaledCopy ? ArrayPool<T>.Shared.Rent(Math.Min(2 * PieceBytes / Unsafe.SizeOf<T>(), longest)) : null;
            try
            {
                if (!byRows) Row(d.Slice(selfOffset + start, end - start), y.Slice(otherOffset + start, end - start), buffer);
                else
                    for (int r = start; r < end; r++) Row(d.Slice(selfOffset + r * row, row), y.Slice(otherOffset, row), buffer);
            }
            finally
            {
                if (buffer is not null) ArrayPool<T>.Shared.Return(buffer);
            }
        }

        /// <summary>d = op(d, alpha * y) over one span, in pieces.</summary>
        private void Row(Span<T> d, ReadOnlySpan<T> y, T[]? buffer)
        {
            for (int i = 0; i < d.Length;)
            {
                int n = Piece<T>(i, d.Length);
                var piece = d.Slice(i, n);
                var operand = y.Slice(i, n);
                if (alpha is { } a)
                {
                    // d + y * a (and d - y * a as d + y * -a, exactly the same values): one pass,
                    // MultiplyAdd rounds the product before adding (it is not fused).
                    if (typeof(TK) == typeof(NumberBinary<AddOp, T>)) TensorPrimitives.MultiplyAdd(operand, a, piece, piece);
                    else if (typeof(TK) == typeof(NumberBinary<SubOp, T>)) TensorPrimitives.MultiplyAdd(operand, -a, piece, piece);
                    else
                    {
                        var scaled = buffer.AsSpan(0, n);
                        NumberBinary<MulOp, T>.SpanScalar(operand, a, scaled);
                        TK.Span(piece, scaled, piece);
                    }
                }
                else TK.Span(piece, operand, piece);
                i += n;
            }
        }
    }

    private readonly struct UnaryBody<T, TK>(Storage self, int selfOffset) : IRangeBody where TK : IUnaryKernel<T, T>
    {
        public void Run(int start, int end)
        {
            var d = self.Borrow<T>();
            for (int i = start; i < end;)
            {
                int n = Piece<T>(i, end);
                var piece = d.Slice(selfOffset + i, n);
                TK.Span(piece, piece);
                i += n;
            }
        }
    }
}
