using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

/// <summary>
/// Note [GEMM AVX2 kernels]: the 6 x 2-register tile of <see cref="GemmMicroKernel{TSimd, TVec, T}"/>
/// for 256-bit float and double, written with the non-generic AVX / FMA3 intrinsics and two steps of
/// p per loop iteration. The results are identical to the generic kernel's (the same fused chains in
/// the same order); the optimised code saves half the loop overhead, and unoptimised (Debug) builds,
/// which cannot inline the generic kernel's helper calls, run these several times faster, which
/// keeps the Debug test suite quick.
///
/// Note [Hot kernels start optimised]: the GEMM micro-kernels, the packing routines and the block
/// loops are marked AggressiveOptimization, so the JIT compiles them fully optimised on first use
/// instead of starting at tier 0 (where the first training steps of a small MLP ran ~15x slower
/// until tiering caught up). They gain nothing from tiered PGO: no virtual calls, no cold paths.
/// </summary>
internal static unsafe class GemmAvx2Kernels
{
    /// <summary>The float tile: 6 rows x 16 columns.</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(int kc, float* a, float* b, float* c, nint ldc, bool accumulate)
    {
        Vector256<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (accumulate)
        {
            c00 = Avx.LoadVector256(c); c01 = Avx.LoadVector256(c + 8);
            c10 = Avx.LoadVector256(c + ldc); c11 = Avx.LoadVector256(c + ldc + 8);
            c20 = Avx.LoadVector256(c + 2 * ldc); c21 = Avx.LoadVector256(c + 2 * ldc + 8);
            c30 = Avx.LoadVector256(c + 3 * ldc); c31 = Avx.LoadVector256(c + 3 * ldc + 8);
            c40 = Avx.LoadVector256(c + 4 * ldc); c41 = Avx.LoadVector256(c + 4 * ldc + 8);
            c50 = Avx.LoadVector256(c + 5 * ldc); c51 = Avx.LoadVector256(c + 5 * ldc + 8);
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = Vector256<float>.Zero;
        }
        // Two steps per iteration (half the loop overhead); the chains keep the same order.
        int p = 0;
        for (; p + 2 <= kc; p += 2, a += 12, b += 32)
        {
            Vector256<float> b0 = Avx.LoadVector256(b), b1 = Avx.LoadVector256(b + 8);
            Vector256<float> x = Avx.BroadcastScalarToVector256(a);
            c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Avx.BroadcastScalarToVector256(a + 1);
            c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Avx.BroadcastScalarToVector256(a + 2);
            c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Avx.BroadcastScalarToVector256(a + 3);
            c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Avx.BroadcastScalarToVector256(a + 4);
            c40 = Fma.MultiplyAdd(x, b0, c40); c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Avx.BroadcastScalarToVector256(a + 5);
            c50 = Fma.MultiplyAdd(x, b0, c50); c51 = Fma.MultiplyAdd(x, b1, c51);
            b0 = Avx.LoadVector256(b + 16); b1 = Avx.LoadVector256(b + 24);
            x = Avx.BroadcastScalarToVector256(a + 6);
            c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Avx.BroadcastScalarToVector256(a + 7);
            c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Avx.BroadcastScalarToVector256(a + 8);
            c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Avx.BroadcastScalarToVector256(a + 9);
            c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Avx.BroadcastScalarToVector256(a + 10);
            c40 = Fma.MultiplyAdd(x, b0, c40); c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Avx.BroadcastScalarToVector256(a + 11);
            c50 = Fma.MultiplyAdd(x, b0, c50); c51 = Fma.MultiplyAdd(x, b1, c51);
        }
        for (; p < kc; p++, a += 6, b += 16)
        {
            Vector256<float> b0 = Avx.LoadVector256(b), b1 = Avx.LoadVector256(b + 8);
            Vector256<float> x = Avx.BroadcastScalarToVector256(a);
            c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Avx.BroadcastScalarToVector256(a + 1);
            c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Avx.BroadcastScalarToVector256(a + 2);
            c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Avx.BroadcastScalarToVector256(a + 3);
            c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Avx.BroadcastScalarToVector256(a + 4);
            c40 = Fma.MultiplyAdd(x, b0, c40); c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Avx.BroadcastScalarToVector256(a + 5);
            c50 = Fma.MultiplyAdd(x, b0, c50); c51 = Fma.MultiplyAdd(x, b1, c51);
        }
        Avx.Store(c, c00); Avx.Store(c + 8, c01);
        Avx.Store(c + ldc, c10); Avx.Store(c + ldc + 8, c11);
        Avx.Store(c + 2 * ldc, c20); Avx.Store(c + 2 * ldc + 8, c21);
        Avx.Store(c + 3 * ldc, c30); Avx.Store(c + 3 * ldc + 8, c31);
        Avx.Store(c + 4 * ldc, c40); Avx.Store(c + 4 * ldc + 8, c41);
        Avx.Store(c + 5 * ldc, c50); Avx.Store(c + 5 * ldc + 8, c51);
    }

