using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SharpGrad.Kernels;

/// <summary>
/// Note [Inner sum order]: the sum of one contiguous run of floats or doubles (a full sum, or a
/// sum over trailing dims) adds in PyTorch's order (its CPU sum kernel on AVX2), so results equal
/// PyTorch's bit for bit, and a long sum keeps the accuracy of a cascade (error growing with log n,
/// not n). The run is read as n / v vectors of v = 32 bytes (8 floats, 4 doubles): four interleaved
/// cascades (vectors k, k + 4, ...) as in Note [Outer reduction], the last (n / v) mod 4 vectors
/// added to the first, then the four added in order; then a scalar accumulator from +0 adds the
/// n mod v tail elements and then the v lanes in order. A run shorter than one vector takes four
/// interleaved scalar cascades the same way. The four cascades are independent chains, which is
/// also what makes this faster than one accumulator. Vectors are <see cref="Vector256{T}"/>
/// whatever the hardware (emulated without AVX: slower, same values).
/// </summary>
internal static class ReduceCascade
{
    /// <summary>The sum of <paramref name="x"/> in the order of Note [Inner sum order]; +0 when empty.</summary>
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int vector = Vector256<T>.Count, n = x.Length;
        if (n < vector) return ScalarRows(x);
        int vectors = n / vector;
        var lanes = VectorRows(x, vectors);
        T acc = T.Zero;
        for (int i = vectors * vector; i < n; i++) acc += x[i];
        Span<T> lane = stackalloc T[Vector256<T>.Count];
        lanes.CopyTo(lane);
        foreach (T value in lane) acc += value;
        return acc;
    }

    /// <summary>The four interleaved cascades over the first <paramref name="vectors"/> vectors of <paramref name="x"/>, lane by lane.</summary>
    private static Vector256<T> VectorRows<T>(ReadOnlySpan<T> x, int vectors) where T : struct, IFloatingPointIeee754<T>
    {
        ref T p = ref MemoryMarshal.GetReference(x);
        nuint v = (nuint)Vector256<T>.Count;
        int quarter = vectors / 4, power = Math.Max(4, CeilLog2(quarter) / 4);
        // With no complete level the upper levels stay +0, and adding +0 to an accumulator that
        // started at +0 changes nothing, so only level 0 is kept.
        if (quarter >= 1 << power) return Cascades(ref p, vectors, quarter, power);
        Vector256<T> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int i = 0; i < quarter; i++)
        {
            nuint at = (nuint)i * 4 * v;
            a0 += Vector256.LoadUnsafe(ref p, at);
            a1 += Vector256.LoadUnsafe(ref p, at + v);
            a2 += Vector256.LoadUnsafe(ref p, at + 2 * v);
            a3 += Vector256.LoadUnsafe(ref p, at + 3 * v);
        }
        for (int r = 4 * quarter; r < vectors; r++) a0 += Vector256.LoadUnsafe(ref p, (nuint)r * v);
        return a0 + a1 + a2 + a3;
    }

    /// <summary><see cref="VectorRows{T}"/> with complete levels: the four cascades over <paramref name="quarter"/> groups of four vectors.</summary>
    private static Vector256<T> Cascades<T>(ref T p, int vectors, int quarter, int power) where T : struct, IFloatingPointIeee754<T>
    {
        nuint v = (nuint)Vector256<T>.Count;
        int step = 1 << power, mask = step - 1;
        // Level l of cascade k: a (0), b (1), c (2), d (3).
        Vector256<T> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector256<T> b0 = default, b1 = default, b2 = default, b3 = default;
        Vector256<T> c0 = default, c1 = default, c2 = default, c3 = default;
        Vector256<T> d0 = default, d1 = default, d2 = default, d3 = default;
        int i = 0;
        for (; i + step <= quarter;)
        {
            for (int j = 0; j < step; j++, i++)
            {
                nuint at = (nuint)i * 4 * v;
                a0 += Vector256.LoadUnsafe(ref p, at);
                a1 += Vector256.LoadUnsafe(ref p, at + v);
                a2 += Vector256.LoadUnsafe(ref p, at + 2 * v);
                a3 += Vector256.LoadUnsafe(ref p, at + 3 * v);
            }
            b0 += a0; b1 += a1; b2 += a2; b3 += a3;
            a0 = a1 = a2 = a3 = default;
            if ((i & (mask << power)) != 0) continue;
            c0 += b0; c1 += b1; c2 += b2; c3 += b3;
            b0 = b1 = b2 = b3 = default;
            if ((i & (mask << (2 * power))) != 0) continue;
            d0 += c0; d1 += c1; d2 += c2; d3 += c3;
            c0 = c1 = c2 = c3 = default;
        }
        for (; i < quarter; i++)
        {
            nuint at = (nuint)i * 4 * v;
            a0 += Vector256.LoadUnsafe(ref p, at);
            a1 += Vector256.LoadUnsafe(ref p, at + v);
            a2 += Vector256.LoadUnsafe(ref p, at + 2 * v);
            a3 += Vector256.LoadUnsafe(ref p, at + 3 * v);
        }
        a0 = a0 + b0 + c0 + d0;
        a1 = a1 + b1 + c1 + d1;
        a2 = a2 + b2 + c2 + d2;
        a3 = a3 + b3 + c3 + d3;
        for (int r = 4 * quarter; r < vectors; r++) a0 += Vector256.LoadUnsafe(ref p, (nuint)r * v);
        return a0 + a1 + a2 + a3;
    }

    /// <summary>The four interleaved scalar cascades over all of <paramref name="x"/> (elements k, k + 4, ...), then the tail and the four added in order.</summary>
    private static T ScalarRows<T>(ReadOnlySpan<T> x) where T : struct, IFloatingPointIeee754<T>
    {
        int n = x.Length, quarter = n / 4;
        T p0 = ScalarCascade(x, 0, quarter), p1 = ScalarCascade(x, 1, quarter);
        T p2 = ScalarCascade(x, 2, quarter), p3 = ScalarCascade(x, 3, quarter);
        for (int i = 4 * quarter; i < n; i++) p0 += x[i];
        return p0 + p1 + p2 + p3;
    }

    /// <summary>The cascade of Note [Outer reduction] over x[first + 4 i], i &lt; <paramref name="count"/>.</summary>
    private static T ScalarCascade<T>(ReadOnlySpan<T> x, int first, int count) where T : struct, IFloatingPointIeee754<T>
    {
        int power = Math.Max(4, CeilLog2(count) / 4), step = 1 << power, mask = step - 1;
        T a = T.Zero, b = T.Zero, c = T.Zero, d = T.Zero;
        int i = 0;
        for (; i + step <= count;)
        {
            for (int j = 0; j < step; j++, i++) a += x[first + 4 * i];
            b += a;
            a = T.Zero;
            if ((i & (mask << power)) != 0) continue;
            c += b;
            b = T.Zero;
            if ((i & (mask << (2 * power))) != 0) continue;
            d += c;
            c = T.Zero;
        }
        for (; i < count; i++) a += x[first + 4 * i];
        return a + b + c + d;
    }

    /// <summary>ceil(log2(x)), and 1 for x &lt;= 2 (PyTorch's CeilLog2 in its sum kernel).</summary>
    internal static int CeilLog2(int x) => x <= 2 ? 1 : 32 - BitOperations.LeadingZeroCount((uint)(x - 1));

    /// <summary><see cref="Sum{T}"/> for a span whose element type is float or double (checked by the caller).</summary>
    public static T SumFloating<T>(ReadOnlySpan<T> x)
    {
        ref T first = ref MemoryMarshal.GetReference(x);
        if (typeof(T) == typeof(float))
        {
            float s = Sum(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, float>(ref first), x.Length));
            return Unsafe.As<float, T>(ref s);
        }
        double d = Sum(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, double>(ref first), x.Length));
        return Unsafe.As<double, T>(ref d);
    }
}
