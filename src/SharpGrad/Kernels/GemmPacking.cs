namespace SharpGrad.Kernels;

/// <summary>
/// Note [GEMM packing]: before the micro-kernel runs, a block of A and a panel of B are copied
/// into the order the kernel reads them, from any (row, column) strides: this one copy is how
/// transposed, sliced and stride-0 (expanded) operands are served, with no separate transpose.
/// A (mb x kb) becomes MR-tall row slivers, each stored p-major (<c>dst[p * MR + r]</c>); B (kb x nb)
/// becomes NR-wide column slivers, each stored p-major (<c>dst[p * NR + j]</c>). A last partial
/// sliver is padded with zeros, so edge tiles run the same kernel; the padded rows and columns
/// of the tile are computed but never written to C.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs <c>A[i, p] = a[i * rowStride + p * colStride]</c>, i &lt; mb, p &lt; kb, into
    /// ceil(mb / mr) slivers of kb * mr elements at <paramref name="dst"/>.
    /// </summary>
    public static void PackA<T>(int mb, int kb, T* a, nint rowStride, nint colStride, int mr, T* dst) where T : unmanaged
    {
        for (int i0 = 0; i0 < mb; i0 += mr, dst += (nint)kb * mr)
        {
            int h = Math.Min(mr, mb - i0);
            T* src = a + i0 * rowStride;
            if (rowStride == 1 && h == mr)
            {
                // Column-major A (e.g. a transposed row-major matrix): each step p is mr contiguous values.
                T* d = dst;
                for (int p = 0; p < kb; p++, src += colStride, d += mr)
                    for (int r = 0; r < mr; r++) d[r] = src[r];
                continue;
            }
            for (int r = 0; r < h; r++)
            {
                T* s = src + r * rowStride;
                T* d = dst + r;
                for (int p = 0; p < kb; p++, s += colStride, d += mr) *d = *s;
            }
            for (int r = h; r < mr; r++)
            {
                T* d = dst + r;
                for (int p = 0; p < kb; p++, d += mr) *d = default;
            }
        }
    }

    /// <summary>
    /// Packs <c>B[p, j] = b[p * rowStride + j * colStride]</c>, p &lt; kb, j &lt; nb, into
    /// ceil(nb / nr) slivers of kb * nr elements at <paramref name="dst"/>.
    /// </summary>
    public static void PackB<T>(int nb, int kb, T* b, nint rowStride, nint colStride, int nr, T* dst) where T : unmanaged
    {
        for (int j0 = 0; j0 < nb; j0 += nr, dst += (nint)kb * nr)
        {
            int w = Math.Min(nr, nb - j0);
            T* src = b + j0 * colStride;
            if (colStride == 1 && w == nr)
            {
                // Row-major B: each step p is nr contiguous values.
                nuint bytes = (nuint)(nr * sizeof(T));
                T* d = dst;
                for (int p = 0; p < kb; p++, src += rowStride, d += nr) Buffer.MemoryCopy(src, d, bytes, bytes);
                continue;
            }
            if (colStride == 1)
            {
                T* d = dst;
                for (int p = 0; p < kb; p++, src += rowStride, d += nr)
                {
                    int j = 0;
                    for (; j < w; j++) d[j] = src[j];
                    for (; j < nr; j++) d[j] = default;
                }
                continue;
            }
            // Column-major or strided B: walk down each column (contiguous when rowStride == 1).
            for (int j = 0; j < w; j++)
            {
                T* s = src + j * colStride;
                T* d = dst + j;
                for (int p = 0; p < kb; p++, s += rowStride, d += nr) *d = *s;
            }
            for (int j = w; j < nr; j++)
            {
                T* d = dst + j;
                for (int p = 0; p < kb; p++, d += nr) *d = default;
            }
        }
    }
}
