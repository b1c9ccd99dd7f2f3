using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad.Kernels;

/// <summary>
/// General matrix multiply <c>C = A @ B</c> over strided operands, for float, double, long and int.
/// </summary>
/// <remarks>
/// Note [GEMM]: A (m x k) and B (k x n) are read through arbitrary (row, column) strides, so
/// transposed, sliced and expanded (stride 0) views multiply without a copy. C (m x n) is written
/// with unit column stride and is overwritten. The loop is cache-blocked: B is taken in panels of
/// <see cref="KC"/> x <see cref="NC"/> (used in place when its rows are contiguous, else packed once
/// into a scratch buffer); within a panel, four rows of C at a time accumulate in SIMD registers
/// (<c>C[i, j:j+w] += A[i, p] * B[p, j:j+w]</c> for p down the panel), and leftover rows use
/// <see cref="TensorPrimitives.MultiplyAdd{T}(ReadOnlySpan{T}, T, ReadOnlySpan{T}, Span{T})"/> on rows.
/// Every element of C accumulates over p in ascending order with non-fused multiply-adds on every
/// path, so results are deterministic whatever the thread count. Large products split the rows of C
/// across threads. The entry point <see cref="Run{T}"/> is the interface a packed micro-kernel can
/// later replace.
/// </remarks>
internal static class Gemm
{
    /// <summary>Depth of a B panel (rows of B kept hot in cache).</summary>
    private const int KC = 128;

    /// <summary>Width of a B panel (columns of C updated per pass).</summary>
    private const int NC = 256;

    /// <summary>Below this many multiply-adds, run on the calling thread.</summary>
    private const long ParallelThreshold = 1L << 21;