    /// <summary>The double tile: 6 rows x 8 columns.</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(int kc, double* a, double* b, double* c, nint ldc, bool accumulate)
    {
        Vector256<double> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (accumulate)
        {
            c00 = Avx.LoadVector256(c); c01 = Avx.LoadVector256(c + 4);
            c10 = Avx.LoadVector256(c + ldc); c11 = Avx.LoadVector256(c + ldc + 4);
            c20 = Avx.LoadVector256(c + 2 * ldc); c21 = Avx.LoadVector256(c + 2 * ldc + 4);
            c30 = Avx.LoadVector256(c + 3 * ldc); c31 = Avx.LoadVector256(c + 3 * ldc + 4);
            c40 = Avx.LoadVector256(c + 4 * ldc); c41 = Avx.LoadVector256(c + 4 * ldc + 4);
            c50 = Avx.LoadVector256(c + 5 * ldc); c51 = Avx.LoadVector256(c + 5 * ldc + 4);
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = Vector256<double>.Zero;
        }
        // Two steps per iteration (half the loop overhead); the chains keep the same order.
        int p = 0;
        for (; p + 2 <= kc; p += 2, a += 12, b += 16)
        {
            Vector256<double> b0 = Avx.LoadVector256(b), b1 = Avx.LoadVector256(b + 4);
            Vector256<double> x = Avx.BroadcastScalarToVector256(a);
            c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Avx.BroadcastScalarToVector256(a + 1);
            c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Avx.BroadcastScalarToVector256(a + 2);
            c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Avx.BroadcastScalarToVector256(a + 3);
            c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Avx.BroadcastScalarToVector256(a + 4);
            c40 = Fma.MultiplyAdd(x, b0, c40); c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Avx.BroadcastScalarToVector256(a + 5);
            c50 = Fma.MultiplyAdd(x, b0, c50); c51 = Fma.MultiplyAdd(x, b1, c51);
            b0 = Avx.LoadVector256(b + 8); b1 = Avx.LoadVector256(b + 12);
            x = Avx.BroadcastScalarToVector256(a + 6);
            c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Avx.BroadcastScalarToVector256(a + 7);
            c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Avx.BroadcastScalarToVector256(a + 8);
            c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Avx.BroadcastScalarToVector256(a + 9);
            c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Avx.BroadcastScalarToVector256(a + 10);
            c40 = Fma.MultiplyAdd(x, b0, c40); c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Avx.BroadcastScalarToVector256(a + 11);
            c50 = Fma.MultiplyAdd(x, b0, c50); c51 = Fma.MultiplyAdd(x, b1, c51);
        }
        for (; p < kc; p++, a += 6, b += 8)
        {
            Vector256<double> b0 = Avx.LoadVector256(b), b1 = Avx.LoadVector256(b + 4);
            Vector256<double> x = Avx.BroadcastScalarToVector256(a);
            c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Avx.BroadcastScalarToVector256(a + 1);
            c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Avx.BroadcastScalarToVector256(a + 2);
            c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Avx.BroadcastScalarToVector256(a + 3);
            c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Avx.BroadcastScalarToVector256(a + 4);
            c40 = Fma.MultiplyAdd(x, b0, c40); c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Avx.BroadcastScalarToVector256(a + 5);
            c50 = Fma.MultiplyAdd(x, b0, c50); c51 = Fma.MultiplyAdd(x, b1, c51);
        }
        Avx.Store(c, c00); Avx.Store(c + 4, c01);
        Avx.Store(c + ldc, c10); Avx.Store(c + ldc + 4, c11);
        Avx.Store(c + 2 * ldc, c20); Avx.Store(c + 2 * ldc + 4, c21);
        Avx.Store(c + 3 * ldc, c30); Avx.Store(c + 3 * ldc + 4, c31);
        Avx.Store(c + 4 * ldc, c40); Avx.Store(c + 4 * ldc + 4, c41);
        Avx.Store(c + 5 * ldc, c50); Avx.Store(c + 5 * ldc + 4, c51);
    }
}
