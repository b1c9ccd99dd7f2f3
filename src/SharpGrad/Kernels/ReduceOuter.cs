using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SharpGrad.Kernels;

/// <summary>
/// Note [Outer reduction]: a sum over outer dims whose kept dims end in a contiguous block (the
/// bias gradient <c>g.sum(0)</c>, <c>mean(0)</c>, the engine's <c>sum_to_size</c> of a broadcast
/// gradient) is not permuted and copied (Note [Reduction layout]): it walks the rows in place with
/// vector accumulators, in PyTorch's order (Note [Sum cascade]), so float results equal PyTorch's
/// bit for bit. The layout: kept dims with any strides (the prefix, A slices), then reduced dims
/// that walk memory as one dim of R rows with one row stride, then kept dims that are contiguous
/// (K columns). Sizes of 1 are ignored wherever they are.
/// <para>Order, per slice. When K is at least one vector (v = 8 floats, 4 doubles): columns in whole
/// groups of four vectors take one cascade each over all R rows (four vectors at once); the
/// remaining columns (vector by vector, then one by one) take four interleaved cascades over the
/// rows. When K is below one vector, groups are of four single columns. A column's order depends
/// only on its index, so splitting columns into blocks, or blocks among threads, never changes a
/// result: results are identical for any thread count. Integer sums are exact in any order.</para>
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

    /// <summary>
    /// Grouped columns in a block from which whole rows are added (<see cref="ReduceCascade.Rows{T}"/>)
    /// rather than groups walked down the rows, when the row stride is a multiple of
    /// <see cref="AliasingBytes"/>: walking down such a stride touches few cache sets and defeats
    /// the prefetcher (measured: 256 x 1024 floats 15% and 2048 x 256 10% faster by rows; other
    /// strides, 1000 x 300 or 64 x 784, are faster walked down by groups).
    /// </summary>
    private const int WideRows = 256;

    /// <summary>Row strides (in bytes) that are multiples of this are summed by whole rows (see <see cref="WideRows"/>).</summary>
    private const int AliasingBytes = 1024;

    /// <summary>Largest column block in bytes: a block's rows stay in the cache while its groups walk them.</summary>
    private const int BlockBytes = 2048;

    /// <summary>The sum over the rows of <paramref name="layout"/>, as a new tensor of <paramref name="outSizes"/> (A × K elements in order).</summary>
    public static Tensor Sum<T>(Tensor x, Layout layout, int[] outSizes) where T : unmanaged, INumber<T>
    {
        var result = Tensor.AllocateUninitialized(x.DType, outSizes);
        int slices = 1;
        foreach (int s in layout.PrefixSizes) slices *= s;
        int k = layout.Columns, group = GroupWidth<T>(k);
        long work = (long)slices * layout.Rows * k;
        bool parallel = ParallelFor.Threads > 1 && work >= 2 * Elementwise.ParallelGrain;
        // Blocks are whole groups (a column's order does not depend on them); smaller when a few
        // slices must still give every thread work.
        int block = Math.Max(group, BlockBytes / Unsafe.SizeOf<T>() / group * group);
        if (parallel && slices < ParallelFor.Threads)
        {
            int perThread = (k + ParallelFor.Threads - 1) / ParallelFor.Threads;
            block = Math.Min(block, Math.Max(group, (perThread + group - 1) / group * group));
        }
        int blocks = (k + block - 1) / block;
        var body = new SumBody<T>(x.Storage, x.Offset, layout, result.Storage, block, blocks);
        if (parallel) ParallelFor.For(slices * blocks, 1, ref body);
        else body.Run(0, slices * blocks);
        GC.KeepAlive(x.Storage);
        GC.KeepAlive(result.Storage);
        return result;
    }

    /// <summary>Columns per group: four vectors, or four columns when K is below one vector.</summary>
    private static int GroupWidth<T>(int columns) where T : unmanaged
    {
        int vector = Vector256<T>.Count;
        return columns >= vector ? 4 * vector : 4;
    }

    private readonly struct SumBody<T>(Storage input, int offset, Layout layout, Storage output, int block, int blocks)
        : IRangeBody where T : unmanaged, INumber<T>
    {
        public void Run(int start, int end)
        {
            var x = input.Borrow<T>();
            var o = output.Borrow<T>();
            int k = layout.Columns, vector = Vector256<T>.Count, group = GroupWidth<T>(k), grouped = k / group * group;
            int rows = layout.Rows;
            nuint stride = (nuint)layout.RowStride;
            bool byRows = (long)layout.RowStride * Unsafe.SizeOf<T>() % AliasingBytes == 0;
            for (int unit = start; unit < end; unit++)
            {
                int slice = unit / blocks, c0 = unit % blocks * block, c1 = Math.Min(k, c0 + block);
                ref T first = ref x[offset + SliceOffset(slice)];
                var outRow = o.Slice(slice * k, k);
                int c = c0;
                if (k >= vector)
                {
                    if (byRows && Math.Min(c1, grouped) - c >= WideRows)
                    {
                        // Long rows: add whole rows of the block's groups (same order per column).
                        int w = Math.Min(c1, grouped) - c;
                        var buffer = ArrayPool<T>.Shared.Rent(3 * w);
                        ReduceCascade.Rows<T>(x[(offset + SliceOffset(slice) + c)..], rows, layout.RowStride, outRow.Slice(c, w), buffer.AsSpan(0, 3 * w));
                        ArrayPool<T>.Shared.Return(buffer);
                        c += w;
                    }
                    for (; c + group <= Math.Min(c1, grouped); c += group)
                    {
                        var four = ReduceCascade.Vectors(ref Unsafe.Add(ref first, c), rows, stride, (nuint)vector);
                        four.A0.CopyTo(outRow[c..]);
                        four.A1.CopyTo(outRow[(c + vector)..]);
                        four.A2.CopyTo(outRow[(c + 2 * vector)..]);
                        four.A3.CopyTo(outRow[(c + 3 * vector)..]);
                    }
                    for (; c + vector <= c1; c += vector)
                        ReduceCascade.InterleavedVectors(ref Unsafe.Add(ref first, c), rows, stride).CopyTo(outRow[c..]);
                }
                else
                    for (; c + group <= Math.Min(c1, grouped); c += group)
                    {
                        var four = ReduceCascade.Scalars(ref Unsafe.Add(ref first, c), rows, stride, 1);
                        (outRow[c], outRow[c + 1], outRow[c + 2], outRow[c + 3]) = (four.A0, four.A1, four.A2, four.A3);
                    }
                for (; c < c1; c++) outRow[c] = ReduceCascade.InterleavedScalars(ref Unsafe.Add(ref first, c), rows, stride);
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
}
