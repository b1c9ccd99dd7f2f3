using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SharpGrad.Kernels;

/// <summary>
/// Note [Sum cascade]: float sums add in the order of PyTorch's CPU sum kernel (on AVX2), so results
/// equal PyTorch's bit for bit, and long sums keep a cascade's accuracy (error growing with log n,
/// not n). A cascade over n terms has four accumulator levels, all starting at +0: terms are added
/// into level 0, and after every 2^p terms (p = max(4, ceil(log2 n) / 4)) each level is added into
/// the next one up and cleared, the carry stopping at the first level whose count of 2^p is not
/// complete; at the end the level is ((l0 + l1) + l2) + l3. Kernels run four cascades at once,
/// either over four neighbouring vectors (columns) of the same rows, or interleaved over one
/// sequence (terms k, k + 4, ...; the last n mod 4 terms are then added to the first cascade, and
/// the four summed in order): independent chains, which is also what makes them fast. Vectors are
/// <see cref="Vector256{T}"/> (8 floats, 4 doubles) whatever the hardware: PyTorch's AVX2 width
/// fixes which elements share a vector (without AVX they are emulated: slower, same values).
/// <para>Note [Inner sum order]: one contiguous run (a full sum, a sum over trailing dims) is read as
/// n / v vectors in four interleaved cascades; then a scalar accumulator from +0 adds the n mod v
/// tail elements and then the v lanes in order. A run shorter than one vector takes four
/// interleaved scalar cascades. Integer sums are exact in any order and use these kernels only
/// where convenient (Note [Outer reduction]).</para>
/// </summary>
internal static class ReduceCascade
{
    /// <summary>Four cascade results.</summary>
    internal struct Four<TV>
    {
        public TV A0, A1, A2, A3;
    }

    /// <summary>ceil(log2(x)), and 1 for x &lt;= 2 (PyTorch's CeilLog2 in its sum kernel).</summary>
    internal static int CeilLog2(int x) => x <= 2 ? 1 : 32 - BitOperations.LeadingZeroCount((uint)(x - 1));

    /// <summary>The cascade step exponent p for <paramref name="count"/> terms.</summary>
    private static int Power(int count) => Math.Max(4, CeilLog2(count) / 4);

