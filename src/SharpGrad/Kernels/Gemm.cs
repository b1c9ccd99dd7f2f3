using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

/// <summary>Which register width the packed float/double GEMM uses (tests force each one).</summary>
internal enum GemmPath
{
    /// <summary>The widest hardware-accelerated width.</summary>
    Auto,
    /// <summary>512-bit registers (emulated in software where AVX-512 is absent).</summary>
    Vector512,
    /// <summary>256-bit registers.</summary>
    Vector256,
    /// <summary>128-bit registers.</summary>
    Vector128,
    /// <summary>Scalars, non-fused: the path when hardware intrinsics are disabled.</summary>
    Scalar,
}

/// <summary>
/// General matrix multiply <c>C = A @ B</c> over strided operands, for float, double, long and int.
/// </summary>
/// <remarks>
/// Note [GEMM]: A (m x k) and B (k x n) are read through arbitrary (row, column) strides, so
/// transposed, sliced and expanded (stride 0) views multiply without a copy; C (m x n) is written
/// with unit column stride and is overwritten. Float and double run the packed, blocked GEMM
/// (Note [Packed GEMM]) with a register-blocked FMA micro-kernel (Note [GEMM micro-kernel]) at
/// the widest accelerated width: Vector512, else Vector256, else Vector128, else scalars; a single
/// row or column of C skips packing (Note [GEMM vector case]). On all of these, each element of C
/// is the same ordered chain of multiply-adds over k, so its bits do not depend on the shape it is
/// computed in, the operands' layout, the blocking or the thread count. Integers use a simple
/// blocked path (Note [Integer GEMM]), exact in any order. Products of at least
/// <see cref="ParallelGrain"/> multiply-adds per thread are split over <see cref="ParallelFor"/>.
/// </remarks>
internal static class Gemm
{
    /// <summary>
    /// Minimum multiply-adds per thread before a product (or a batch of them) is split. Measured on
    /// the 2-core machine with the split forced: two threads break even with one at n = 64 (2^17
    /// multiply-adds per thread; a fork-join through <see cref="ParallelFor"/> costs 3 to 15
    /// microseconds) and win clearly from n = 96 (2^18.7 per thread) upwards.
    /// </summary>
    internal const long ParallelGrain = 1L << 18;

    /// <summary>
    /// <c>C[i, j] = sum_p A[i, p] * B[p, j]</c> for i &lt; m, j &lt; n, p &lt; k, where
    /// <c>A[i, p] = a[aOffset + i * aRowStride + p * aColStride]</c>, likewise B, and
    /// <c>C[i, j] = c[cOffset + i * cRowStride + j]</c>. C is overwritten (zero when k == 0).
    /// </summary>
    public static void Run<T>(int m, int n, int k,
        T[] a, int aOffset, int aRowStride, int aColStride,
        T[] b, int bOffset, int bRowStride, int bColStride,
        T[] c, int cOffset, int cRowStride) where T : unmanaged, INumber<T> =>
        RunOn(GemmPath.Auto, m, n, k, a, aOffset, aRowStride, aColStride, b, bOffset, bRowStride, bColStride,
            c, cOffset, cRowStride, ParallelGrain);

    /// <summary>
    /// The batched product <c>C[q] = A[q] @ B[q]</c> for q &lt; batch, where operand q starts
    /// <c>q * xBatchStride</c> after <c>xOffset</c> (a batch stride of 0 broadcasts one matrix).
    /// Small products run whole on separate threads; large ones are each split as in <see cref="Run{T}"/>.
    /// </summary>
    public static void RunBatched<T>(int batch, int m, int n, int k,
        T[] a, int aOffset, int aBatchStride, int aRowStride, int aColStride,
        T[] b, int bOffset, int bBatchStride, int bRowStride, int bColStride,
        T[] c, int cOffset, int cBatchStride, int cRowStride) where T : unmanaged, INumber<T>
    {
        long work = (long)m * n * Math.Max(k, 1);
        if (batch <= 1 || work >= 2 * ParallelGrain)
        {
            for (int q = 0; q < batch; q++)
                RunOn(GemmPath.Auto, m, n, k,
                    a, aOffset + q * aBatchStride, aRowStride, aColStride,
                    b, bOffset + q * bBatchStride, bRowStride, bColStride,
                    c, cOffset + q * cBatchStride, cRowStride, ParallelGrain);
            return;
        }
        var body = new Batch<T>(m, n, k, a, aOffset, aBatchStride, aRowStride, aColStride,
            b, bOffset, bBatchStride, bRowStride, bColStride, c, cOffset, cBatchStride, cRowStride);
        ParallelFor.For(batch, (int)Math.Max(1, ParallelGrain / Math.Max(work, 1)), ref body);
    }

