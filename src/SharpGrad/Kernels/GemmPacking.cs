using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

/// <summary>
/// Note [GEMM packing]: before the micro-kernel runs, a block of A and a panel of B are copied
/// into the order the kernel reads them, from any (row, column) strides: this one copy is how
/// transposed, sliced and stride-0 (expanded) operands are served, with no separate transpose.
/// A (mb x kb) becomes MR-tall row slivers, each stored p-major (<c>dst[p * MR + r]</c>); B (kb x nb)
/// becomes NR-wide column slivers, each stored p-major (<c>dst[p * NR + j]</c>). A last partial
/// sliver is padded with zeros, so edge tiles run the same kernel; the padded rows and columns
/// of the tile are computed but never written to C. Packing is a small share of the work only if
/// it streams: every layout reads its source along the contiguous direction and writes the
/// destination in order (row-major A and column-major B are transposed through registers).
/// </summary>
internal static unsafe class GemmPacking<TSimd, TVec, T>
    where TSimd : struct, IGemmSimd<TVec, T> where TVec : struct where T : unmanaged
{
    private const int MR = GemmMicroKernel<TSimd, TVec, T>.MR;

    /// <summary>
    /// Packs <c>A[i, p] = a[i * rowStride + p * colStride]</c>, i &lt; mb, p &lt; kb, into
    /// ceil(mb / MR) slivers of kb * MR elements at <paramref name="dst"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(int mb, int kb, T* a, nint rowStride, nint colStride, T* dst)
    {
        if (rowStride == 1 && mb >= MR)
        {
            // Column-major A (e.g. a transposed row-major matrix): read each column once, in order,
            // handing MR contiguous values to each full sliver (a sliver at a time would walk the
            // columns at a large, often power-of-two stride, thrashing L1 sets).
            int full = mb / MR;
            for (int p = 0; p < kb; p++)
            {
                T* s = a + p * colStride;
                T* d = dst + p * MR;
                for (int t = 0; t < full; t++, s += MR, d += (nint)kb * MR) CopySix(s, d);
            }
            int done = full * MR;
            if (done < mb)
                PartialA(mb - done, kb, a + done, rowStride, colStride, dst + (nint)full * kb * MR);
            return;
        }
        for (int i0 = 0; i0 < mb; i0 += MR, dst += (nint)kb * MR)
        {
            int h = Math.Min(MR, mb - i0);
            T* src = a + i0 * rowStride;
            if (h < MR)
            {
                PartialA(h, kb, src, rowStride, colStride, dst);
                continue;
            }
            T* s0 = src, s1 = s0 + rowStride, s2 = s1 + rowStride, s3 = s2 + rowStride, s4 = s3 + rowStride, s5 = s4 + rowStride;
            T* d = dst;
            int q = 0;
            if (colStride == 1 && typeof(T) == typeof(float) && Avx.IsSupported)
                for (; q + 8 <= kb; q += 8, d += 8 * MR)
                    Transpose6x8((float*)s0 + q, (float*)s1 + q, (float*)s2 + q, (float*)s3 + q, (float*)s4 + q, (float*)s5 + q, (float*)d);
            if (colStride == 1 && typeof(T) == typeof(double) && Avx.IsSupported)
                for (; q + 4 <= kb; q += 4, d += 4 * MR)
                    Transpose6x4((double*)s0 + q, (double*)s1 + q, (double*)s2 + q, (double*)s3 + q, (double*)s4 + q, (double*)s5 + q, (double*)d);
            for (nint p = q * colStride; q < kb; q++, p += colStride, d += MR)
            {
                d[0] = s0[p]; d[1] = s1[p]; d[2] = s2[p];
                d[3] = s3[p]; d[4] = s4[p]; d[5] = s5[p];
            }
        }
    }

    /// <summary><c>d[0..5] = s[0..5]</c> as 16-byte moves (24 bytes of float, 48 of double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopySix(T* s, T* d)
    {
        byte* from = (byte*)s, to = (byte*)d;
        if (sizeof(T) == 4)
        {
            Vector128.Store(Vector128.Load(from), to);
            *(ulong*)(to + 16) = *(ulong*)(from + 16);
        }
        else if (sizeof(T) == 8)
        {
            Vector128.Store(Vector128.Load(from), to);
            Vector128.Store(Vector128.Load(from + 16), to + 16);
            Vector128.Store(Vector128.Load(from + 32), to + 32);
        }
        else
        {
            for (int r = 0; r < MR; r++) d[r] = s[r];
        }
    }

    /// <summary>The last sliver of fewer than MR rows, padded with zero rows.</summary>
    private static void PartialA(int h, int kb, T* src, nint rowStride, nint colStride, T* dst)
    {
        for (int r = 0; r < h; r++)
        {
            T* s = src + r * rowStride;
            T* d = dst + r;
            for (int p = 0; p < kb; p++, s += colStride, d += MR) *d = *s;
        }
        for (int r = h; r < MR; r++)
        {
            T* d = dst + r;
            for (int p = 0; p < kb; p++, d += MR) *d = default;
        }
    }

    /// <summary>
    /// Packs <c>B[p, j] = b[p * rowStride + j * colStride]</c>, p &lt; kb, j &lt; nb, into
    /// ceil(nb / NR) slivers of kb * NR elements at <paramref name="dst"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(int nb, int kb, T* b, nint rowStride, nint colStride, T* dst)
    {
        int nr = 2 * TSimd.Count, w = TSimd.Count;
        int j0 = 0;
        if (colStride == 1 && nb >= nr)
        {
            // Row-major B: a group of slivers at a time, reading each row's piece of the group
            // and writing each sliver in order. (Writing all slivers per row instead puts one store
            // stream per sliver, kb * NR elements apart: with KC * NR * size a multiple of 4 KiB
            // they all land in one L1 set and evict each other.)
            int full = nb / nr;
            const int Group = 4;
            for (int t0 = 0; t0 < full; t0 += Group)
            {
                int count = Math.Min(Group, full - t0);
                for (int p = 0; p < kb; p++)
                {
                    T* s = b + p * rowStride + t0 * nr;
                    T* d = dst + (nint)t0 * kb * nr + p * nr;
                    for (int t = 0; t < count; t++, s += nr, d += (nint)kb * nr)
                    {
                        TSimd.Store(d, TSimd.Load(s));
                        TSimd.Store(d + w, TSimd.Load(s + w));
                    }
                }
            }
            j0 = full * nr;
            dst += (nint)full * kb * nr;
        }
        for (; j0 < nb; j0 += nr, dst += (nint)kb * nr)
        {
            int width = Math.Min(nr, nb - j0);
            T* src = b + j0 * colStride;
            int j = 0;
            if (rowStride == 1 && typeof(T) == typeof(float) && Avx.IsSupported && nr % 8 == 0)
            {
                // Column-major B (e.g. the transposed weight of a linear layer): 8 x 8 register transposes.
                for (; j + 8 <= width; j += 8)
                {
                    int q = 0;
                    T* d = dst + j;
                    for (; q + 8 <= kb; q += 8, d += 8 * nr)
                        Transpose8x8((float*)(src + j * colStride) + q, colStride, (float*)d, nr);
                    for (; q < kb; q++, d += nr)
                        for (int t = 0; t < 8; t++) d[t] = src[(j + t) * colStride + q];
                }
            }
            if (rowStride == 1 && typeof(T) == typeof(double) && Avx.IsSupported && nr % 4 == 0)
            {
                // Column-major B of double: 4 x 4 register transposes.
                for (; j + 4 <= width; j += 4)
                {
                    int q = 0;
                    T* d = dst + j;
                    for (; q + 4 <= kb; q += 4, d += 4 * nr)
                        Transpose4x4((double*)(src + j * colStride) + q, colStride, (double*)d, nr);
                    for (; q < kb; q++, d += nr)
                        for (int t = 0; t < 4; t++) d[t] = src[(j + t) * colStride + q];
                }
            }
            // Remaining columns, four at a time, each step p writing four neighbours.
            for (; j + 4 <= width; j += 4)
            {
                T* c0 = src + j * colStride, c1 = c0 + colStride, c2 = c1 + colStride, c3 = c2 + colStride;
                T* d = dst + j;
                nint p = 0;
                for (int q = 0; q < kb; q++, p += rowStride, d += nr)
                {
                    d[0] = c0[p]; d[1] = c1[p]; d[2] = c2[p]; d[3] = c3[p];
                }
            }
            for (; j < width; j++)
            {
                T* s = src + j * colStride;
                T* d = dst + j;
                for (int p = 0; p < kb; p++, s += rowStride, d += nr) *d = *s;
            }
            for (; j < nr; j++)
            {
                T* d = dst + j;
                for (int p = 0; p < kb; p++, d += nr) *d = default;
            }
        }
    }

    /// <summary>
    /// Eight steps of six rows: <c>d[p * 6 + r] = s_r[p]</c> for p &lt; 8, through an 8 x 8 register
    /// transpose whose rows 6 and 7 are zero; each column's six useful lanes are stored as 4 + 2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose6x8(float* s0, float* s1, float* s2, float* s3, float* s4, float* s5, float* d)
    {
        var r0 = Avx.LoadVector256(s0); var r1 = Avx.LoadVector256(s1);
        var r2 = Avx.LoadVector256(s2); var r3 = Avx.LoadVector256(s3);
        var r4 = Avx.LoadVector256(s4); var r5 = Avx.LoadVector256(s5);
        var r6 = Vector256<float>.Zero; var r7 = Vector256<float>.Zero;
        Transpose8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        StoreSix(d, r0); StoreSix(d + 6, r1); StoreSix(d + 12, r2); StoreSix(d + 18, r3);
        StoreSix(d + 24, r4); StoreSix(d + 30, r5); StoreSix(d + 36, r6); StoreSix(d + 42, r7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSix(float* d, Vector256<float> v)
    {
        Sse.Store(d, v.GetLower());
        Sse.StoreLow(d + 4, v.GetUpper());
    }

    /// <summary><c>d[p * ldd + t] = s[t * ls + p]</c> for p, t &lt; 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* s, nint ls, float* d, nint ldd)
    {
        var r0 = Avx.LoadVector256(s); var r1 = Avx.LoadVector256(s + ls);
        var r2 = Avx.LoadVector256(s + 2 * ls); var r3 = Avx.LoadVector256(s + 3 * ls);
        var r4 = Avx.LoadVector256(s + 4 * ls); var r5 = Avx.LoadVector256(s + 5 * ls);
        var r6 = Avx.LoadVector256(s + 6 * ls); var r7 = Avx.LoadVector256(s + 7 * ls);
        Transpose8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        Avx.Store(d, r0); Avx.Store(d + ldd, r1); Avx.Store(d + 2 * ldd, r2); Avx.Store(d + 3 * ldd, r3);
        Avx.Store(d + 4 * ldd, r4); Avx.Store(d + 5 * ldd, r5); Avx.Store(d + 6 * ldd, r6); Avx.Store(d + 7 * ldd, r7);
    }

    /// <summary>Four steps of six rows of double: <c>d[p * 6 + r] = s_r[p]</c> for p &lt; 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose6x4(double* s0, double* s1, double* s2, double* s3, double* s4, double* s5, double* d)
    {
        var r0 = Avx.LoadVector256(s0); var r1 = Avx.LoadVector256(s1);
        var r2 = Avx.LoadVector256(s2); var r3 = Avx.LoadVector256(s3);
        Transpose4(ref r0, ref r1, ref r2, ref r3);
        // Rows 4 and 5 interleaved: lo = (s4[0], s5[0], s4[2], s5[2]), hi = (s4[1], s5[1], s4[3], s5[3]).
        var r4 = Avx.LoadVector256(s4); var r5 = Avx.LoadVector256(s5);
        var lo = Avx.UnpackLow(r4, r5); var hi = Avx.UnpackHigh(r4, r5);
        Avx.Store(d, r0); Sse2.Store(d + 4, lo.GetLower());
        Avx.Store(d + 6, r1); Sse2.Store(d + 10, hi.GetLower());
        Avx.Store(d + 12, r2); Sse2.Store(d + 16, lo.GetUpper());
        Avx.Store(d + 18, r3); Sse2.Store(d + 22, hi.GetUpper());
    }

    /// <summary><c>d[p * ldd + t] = s[t * ls + p]</c> for p, t &lt; 4, double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x4(double* s, nint ls, double* d, nint ldd)
    {
        var r0 = Avx.LoadVector256(s); var r1 = Avx.LoadVector256(s + ls);
        var r2 = Avx.LoadVector256(s + 2 * ls); var r3 = Avx.LoadVector256(s + 3 * ls);
        Transpose4(ref r0, ref r1, ref r2, ref r3);
        Avx.Store(d, r0); Avx.Store(d + ldd, r1); Avx.Store(d + 2 * ldd, r2); Avx.Store(d + 3 * ldd, r3);
    }

    /// <summary>The 4 x 4 transpose of rows r0..r3 of double in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4(ref Vector256<double> r0, ref Vector256<double> r1, ref Vector256<double> r2, ref Vector256<double> r3)
    {
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        r0 = Avx.Permute2x128(t0, t2, 0x20); r1 = Avx.Permute2x128(t1, t3, 0x20);
        r2 = Avx.Permute2x128(t0, t2, 0x31); r3 = Avx.Permute2x128(t1, t3, 0x31);
    }

    /// <summary>The 8 x 8 transpose of rows r0..r7 in registers (unpack, shuffle, then swap 128-bit halves).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8(ref Vector256<float> r0, ref Vector256<float> r1, ref Vector256<float> r2, ref Vector256<float> r3,
        ref Vector256<float> r4, ref Vector256<float> r5, ref Vector256<float> r6, ref Vector256<float> r7)
    {
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        r0 = Avx.Permute2x128(u0, u4, 0x20); r1 = Avx.Permute2x128(u1, u5, 0x20);
        r2 = Avx.Permute2x128(u2, u6, 0x20); r3 = Avx.Permute2x128(u3, u7, 0x20);
        r4 = Avx.Permute2x128(u0, u4, 0x31); r5 = Avx.Permute2x128(u1, u5, 0x31);
        r6 = Avx.Permute2x128(u2, u6, 0x31); r7 = Avx.Permute2x128(u3, u7, 0x31);
    }
}
