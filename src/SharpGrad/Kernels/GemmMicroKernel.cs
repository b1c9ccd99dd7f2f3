using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

/// <summary>
/// The few vector operations the GEMM micro-kernel needs, for one register width, so that one
/// kernel body serves Vector512, Vector256, Vector128 and plain scalars (Note [GEMM micro-kernel]).
/// </summary>
internal unsafe interface IGemmSimd<TVec, T> where TVec : struct where T : unmanaged
{
    /// <summary>Lanes per register.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes zero.</summary>
    static abstract TVec Zero { get; }

    /// <summary>Loads <see cref="Count"/> elements from <paramref name="source"/>.</summary>
    static abstract TVec Load(T* source);

    /// <summary>Stores <see cref="Count"/> elements to <paramref name="destination"/>.</summary>
    static abstract void Store(T* destination, TVec value);

    /// <summary>Every lane set to <c>*source</c>.</summary>
    static abstract TVec Broadcast(T* source);

    /// <summary><c>a * b + c</c>, with one rounding where the hardware fuses it (the same choice on every thread).</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);
}

/// <summary>512-bit registers (AVX-512F): FMA is part of the instruction set.</summary>
internal readonly unsafe struct Simd512<T> : IGemmSimd<Vector512<T>, T> where T : unmanaged
{
    public static int Count => Vector512<T>.Count;
    public static Vector512<T> Zero => Vector512<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(T* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T* destination, Vector512<T> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T* source) => Vector512.Create(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }
}

/// <summary>256-bit registers (AVX2), fused when the CPU has FMA3.</summary>
internal readonly unsafe struct Simd256<T> : IGemmSimd<Vector256<T>, T> where T : unmanaged
{
    public static int Count => Vector256<T>.Count;
    public static Vector256<T> Zero => Vector256<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(T* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T* destination, Vector256<T> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T* source) => Vector256.Create(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (Fma.IsSupported)
        {
            if (typeof(T) == typeof(float))
                return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            if (typeof(T) == typeof(double))
                return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }
        return a * b + c;
    }
}