    private readonly struct Batch<T>(int m, int n, int k,
        T[] a, int aOffset, int aBatchStride, int aRowStride, int aColStride,
        T[] b, int bOffset, int bBatchStride, int bRowStride, int bColStride,
        T[] c, int cOffset, int cBatchStride, int cRowStride) : IRangeBody where T : unmanaged, INumber<T>
    {
        public void Run(int start, int end)
        {
            for (int q = start; q < end; q++)
                RunOn(GemmPath.Auto, m, n, k,
                    a, aOffset + q * aBatchStride, aRowStride, aColStride,
                    b, bOffset + q * bBatchStride, bRowStride, bColStride,
                    c, cOffset + q * cBatchStride, cRowStride, long.MaxValue);
        }
    }

    /// <summary>
    /// <see cref="Run{T}"/> on a chosen float/double <paramref name="path"/>, splitting over threads
    /// only above <paramref name="parallelGrain"/> multiply-adds per thread.
    /// </summary>
    internal static void RunOn<T>(GemmPath path, int m, int n, int k,
        T[] a, int aOffset, int aRowStride, int aColStride,
        T[] b, int bOffset, int bRowStride, int bColStride,
        T[] c, int cOffset, int cRowStride, long parallelGrain) where T : unmanaged, INumber<T>
    {
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            for (int i = 0; i < m; i++) c.AsSpan(cOffset + i * cRowStride, n).Clear();
            return;
        }
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            if (n == 1)
                MatrixVector(m, k, a, aOffset, aRowStride, aColStride, b, bOffset, bRowStride, c, cOffset, cRowStride);
            else if (m == 1)
                // C[0, j] = sum_p B[p, j] * A[0, p]: B^T times the vector A[0, :].
                MatrixVector(n, k, b, bOffset, bColStride, bRowStride, a, aOffset, aColStride, c, cOffset, 1);
            else
                GemmInteger.Run(m, n, k, a, aOffset, aRowStride, aColStride, b, bOffset, bRowStride, bColStride,
                    c, cOffset, cRowStride, parallelGrain);
            return;
        }
        if (path == GemmPath.Auto) path = BestPath;
        CheckBounds(a.Length, aOffset, m, aRowStride, k, aColStride);
        CheckBounds(b.Length, bOffset, k, bRowStride, n, bColStride);
        CheckBounds(c.Length, cOffset, m, cRowStride, n, 1);
        unsafe
        {
            fixed (T* pa = a, pb = b, pc = c)
            {
                T* aStart = pa + aOffset, bStart = pb + bOffset, cStart = pc + cOffset;
                switch (path)
                {
                    case GemmPath.Vector512:
                        Dispatch<Simd512<T>, Vector512<T>, T>(m, n, k, aStart, aRowStride, aColStride,
                            bStart, bRowStride, bColStride, cStart, cRowStride, IsFused(path), parallelGrain);
                        break;
                    case GemmPath.Vector256:
                        Dispatch<Simd256<T>, Vector256<T>, T>(m, n, k, aStart, aRowStride, aColStride,
                            bStart, bRowStride, bColStride, cStart, cRowStride, IsFused(path), parallelGrain);
                        break;
                    case GemmPath.Vector128:
                        Dispatch<Simd128<T>, Vector128<T>, T>(m, n, k, aStart, aRowStride, aColStride,
                            bStart, bRowStride, bColStride, cStart, cRowStride, IsFused(path), parallelGrain);
                        break;
                    default:
                        Dispatch<SimdScalar<T>, T, T>(m, n, k, aStart, aRowStride, aColStride,
                            bStart, bRowStride, bColStride, cStart, cRowStride, IsFused(path), parallelGrain);
                        break;
                }
            }
        }
    }

    /// <summary>One register width: the vector case (Note [GEMM vector case]) or the packed GEMM.</summary>
    private static unsafe void Dispatch<TSimd, TVec, T>(int m, int n, int k, T* a, nint aRowStride, nint aColStride,
        T* b, nint bRowStride, nint bColStride, T* c, nint cRowStride, bool fused, long parallelGrain)
        where TSimd : struct, IGemmSimd<TVec, T> where TVec : struct where T : unmanaged, INumber<T>
    {
        if (n == 1)
            GemmVector<TSimd, TVec, T>.Run(m, k, a, aRowStride, aColStride, b, bRowStride, c, cRowStride, fused, parallelGrain);
        else if (m == 1)
            GemmVector<TSimd, TVec, T>.Run(n, k, b, bColStride, bRowStride, a, aColStride, c, 1, fused, parallelGrain);
        else
            PackedGemm<TSimd, TVec, T>.Run(m, n, k, a, aRowStride, aColStride, b, bRowStride, bColStride, c, cRowStride, parallelGrain);
    }

    /// <summary>The widest hardware-accelerated register width, the one <see cref="GemmPath.Auto"/> takes.</summary>
    internal static GemmPath BestPath =>
        Vector512.IsHardwareAccelerated ? GemmPath.Vector512
        : Vector256.IsHardwareAccelerated ? GemmPath.Vector256
        : Vector128.IsHardwareAccelerated ? GemmPath.Vector128
        : GemmPath.Scalar;

    /// <summary>Whether the micro-kernel of <paramref name="path"/> fuses each multiply-add (one rounding) on this CPU.</summary>
    internal static bool IsFused(GemmPath path) => (path == GemmPath.Auto ? BestPath : path) switch
    {
        GemmPath.Vector512 => true,
        GemmPath.Vector256 => Fma.IsSupported,
        GemmPath.Vector128 => Fma.IsSupported || AdvSimd.Arm64.IsSupported,
        _ => false,
    };

    /// <summary>The packed path reads through raw pointers: check the extreme element of every operand first.</summary>
    private static void CheckBounds(int length, int offset, int rows, int rowStride, int cols, int colStride)
    {
        long last = offset + (long)(rows - 1) * rowStride + (long)(cols - 1) * colStride;
        if (offset < 0 || rowStride < 0 || colStride < 0 || last >= length)
            throw new ArgumentOutOfRangeException(nameof(offset), "GEMM operand extends outside its storage");
    }

    /// <summary>
    /// The integer matrix-vector case <c>c[i * cStride] = sum_p A[i, p] * v[p]</c> (exact in any order):
    /// dot products along rows, or column updates when A is column-major; rows are split over threads when large.
    /// </summary>
    private static void MatrixVector<T>(int m, int k,
        T[] a, int aOffset, int aRowStride, int aColStride,
        T[] v, int vOffset, int vStride,
        T[] c, int cOffset, int cStride) where T : unmanaged, INumber<T>
    {
        T[] vector = vStride == 1 && vOffset == 0 && v.Length == k ? v : Gather(v, vOffset, vStride, k);
        var body = new MatrixVectorRows<T>(k, a, aOffset, aRowStride, aColStride, vector, c, cOffset, cStride);
        ParallelFor.For(m, (int)Math.Max(16, ParallelGrain / k), ref body);
    }

    private readonly struct MatrixVectorRows<T>(int k, T[] a, int aOffset, int aRowStride, int aColStride,
        T[] vector, T[] c, int cOffset, int cStride) : IRangeBody where T : unmanaged, INumber<T>
    {
        public void Run(int start, int end)
        {
            if (aColStride == 1)
            {
                for (int i = start; i < end; i++)
                    c[cOffset + i * cStride] = TensorPrimitives.Dot(a.AsSpan(aOffset + i * aRowStride, k), vector);
                return;
            }
            int rows = end - start;
            if (aRowStride == 1 && rows > 1)
            {
                // Column-major A: accumulate whole column pieces, acc += A[start:end, p] * v[p].
                var acc = cStride == 1 ? c.AsSpan(cOffset + start, rows) : new T[rows];
                acc.Clear();
                for (int p = 0; p < k; p++)
                    TensorPrimitives.MultiplyAdd(a.AsSpan(aOffset + start + p * aColStride, rows), vector[p], acc, acc);
                if (cStride != 1)
                    for (int i = 0; i < rows; i++) c[cOffset + (start + i) * cStride] = acc[i];
                return;
            }
            for (int i = start; i < end; i++)
            {
                T sum = T.Zero;
                int aIndex = aOffset + i * aRowStride;
                for (int p = 0; p < k; p++, aIndex += aColStride) sum += a[aIndex] * vector[p];
                c[cOffset + i * cStride] = sum;
            }
        }
    }

    private static T[] Gather<T>(T[] source, int offset, int stride, int count)
    {
        var result = new T[count];
        for (int i = 0; i < count; i++) result[i] = source[offset + i * stride];
        return result;
    }
}
