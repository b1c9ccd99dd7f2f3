using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace SharpGrad.Kernels;

/// <summary>
/// Note [Outer reduction]: a sum over outer dims whose kept dims end in a contiguous block (the
/// bias gradient <c>g.sum(0)</c>, <c>mean(0)</c>, the engine's <c>sum_to_size</c> of a broadcast
/// gradient) is not permuted and copied (Note [Reduction layout]); whole rows of the kept block are
/// added into the output row with <see cref="TensorPrimitives.Add{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>.
/// The layout: kept dims with any strides (the prefix, A slices), then reduced dims that walk
/// memory as one dim of R rows with one row stride, then kept dims that are contiguous (K
/// columns). Sizes of 1 are ignored wherever they are.
/// <para>Order. Every column is summed in PyTorch's order (its CPU sum kernel on AVX2), so float
/// results equal PyTorch's bit for bit: a cascade of four accumulators, where rows are added into
/// level 0 and every <c>2^p</c> rows (p = max(4, ceil(log2 R) / 4)) each level is added into the
/// next one up, the carry stopping at the first level that is not complete; at the end the levels
/// are added into level 0 in order. Columns in whole groups of four vectors (32 floats or 16
/// doubles; 4 columns when K is below one vector) take one cascade over all rows; the remaining
/// columns take four interleaved cascades (rows k, k + 4, ...; the last R mod 4 rows go to the
/// first), summed in order. The order of each column depends only on its index, never on how the
/// columns are split into blocks or among threads, so results are identical for any thread count.
/// Integer sums are exact in any order.</para>
/// </summary>
internal static class ReduceOuter
{
    /// <summary>The layout of Note [Outer reduction]: A prefix slices of R rows (row stride S) of K contiguous columns.</summary>
    internal readonly record struct Layout(int[] PrefixSizes, int[] PrefixStrides, int Rows, int RowStride, int Columns);

    /// <summary>Whether the sum of <paramref name="x"/> over <paramref name="mask"/> has the outer layout.</summary>
    public static bool TryLayout(Tensor x, bool[] mask, out Layout layout)
    {
        layout = default;
        var sizes = x.Sizes;
        var strides = x.Strides;
        int d = sizes.Length - 1;
        // Kept, contiguous columns.
        int columns = 1;
        for (; d >= 0; d--)
        {
            if (sizes[d] == 0) return false; // empty: the general path
            if (sizes[d] == 1) continue;
            if (mask[d]) break;
            if (strides[d] != columns) return false;
            columns *= sizes[d];
        }
        if (columns == 1) return false; // the innermost dim is reduced: runs are rows (Note [Reduction layout])
        // Reduced dims that walk memory as one dim of rows.
        int rows = 1, rowStride = 0;
        for (; d >= 0; d--)
        {
            if (sizes[d] == 0) return false;
            if (sizes[d] == 1) continue;
            if (!mask[d]) break;
            if (rows == 1) rowStride = strides[d];
            else if ((long)strides[d] != (long)rowStride * rows) return false;
            rows *= sizes[d];
        }
        if (rows == 1) return false; // nothing to add up
        // Kept prefix dims, any strides.
        var prefixSizes = new List<int>();
        var prefixStrides = new List<int>();
        for (; d >= 0; d--)
        {
            if (sizes[d] == 0) return false;
            if (sizes[d] == 1) continue;
            if (mask[d]) return false; // reduced dims on both sides of a kept one
            prefixSizes.Insert(0, sizes[d]);
            prefixStrides.Insert(0, strides[d]);
        }
        layout = new Layout([.. prefixSizes], [.. prefixStrides], rows, rowStride, columns);
        return true;
    }

    /// <summary>Largest column block in bytes: a block's accumulators stay in the L1 cache.</summary>
    private const int BlockBytes = 2048;

    /// <summary>The sum over the rows of <paramref name="layout"/>, as a new tensor of <paramref name="outSizes"/> (A × K elements in order).</summary>
    public static Tensor Sum<T>(Tensor x, Layout layout, int[] outSizes) where T : INumber<T>
    {
        var result = Tensor.AllocateUninitialized(x.DType, outSizes);
        int slices = 1;
        foreach (int s in layout.PrefixSizes) slices *= s;
        int k = layout.Columns, group = GroupWidth<T>(k);
        long work = (long)slices * layout.Rows * k;
        bool parallel = ParallelFor.Threads > 1 && work >= 2 * Elementwise.ParallelGrain;
        // Blocks are whole groups (Note [Outer reduction]: a column's order does not depend on them);
        // smaller when a few slices must still give every thread work.
        int block = Math.Max(group, BlockBytes / Unsafe.SizeOf<T>() / group * group);
        if (parallel && slices < ParallelFor.Threads)
        {
            int perThread = (k + ParallelFor.Threads - 1) / ParallelFor.Threads;
            block = Math.Min(block, Math.Max(group, (perThread + group - 1) / group * group));
        }
        int blocks = (k + block - 1) / block;
        var body = new SumBody<T>(x.Storage, x.Offset, layout, result.Storage, block, blocks, group);
        if (parallel) ParallelFor.For(slices * blocks, 1, ref body);
        else body.Run(0, slices * blocks);
        GC.KeepAlive(x.Storage);
        GC.KeepAlive(result.Storage);
        return result;
    }

