using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad.Kernels;

/// <summary>
/// Note [Integer GEMM]: long and int products (exact, so any order gives the same result) keep a
/// simple cache-blocked path: B in KC x NC panels (used in place when its rows are contiguous,
/// else packed once per panel), four rows of C at a time accumulating two <see cref="Vector{T}"/>
/// registers each over the panel depth, leftover rows through
/// <see cref="TensorPrimitives.MultiplyAdd{T}(ReadOnlySpan{T}, T, ReadOnlySpan{T}, Span{T})"/>.
/// Rows of C are split across <see cref="ParallelFor"/> threads.
/// </summary>
internal static class GemmInteger
{
    private const int KC = 128;
    private const int NC = 256;

    /// <summary><c>C = A @ B</c>, overwriting C (k &gt; 0, n &gt; 1); see <see cref="Gemm.Run{T}"/> for the layout.</summary>
    public static void Run<T>(int m, int n, int k,
        T[] a, int aOffset, int aRowStride, int aColStride,
        T[] b, int bOffset, int bRowStride, int bColStride,
        T[] c, int cOffset, int cRowStride, long parallelGrain) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < m; i++) c.AsSpan(cOffset + i * cRowStride, n).Clear();
        long workPerRow = (long)n * k;
        int grain = (int)Math.Clamp((parallelGrain + workPerRow - 1) / workPerRow, 4, int.MaxValue);
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
                ParallelFor.For(m, grain, ref block);
            }
        }
    }

    /// <summary>One B panel applied to a range of rows of C (the inner loops).</summary>
    private readonly struct Block<T>(T[] a, int aOffset, int aRowStride, int aColStride,
        T[] panel, int panelOffset, int panelRowStride, T[] c, int cOffset, int cRowStride, int kb, int nb)
        : IRangeBody where T : unmanaged, INumber<T>
    {
        public void Run(int from, int to)
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
}