/// <summary>128-bit registers (SSE / NEON), fused when the CPU has FMA3 or is ARM64.</summary>
internal readonly unsafe struct Simd128<T> : IGemmSimd<Vector128<T>, T> where T : unmanaged
{
    public static int Count => Vector128<T>.Count;
    public static Vector128<T> Zero => Vector128<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(T* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T* destination, Vector128<T> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Broadcast(T* source) => Vector128.Create(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        if (Fma.IsSupported || AdvSimd.Arm64.IsSupported)
        {
            if (typeof(T) == typeof(float))
                return Vector128.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            if (typeof(T) == typeof(double))
                return Vector128.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }
        return a * b + c;
    }
}

/// <summary>One lane per "register": the path when hardware intrinsics are disabled. Not fused.</summary>
internal readonly unsafe struct SimdScalar<T> : IGemmSimd<T, T> where T : unmanaged, INumber<T>
{
    public static int Count => 1;
    public static T Zero => T.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Load(T* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T* destination, T value) => *destination = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Broadcast(T* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd(T a, T b, T c) => a * b + c;
}

/// <summary>
/// Note [GEMM micro-kernel]: one MR x NR tile of C, MR = 6 rows by NR = 2 registers, held in 12
/// accumulator registers across the whole depth of a packed panel: per step p it loads two
/// registers of the packed B sliver, broadcasts six packed A values, and issues 12 multiply-adds
/// (with 256-bit registers: 6 x 16 floats, 12 + 2 + 1 = 15 of the 16 ymm registers; 12
/// independent FMA chains cover the FMA latency x throughput of current x86 cores). The
/// accumulators start at zero on the first depth panel and from C afterwards, so every element of
/// C is one chain of multiply-adds over p = 0, 1, ..., k-1 in order, whatever the blocking, the
/// tile position or the thread: results are bit-identical for any thread count.
/// </summary>
internal static unsafe class GemmMicroKernel<TSimd, TVec, T>
    where TSimd : struct, IGemmSimd<TVec, T> where TVec : struct where T : unmanaged
{
    /// <summary>Rows of a tile.</summary>
    public const int MR = 6;

    /// <summary>Columns of a tile: two registers.</summary>
    public static int NR => 2 * TSimd.Count;

    /// <summary>
    /// <c>C[r, j] (+)= sum_p a[p * MR + r] * b[p * NR + j]</c> for the full tile at <paramref name="c"/>
    /// (row stride <paramref name="ldc"/>); C's old value is the chains' start when <paramref name="accumulate"/>.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(int kc, T* a, T* b, T* c, nint ldc, bool accumulate)
    {
        if (typeof(TSimd) == typeof(Simd256<T>) && Fma.IsSupported)
        {
            // The same chains written with non-generic intrinsics (Note [GEMM AVX2 kernels]).
            if (typeof(T) == typeof(float))
            {
                GemmAvx2Kernels.Tile(kc, (float*)a, (float*)b, (float*)c, ldc, accumulate);
                return;
            }
            if (typeof(T) == typeof(double))
            {
                GemmAvx2Kernels.Tile(kc, (double*)a, (double*)b, (double*)c, ldc, accumulate);
                return;
            }
        }
        int w = TSimd.Count;
        TVec c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (accumulate)
        {
            T* r = c;
            c00 = TSimd.Load(r); c01 = TSimd.Load(r + w); r += ldc;
            c10 = TSimd.Load(r); c11 = TSimd.Load(r + w); r += ldc;
            c20 = TSimd.Load(r); c21 = TSimd.Load(r + w); r += ldc;
            c30 = TSimd.Load(r); c31 = TSimd.Load(r + w); r += ldc;
            c40 = TSimd.Load(r); c41 = TSimd.Load(r + w); r += ldc;
            c50 = TSimd.Load(r); c51 = TSimd.Load(r + w);
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = TSimd.Zero;
        }

        for (int p = 0; p < kc; p++)
        {
            TVec b0 = TSimd.Load(b), b1 = TSimd.Load(b + w);
            TVec x = TSimd.Broadcast(a);
            c00 = TSimd.MultiplyAdd(x, b0, c00); c01 = TSimd.MultiplyAdd(x, b1, c01);
            x = TSimd.Broadcast(a + 1);
            c10 = TSimd.MultiplyAdd(x, b0, c10); c11 = TSimd.MultiplyAdd(x, b1, c11);
            x = TSimd.Broadcast(a + 2);
            c20 = TSimd.MultiplyAdd(x, b0, c20); c21 = TSimd.MultiplyAdd(x, b1, c21);
            x = TSimd.Broadcast(a + 3);
            c30 = TSimd.MultiplyAdd(x, b0, c30); c31 = TSimd.MultiplyAdd(x, b1, c31);
            x = TSimd.Broadcast(a + 4);
            c40 = TSimd.MultiplyAdd(x, b0, c40); c41 = TSimd.MultiplyAdd(x, b1, c41);
            x = TSimd.Broadcast(a + 5);
            c50 = TSimd.MultiplyAdd(x, b0, c50); c51 = TSimd.MultiplyAdd(x, b1, c51);
            a += MR;
            b += 2 * w;
        }

        T* o = c;
        TSimd.Store(o, c00); TSimd.Store(o + w, c01); o += ldc;
        TSimd.Store(o, c10); TSimd.Store(o + w, c11); o += ldc;
        TSimd.Store(o, c20); TSimd.Store(o + w, c21); o += ldc;
        TSimd.Store(o, c30); TSimd.Store(o + w, c31); o += ldc;
        TSimd.Store(o, c40); TSimd.Store(o + w, c41); o += ldc;
        TSimd.Store(o, c50); TSimd.Store(o + w, c51);
    }
}