    /// <summary>
    /// Four vector cascades: cascade k over the vectors at <c>k * lane + i * row</c> (elements from
    /// <paramref name="p"/>), i &lt; <paramref name="count"/>; each folded to one vector.
    /// </summary>
    public static Four<Vector256<T>> Vectors<T>(ref T p, int count, nuint row, nuint lane) where T : struct, INumber<T>
    {
        int power = Power(count);
        // With no complete level the upper levels stay +0, and adding +0 to an accumulator that
        // started at +0 changes nothing (it is never -0), so only level 0 is kept.
        if (count >= 1 << power) return Cascaded(ref p, count, row, lane, power);
        Vector256<T> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int i = 0; i < count; i++)
        {
            nuint at = (nuint)i * row;
            a0 += Vector256.LoadUnsafe(ref p, at);
            a1 += Vector256.LoadUnsafe(ref p, at + lane);
            a2 += Vector256.LoadUnsafe(ref p, at + 2 * lane);
            a3 += Vector256.LoadUnsafe(ref p, at + 3 * lane);
        }
        return new Four<Vector256<T>> { A0 = a0, A1 = a1, A2 = a2, A3 = a3 };
    }

    private static Four<Vector256<T>> Cascaded<T>(ref T p, int count, nuint row, nuint lane, int power) where T : struct, INumber<T>
    {
        int step = 1 << power, mask = step - 1;
        // Level l of cascade k: a (0), b (1), c (2), d (3).
        Vector256<T> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector256<T> b0 = default, b1 = default, b2 = default, b3 = default;
        Vector256<T> c0 = default, c1 = default, c2 = default, c3 = default;
        Vector256<T> d0 = default, d1 = default, d2 = default, d3 = default;
        int i = 0;
        for (; i + step <= count;)
        {
            for (int j = 0; j < step; j++, i++)
            {
                nuint at = (nuint)i * row;
                a0 += Vector256.LoadUnsafe(ref p, at);
                a1 += Vector256.LoadUnsafe(ref p, at + lane);
                a2 += Vector256.LoadUnsafe(ref p, at + 2 * lane);
                a3 += Vector256.LoadUnsafe(ref p, at + 3 * lane);
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
        for (; i < count; i++)
        {
            nuint at = (nuint)i * row;
            a0 += Vector256.LoadUnsafe(ref p, at);
            a1 += Vector256.LoadUnsafe(ref p, at + lane);
            a2 += Vector256.LoadUnsafe(ref p, at + 2 * lane);
            a3 += Vector256.LoadUnsafe(ref p, at + 3 * lane);
        }
        return new Four<Vector256<T>> { A0 = a0 + b0 + c0 + d0, A1 = a1 + b1 + c1 + d1, A2 = a2 + b2 + c2 + d2, A3 = a3 + b3 + c3 + d3 };
    }

    /// <summary>
    /// Four scalar cascades: cascade k over <c>p[k * lane + i * row]</c>, i &lt; <paramref name="count"/>;
    /// each folded to one value (the scalar twin of <see cref="Vectors{T}"/>).
    /// </summary>
    public static Four<T> Scalars<T>(ref T p, int count, nuint row, nuint lane) where T : struct, INumber<T>
    {
        int power = Power(count), step = 1 << power, mask = step - 1;
        T a0 = T.Zero, a1 = T.Zero, a2 = T.Zero, a3 = T.Zero;
        T b0 = T.Zero, b1 = T.Zero, b2 = T.Zero, b3 = T.Zero;
        T c0 = T.Zero, c1 = T.Zero, c2 = T.Zero, c3 = T.Zero;
        T d0 = T.Zero, d1 = T.Zero, d2 = T.Zero, d3 = T.Zero;
        int i = 0;
        for (; i + step <= count;)
        {
            for (int j = 0; j < step; j++, i++)
            {
                ref T at = ref Unsafe.Add(ref p, (nuint)i * row);
                a0 += at;
                a1 += Unsafe.Add(ref at, lane);
                a2 += Unsafe.Add(ref at, 2 * lane);
                a3 += Unsafe.Add(ref at, 3 * lane);
            }
            b0 += a0; b1 += a1; b2 += a2; b3 += a3;
            a0 = a1 = a2 = a3 = T.Zero;
            if ((i & (mask << power)) != 0) continue;
            c0 += b0; c1 += b1; c2 += b2; c3 += b3;
            b0 = b1 = b2 = b3 = T.Zero;
            if ((i & (mask << (2 * power))) != 0) continue;
            d0 += c0; d1 += c1; d2 += c2; d3 += c3;
            c0 = c1 = c2 = c3 = T.Zero;
        }
        for (; i < count; i++)
        {
            ref T at = ref Unsafe.Add(ref p, (nuint)i * row);
            a0 += at;
            a1 += Unsafe.Add(ref at, lane);
            a2 += Unsafe.Add(ref at, 2 * lane);
            a3 += Unsafe.Add(ref at, 3 * lane);
        }
        return new Four<T> { A0 = a0 + b0 + c0 + d0, A1 = a1 + b1 + c1 + d1, A2 = a2 + b2 + c2 + d2, A3 = a3 + b3 + c3 + d3 };
    }

    /// <summary>
    /// <paramref name="acc0"/> = the cascade over the rows <c>x[i * row ..][..w]</c> (w = acc0's
    /// length), i &lt; <paramref name="count"/>, one whole row added at a time: the same order per
    /// column as <see cref="Vectors{T}"/>, reading rows in memory order (better for long rows than
    /// a few columns at a time down a large stride). <paramref name="levels"/> holds 3 w elements;
    /// acc0 and the levels are cleared here.
    /// </summary>
    public static void Rows<T>(ReadOnlySpan<T> x, int count, int row, Span<T> acc0, Span<T> levels) where T : unmanaged, INumber<T>
    {
        int w = acc0.Length, power = Power(count), step = 1 << power, mask = step - 1;
        acc0.Clear();
        levels.Clear();
        Span<T> acc1 = levels[..w], acc2 = levels.Slice(w, w), acc3 = levels.Slice(2 * w, w);
        int i = 0;
        for (; i + step <= count;)
        {
            for (int j = 0; j < step; j++, i++) TensorPrimitives.Add(acc0, x.Slice(i * row, w), acc0);
            TensorPrimitives.Add(acc1, acc0, acc1);
            acc0.Clear();
            if ((i & (mask << power)) != 0) continue;
            TensorPrimitives.Add(acc2, acc1, acc2);
            acc1.Clear();
            if ((i & (mask << (2 * power))) != 0) continue;
            TensorPrimitives.Add(acc3, acc2, acc3);
            acc2.Clear();
        }
        for (; i < count; i++) TensorPrimitives.Add(acc0, x.Slice(i * row, w), acc0);
        TensorPrimitives.Add(acc0, acc1, acc0);
        TensorPrimitives.Add(acc0, acc2, acc0);
        TensorPrimitives.Add(acc0, acc3, acc0);
    }

    /// <summary>The sum of the <paramref name="rows"/> vectors at <c>i * stride</c> in four interleaved cascades (Note [Sum cascade]).</summary>
    public static Vector256<T> InterleavedVectors<T>(ref T p, int rows, nuint stride) where T : struct, INumber<T>
    {
        int quarter = rows / 4;
        var four = Vectors(ref p, quarter, 4 * stride, stride);
        var a0 = four.A0;
        for (int r = 4 * quarter; r < rows; r++) a0 += Vector256.LoadUnsafe(ref p, (nuint)r * stride);
        return a0 + four.A1 + four.A2 + four.A3;
    }

    /// <summary>The sum of the <paramref name="rows"/> elements at <c>i * stride</c> in four interleaved cascades (Note [Sum cascade]).</summary>
    public static T InterleavedScalars<T>(ref T p, int rows, nuint stride) where T : struct, INumber<T>
    {
        int quarter = rows / 4;
        var four = Scalars(ref p, quarter, 4 * stride, stride);
        T p0 = four.A0;
        for (int r = 4 * quarter; r < rows; r++) p0 += Unsafe.Add(ref p, (nuint)r * stride);
        return p0 + four.A1 + four.A2 + four.A3;
    }

    /// <summary>The sum of <paramref name="x"/> in the order of Note [Inner sum order]; +0 when empty.</summary>
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, INumber<T>
    {
        ref T p = ref MemoryMarshal.GetReference(x);
        nuint v = (nuint)Vector256<T>.Count;
        int n = x.Length;
        if (n < (int)v) return InterleavedScalars(ref p, n, 1);
        int vectors = n / (int)v;
        Vector256<T> lanes;
        if (vectors / 4 < 1 << Power(vectors / 4))
        {
            // InterleavedVectors without a complete level (most runs), inline: only level 0 counts.
            Vector256<T> a0 = default, a1 = default, a2 = default, a3 = default;
            int quarter = vectors / 4;
            for (int i = 0; i < quarter; i++)
            {
                nuint at = (nuint)i * 4 * v;
                a0 += Vector256.LoadUnsafe(ref p, at);
                a1 += Vector256.LoadUnsafe(ref p, at + v);
                a2 += Vector256.LoadUnsafe(ref p, at + 2 * v);
                a3 += Vector256.LoadUnsafe(ref p, at + 3 * v);
            }
            for (int r = 4 * quarter; r < vectors; r++) a0 += Vector256.LoadUnsafe(ref p, (nuint)r * v);
            lanes = a0 + a1 + a2 + a3;
        }
        else lanes = InterleavedVectors(ref p, vectors, v);
        T acc = T.Zero;
        for (int i = vectors * (int)v; i < n; i++) acc += Unsafe.Add(ref p, i);
        ref T lane = ref Unsafe.As<Vector256<T>, T>(ref lanes);
        for (int k = 0; k < (int)v; k++) acc += Unsafe.Add(ref lane, k);
        return acc;
    }
}