    /// <summary>
    /// <c>C[i, j] = sum_p A[i, p] * B[p, j]</c> for i &lt; m, j &lt; n, p &lt; k, where
    /// <c>A[i, p] = a[aOffset + i * aRowStride + p * aColStride]</c>, likewise B, and
    /// <c>C[i, j] = c[cOffset + i * cRowStride + j]</c>.
    /// </summary>
    public static void Run<T>(int m, int n, int k,
        T[] a, int aOffset, int aRowStride, int aColStride,
        T[] b, int bOffset, int bRowStride, int bColStride,
        T[] c, int cOffset, int cRowStride) where T : unmanaged, INumber<T>
    {
        if (m == 0 || n == 0) return;
        for (int i = 0; i < m; i++) c.AsSpan(cOffset + i * cRowStride, n).Clear();
        if (k == 0) return;
        if (n == 1)
        {
            MatrixVector(m, k, a, aOffset, aRowStride, aColStride, b, bOffset, bRowStride, c, cOffset, cRowStride);
            return;
        }

        bool parallel = (long)m * n * k >= ParallelThreshold && m >= 8 && Environment.ProcessorCount > 1;
        T[]? packed = bColStride == 1 ? null : new T[Math.Min(KC, k) * Math.Min(NC, n)];
        for (int jc = 0; jc < n; jc += NC)
        {
            int nb = Math.Min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kb = Math.Min(KC, k - pc);
                // The panel B[pc:pc+kb, jc:jc+nb] as rows of nb contiguous elements.
                T[] panel;
                int panelOffset, panelRowStride;
                if (packed is null)
                {
                    panel = b;
                    panelOffset = bOffset + pc * bRowStride + jc;
                    panelRowStride = bRowStride;
                }
                else
                {
                    for (int p = 0; p < kb; p++)
                    {
                        int src = bOffset + (pc + p) * bRowStride + jc * bColStride;
                        var row = packed.AsSpan(p * nb, nb);
                        for (int j = 0; j < nb; j++) row[j] = b[src + j * bColStride];
                    }
                    panel = packed;
                    panelOffset = 0;
                    panelRowStride = nb;
                }

                var block = new Block<T>(a, aOffset + pc * aColStride, aRowStride, aColStride,
                    panel, panelOffset, panelRowStride, c, cOffset + jc, cRowStride, kb, nb);
                if (!parallel) block.Rows(0, m);
                else
                {
                    int chunks = Math.Min(Environment.ProcessorCount * 4, (m + 3) / 4);
                    Parallel.For(0, chunks, chunk => block.Rows(chunk * m / chunks, (chunk + 1) * m / chunks));
                }
            }
        }
    }

    /// <summary>One B panel applied to a range of rows of C (the inner loops).</summary>
    /// <remarks>
    /// Rows go four at a time through a register-blocked kernel (4 rows x 2 vectors of C held in
    /// registers across the whole panel depth, each B vector loaded once for four rows); leftover
    /// rows and columns use the same arithmetic (non-fused multiply then add, p ascending), so every
    /// element's result is identical whichever path or thread computes it.
    /// </remarks>
    private readonly struct Block<T>(T[] a, int aOffset, int aRowStride, int aColStride,
        T[] panel, int panelOffset, int panelRowStride, T[] c, int cOffset, int cRowStride, int kb, int nb)
        where T : unmanaged, INumber<T>
    {
        public void Rows(int from, int to)
        {
            int i = from;
            if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && nb >= Vector<T>.Count)
                for (; i + 4 <= to; i += 4) FourRows(i);
            for (; i < to; i++) OneRow(i);
        }

        private void OneRow(int i)
        {
            var cRow = c.AsSpan(cOffset + i * cRowStride, nb);
            int aIndex = aOffset + i * aRowStride;
            for (int p = 0; p < kb; p++, aIndex += aColStride)
            {
                var bRow = panel.AsSpan(panelOffset + p * panelRowStride, nb);
                TensorPrimitives.MultiplyAdd(bRow, a[aIndex], cRow, cRow);
            }
        }

        private void FourRows(int i)
        {
            int w = Vector<T>.Count;
            int c0 = cOffset + i * cRowStride, c1 = c0 + cRowStride, c2 = c1 + cRowStride, c3 = c2 + cRowStride;
            int a0 = aOffset + i * aRowStride;
            int j = 0;
            for (; j + 2 * w <= nb; j += 2 * w)
            {
                var x0 = Load(c, c0 + j); var y0 = Load(c, c0 + j + w);
                var x1 = Load(c, c1 + j); var y1 = Load(c, c1 + j + w);
                var x2 = Load(c, c2 + j); var y2 = Load(c, c2 + j + w);
                var x3 = Load(c, c3 + j); var y3 = Load(c, c3 + j + w);
                int aIndex = a0, bIndex = panelOffset + j;
                for (int p = 0; p < kb; p++, aIndex += aColStride, bIndex += panelRowStride)
                {
                    var bx = Load(panel, bIndex);
                    var by = Load(panel, bIndex + w);
                    var s0 = new Vector<T>(a[aIndex]);
                    x0 += s0 * bx; y0 += s0 * by;
                    var s1 = new Vector<T>(a[aIndex + aRowStride]);
                    x1 += s1 * bx; y1 += s1 * by;
                    var s2 = new Vector<T>(a[aIndex + 2 * aRowStride]);
                    x2 += s2 * bx; y2 += s2 * by;
                    var s3 = new Vector<T>(a[aIndex + 3 * aRowStride]);
                    x3 += s3 * bx; y3 += s3 * by;
                }
                Store(x0, c, c0 + j); Store(y0, c, c0 + j + w);
                Store(x1, c, c1 + j); Store(y1, c, c1 + j + w);
                Store(x2, c, c2 + j); Store(y2, c, c2 + j + w);
                Store(x3, c, c3 + j); Store(y3, c, c3 + j + w);
            }
            for (; j < nb; j++)
            {
                T z0 = c[c0 + j], z1 = c[c1 + j], z2 = c[c2 + j], z3 = c[c3 + j];
                int aIndex = a0, bIndex = panelOffset + j;
                for (int p = 0; p < kb; p++, aIndex += aColStride, bIndex += panelRowStride)
                {
                    T bv = panel[bIndex];
                    z0 += a[aIndex] * bv;
                    z1 += a[aIndex + aRowStride] * bv;
                    z2 += a[aIndex + 2 * aRowStride] * bv;
                    z3 += a[aIndex + 3 * aRowStride] * bv;
                }
                c[c0 + j] = z0; c[c1 + j] = z1; c[c2 + j] = z2; c[c3 + j] = z3;
            }
        }

        private static Vector<T> Load(T[] array, int index) => new(array.AsSpan(index, Vector<T>.Count));

        private static void Store(Vector<T> value, T[] array, int index) => value.CopyTo(array.AsSpan(index, Vector<T>.Count));
    }

    /// <summary>The n == 1 case: <c>c = A @ b</c> with dot products along rows, or column updates when A is column-major.</summary>
    private static void MatrixVector<T>(int m, int k,
        T[] a, int aOffset, int aRowStride, int aColStride,
        T[] b, int bOffset, int bStride,
        T[] c, int cOffset, int cStride) where T : unmanaged, INumber<T>
    {
        ReadOnlySpan<T> vector = bStride == 1 ? b.AsSpan(bOffset, k) : Gather(b, bOffset, bStride, k);
        if (aColStride == 1)
        {
            for (int i = 0; i < m; i++)
                c[cOffset + i * cStride] = TensorPrimitives.Dot(a.AsSpan(aOffset + i * aRowStride, k), vector);
            return;
        }
        if (aRowStride == 1 && m > 1)
        {
            // Column-major A: accumulate whole columns, c += A[:, p] * b[p].
            var acc = cStride == 1 ? c.AsSpan(cOffset, m) : new T[m];
            for (int p = 0; p < k; p++)
                TensorPrimitives.MultiplyAdd(a.AsSpan(aOffset + p * aColStride, m), vector[p], acc, acc);
            if (cStride != 1)
                for (int i = 0; i < m; i++) c[cOffset + i * cStride] = acc[i];
            return;
        }
        for (int i = 0; i < m; i++)
        {
            T sum = T.Zero;
            int aIndex = aOffset + i * aRowStride;
            for (int p = 0; p < k; p++, aIndex += aColStride) sum += a[aIndex] * vector[p];
            c[cOffset + i * cStride] = sum;
        }
    }

    private static T[] Gather<T>(T[] source, int offset, int stride, int count)
    {
        var result = new T[count];
        for (int i = 0; i < count; i++) result[i] = source[offset + i * stride];
        return result;
    }
}