    /// <summary>Columns per group (Note [Outer reduction]): four AVX2 vectors, or four columns when K is below one vector.</summary>
    private static int GroupWidth<T>(int columns)
    {
        int vector = 32 / Unsafe.SizeOf<T>();
        return columns >= vector ? 4 * vector : 4;
    }

    private readonly struct SumBody<T>(Storage input, int offset, Layout layout, Storage output, int block, int blocks, int group)
        : IRangeBody where T : INumber<T>
    {
        public void Run(int start, int end)
        {
            var x = input.Borrow<T>();
            var o = output.Borrow<T>();
            int k = layout.Columns, grouped = k / group * group;
            // Level buffers: three for a block of grouped columns, four times four for the rest.
            var buffer = ArrayPool<T>.Shared.Rent(3 * block + 16 * group);
            try
            {
                for (int unit = start; unit < end; unit++)
                {
                    int slice = unit / blocks, c0 = unit % blocks * block, c1 = Math.Min(k, c0 + block);
                    int first = offset + SliceOffset(slice);
                    var outRow = o.Slice(slice * k, k);
                    if (c0 < grouped)
                    {
                        int w = Math.Min(c1, grouped) - c0;
                        var acc = outRow.Slice(c0, w);
                        acc.Clear();
                        var levels = buffer.AsSpan(0, 3 * w);
                        levels.Clear();
                        Cascade(x, first + c0, layout.RowStride, layout.Rows, acc, levels[..w], levels.Slice(w, w), levels.Slice(2 * w, w));
                    }
                    if (c1 > grouped)
                    {
                        int from = Math.Max(c0, grouped);
                        Interleaved(x, first + from, layout.RowStride, layout.Rows, outRow[from..c1], buffer.AsSpan(0, 16 * (c1 - from)));
                    }
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(buffer);
            }
        }

        /// <summary>The storage offset of prefix slice <paramref name="slice"/> (row-major over the prefix dims).</summary>
        private int SliceOffset(int slice)
        {
            int position = 0;
            var sizes = layout.PrefixSizes;
            for (int d = sizes.Length - 1; d >= 0; d--)
            {
                position += slice % sizes[d] * layout.PrefixStrides[d];
                slice /= sizes[d];
            }
            return position;
        }
    }

    /// <summary>
    /// acc0 = the cascade sum of the n rows x[first + i * stride ..][..w] (Note [Outer reduction]);
    /// the four accumulators come in zeroed.
    /// </summary>
    private static void Cascade<T>(ReadOnlySpan<T> x, int first, int stride, int n, Span<T> acc0, Span<T> acc1, Span<T> acc2, Span<T> acc3)
        where T : INumber<T>
    {
        int w = acc0.Length;
        int power = Math.Max(4, ReduceCascade.CeilLog2(n) / 4), step = 1 << power, mask = step - 1;
        int i = 0;
        for (; i + step <= n;)
        {
            for (int j = 0; j < step; j++, i++) TensorPrimitives.Add(acc0, x.Slice(first + i * stride, w), acc0);
            TensorPrimitives.Add(acc1, acc0, acc1);
            acc0.Clear();
            if ((i & (mask << power)) != 0) continue;
            TensorPrimitives.Add(acc2, acc1, acc2);
            acc1.Clear();
            if ((i & (mask << (2 * power))) != 0) continue;
            TensorPrimitives.Add(acc3, acc2, acc3);
            acc2.Clear();
        }
        for (; i < n; i++) TensorPrimitives.Add(acc0, x.Slice(first + i * stride, w), acc0);
        TensorPrimitives.Add(acc0, acc1, acc0);
        TensorPrimitives.Add(acc0, acc2, acc0);
        TensorPrimitives.Add(acc0, acc3, acc0);
    }

    /// <summary>
    /// output = the sum of the n rows in four interleaved cascades (rows k, k + 4, ...), the last
    /// n mod 4 rows added to the first, then the four added in order (Note [Outer reduction]).
    /// </summary>
    private static void Interleaved<T>(ReadOnlySpan<T> x, int first, int stride, int n, Span<T> output, Span<T> levels)
        where T : INumber<T>
    {
        int w = output.Length, quarter = n / 4;
        levels.Clear();
        for (int k = 0; k < 4; k++)
        {
            var l = levels.Slice(4 * k * w, 4 * w);
            Cascade(x, first + k * stride, 4 * stride, quarter, l[..w], l.Slice(w, w), l.Slice(2 * w, w), l.Slice(3 * w, w));
        }
        var p0 = levels[..w];
        for (int i = 4 * quarter; i < n; i++) TensorPrimitives.Add(p0, x.Slice(first + i * stride, w), p0);
        for (int k = 1; k < 4; k++) TensorPrimitives.Add(p0, levels.Slice(4 * k * w, w), p0);
        p0.CopyTo(output);
    }
}
