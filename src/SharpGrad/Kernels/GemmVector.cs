using System.Numerics;
using System.Runtime.CompilerServices;

namespace SharpGrad.Kernels;

/// <summary>
/// Note [GEMM vector case]: a product with one row (m == 1) or one column (n == 1) of C is the
/// matrix-vector product <c>y[i] = sum_p M[i, p] * v[p]</c> (M = A for n == 1, M = B^T for m == 1).
/// Packing would cost as much as the arithmetic, so it runs directly, but each y[i] is still the
/// same ordered chain <c>acc = M[i, p] * v[p] + acc</c> over p ascending, fused exactly when the
/// packed micro-kernel is (Note [GEMM micro-kernel]): a row of C has the same bits whether it is
/// computed alone or inside a larger product, on any thread count. When M's column is contiguous
/// (row stride 1) the chains run across SIMD lanes (four registers of outputs per pass over p);
/// otherwise eight rows at a time run as eight independent scalar chains, enough to cover the FMA
/// latency. Outputs are split over <see cref="ParallelFor"/> threads.
/// </summary>
internal static unsafe class GemmVector<TSimd, TVec, T>
    where TSimd : struct, IGemmSimd<TVec, T> where TVec : struct where T : unmanaged, INumber<T>
{
    /// <summary>
    /// <c>y[i * yStride] = chain_p M[i * mRowStride + p * mColStride] * v[p * vStride]</c> for i &lt; rows, p &lt; k.
    /// </summary>
    public static void Run(int rows, int k, T* m, nint mRowStride, nint mColStride, T* v, nint vStride,
        T* y, nint yStride, bool fused, long parallelGrain)
    {
        var body = new Body
        {
            K = k, M = m, MRowStride = mRowStride, MColStride = mColStride, V = v, VStride = vStride,
            Y = y, YStride = yStride, Fused = fused,
        };
        // Chunks in units of 4 registers of rows, so a thread boundary never splits a SIMD block.
        int unit = 4 * TSimd.Count;
        int units = (rows + unit - 1) / unit;
        body.Count = rows;
        body.Unit = unit;
        ParallelFor.For(units, (int)Math.Clamp(parallelGrain / ((long)unit * k), 1, int.MaxValue), ref body);
    }

    private struct Body : IRangeBody
    {
        public int K, Count, Unit;
        public T* M, V, Y;
        public nint MRowStride, MColStride, VStride, YStride;
        public bool Fused;

        public readonly void Run(int start, int end)
        {
            int from = start * Unit, to = Math.Min(end * Unit, Count);
            if (Fused) Rows<FusedMultiplyAdd>(from, to);
            else Rows<UnfusedMultiplyAdd>(from, to);
        }

        private readonly void Rows<TMulAdd>(int from, int to) where TMulAdd : struct, IScalarMultiplyAdd
        {
            int i = from;
            if (MRowStride == 1 && TSimd.Count > 1)
            {
                int w = TSimd.Count;
                for (; i + 4 * w <= to; i += 4 * w) Lanes(i);
            }
            for (; i + 8 <= to; i += 8) EightRows<TMulAdd>(i);
            for (; i < to; i++)
            {
                T acc = T.Zero;
                T* row = M + i * MRowStride;
                for (int p = 0; p < K; p++) acc = TMulAdd.Apply(row[p * MColStride], V[p * VStride], acc);
                Y[i * YStride] = acc;
            }
        }

        /// <summary>Rows i .. i + 4w - 1 of a column-contiguous M, one chain per SIMD lane.</summary>
        private readonly void Lanes(int i)
        {
            int w = TSimd.Count;
            TVec y0 = TSimd.Zero, y1 = TSimd.Zero, y2 = TSimd.Zero, y3 = TSimd.Zero;
            T* column = M + i;
            for (int p = 0; p < K; p++, column += MColStride)
            {
                TVec x = TSimd.Broadcast(V + p * VStride);
                y0 = TSimd.MultiplyAdd(TSimd.Load(column), x, y0);
                y1 = TSimd.MultiplyAdd(TSimd.Load(column + w), x, y1);
                y2 = TSimd.MultiplyAdd(TSimd.Load(column + 2 * w), x, y2);
                y3 = TSimd.MultiplyAdd(TSimd.Load(column + 3 * w), x, y3);
            }
            Store(i, y0);
            Store(i + w, y1);
            Store(i + 2 * w, y2);
            Store(i + 3 * w, y3);
        }

        private readonly void Store(int i, TVec value)
        {
            if (YStride == 1)
            {
                TSimd.Store(Y + i, value);
                return;
            }
            T* lanes = stackalloc T[TSimd.Count];
            TSimd.Store(lanes, value);
            for (int r = 0; r < TSimd.Count; r++) Y[(i + r) * YStride] = lanes[r];
        }

        /// <summary>Rows i .. i + 7 as eight independent scalar chains.</summary>
        private readonly void EightRows<TMulAdd>(int i) where TMulAdd : struct, IScalarMultiplyAdd
        {
            T* r0 = M + i * MRowStride;
            nint s = MRowStride;
            T a0 = T.Zero, a1 = T.Zero, a2 = T.Zero, a3 = T.Zero, a4 = T.Zero, a5 = T.Zero, a6 = T.Zero, a7 = T.Zero;
            for (int p = 0; p < K; p++, r0 += MColStride)
            {
                T x = V[p * VStride];
                a0 = TMulAdd.Apply(r0[0], x, a0);
                a1 = TMulAdd.Apply(r0[s], x, a1);
                a2 = TMulAdd.Apply(r0[2 * s], x, a2);
                a3 = TMulAdd.Apply(r0[3 * s], x, a3);
                a4 = TMulAdd.Apply(r0[4 * s], x, a4);
                a5 = TMulAdd.Apply(r0[5 * s], x, a5);
                a6 = TMulAdd.Apply(r0[6 * s], x, a6);
                a7 = TMulAdd.Apply(r0[7 * s], x, a7);
            }
            T* o = Y + i * YStride;
            o[0] = a0; o[YStride] = a1; o[2 * YStride] = a2; o[3 * YStride] = a3;
            o[4 * YStride] = a4; o[5 * YStride] = a5; o[6 * YStride] = a6; o[7 * YStride] = a7;
        }
    }

    private interface IScalarMultiplyAdd
    {
        static abstract T Apply(T a, T b, T c);
    }

    private readonly struct FusedMultiplyAdd : IScalarMultiplyAdd
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Apply(T a, T b, T c)
        {
            if (typeof(T) == typeof(float))
            {
                float r = MathF.FusedMultiplyAdd(Unsafe.As<T, float>(ref a), Unsafe.As<T, float>(ref b), Unsafe.As<T, float>(ref c));
                return Unsafe.As<float, T>(ref r);
            }
            if (typeof(T) == typeof(double))
            {
                double r = Math.FusedMultiplyAdd(Unsafe.As<T, double>(ref a), Unsafe.As<T, double>(ref b), Unsafe.As<T, double>(ref c));
                return Unsafe.As<double, T>(ref r);
            }
            throw new NotSupportedException();
        }
    }

    private readonly struct UnfusedMultiplyAdd : IScalarMultiplyAdd
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Apply(T a, T b, T c) => a * b + c;
    }
}
