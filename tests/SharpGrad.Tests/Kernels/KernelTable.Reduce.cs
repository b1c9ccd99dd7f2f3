using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad.Tests.Kernels;

internal static partial class KernelTable
{
    // Reductions. Sums and products are reordered by SIMD, so their tolerance is the classical
    // error bound rather than ulps: |sum - exact| <= 2 n eps sum|x|, |prod - exact| <= 2 n eps |prod|
    // (plus the final rounding); max/min are exact. References accumulate in double (Neumaier
    // compensated sums). PyTorch semantics: NaN propagates, inf + -inf = NaN, the sum of -0s is +0
    // (the accumulator starts at +0), a product's zero has the sign of the product, an empty sum is
    // 0 and an empty product 1; the sign of max(-0, +0) is unspecified.
    private static IEnumerable<KernelRow> ReduceRows() =>
    [
        new ReduceRow<SumReduce>(Sum, (x, eps) => 2 * x.Length * eps * x.Sum(Math.Abs), xs => xs.Aggregate(0L, (s, v) => unchecked(s + v)), signedZero: true, minLength: 0),
        new ReduceRow<ProdReduce>(Prod, (x, eps) => 2 * x.Length * eps * Math.Abs(Prod(x)), xs => xs.Aggregate(1L, (s, v) => unchecked(s * v)), signedZero: true, minLength: 0, lo: 0.8, hi: 1.25, wide: false),
        new ReduceRow<MaxReduce>(x => x.Any(double.IsNaN) ? double.NaN : x.Max(), (_, _) => 0, xs => xs.Max(), signedZero: false, minLength: 1),
        new ReduceRow<MinReduce>(x => x.Any(double.IsNaN) ? double.NaN : x.Min(), (_, _) => 0, xs => xs.Min(), signedZero: false, minLength: 1),
        // Vector norms: relative bound (2n + 8) eps (every term is non-negative); p = ±inf and 0 exact.
        // An empty norm is 0; NaN propagates except for p = 0, which counts NaN as nonzero (torch).
        NormRow(2), NormRow(1), NormRow(double.PositiveInfinity), NormRow(double.NegativeInfinity),
        NormRow(0), NormRow(3), NormRow(0.5),
        // Variance accumulates in double: float32 results are within an ulp, float64 within the
        // summation bound. n - correction <= 0 divides by 0 (NaN or inf, as torch).
        VarRow(0, sqrt: false), VarRow(1, sqrt: false), VarRow(1, sqrt: true),
        LogSumExpRow(),
        new ArgReduceRow(max: true), new ArgReduceRow(max: false),
    ];

    /// <summary>Special values for reductions: no MaxValue or subnormals, whose overflow/underflow would depend on the summation order.</summary>
    internal static T[] ReduceSpecials<T>() where T : IFloatingPointIeee754<T> =>
        [T.NaN, T.PositiveInfinity, T.NegativeInfinity, T.NegativeZero, T.Zero, T.One, -T.One, T.CreateTruncating(0.5), T.CreateTruncating(-2.5)];

    /// <summary>The sum of doubles, compensated (Neumaier), with IEEE special values and overflow; +0 for no terms or only -0s.</summary>
    internal static double Sum(double[] x)
    {
        if (x.Any(double.IsNaN) || (x.Contains(double.PositiveInfinity) && x.Contains(double.NegativeInfinity))) return double.NaN;
        if (x.Contains(double.PositiveInfinity)) return double.PositiveInfinity;
        if (x.Contains(double.NegativeInfinity)) return double.NegativeInfinity;
        double sum = 0, c = 0;
        foreach (double v in x)
        {
            double s = sum + v;
            c += Math.Abs(sum) >= Math.Abs(v) ? sum - s + v : v - s + sum;
            sum = s;
        }
        return double.IsInfinity(sum) ? sum : sum + c;
    }

    private static double Prod(double[] x) => x.Aggregate(1.0, (p, v) => p * v);
}

/// <summary>The runs of a reduction of a view over some dims: output sizes and, per output element, the storage positions of its run in order.</summary>
internal static class Runs
{
    public static (int[] OutSizes, int[][] Positions) Of(View v, bool[] mask)
    {
        var outer = Enumerable.Range(0, v.Sizes.Length).Where(d => !mask[d]).ToArray();
        var inner = Enumerable.Range(0, v.Sizes.Length).Where(d => mask[d]).ToArray();
        var outSizes = outer.Select(d => v.Sizes[d]).ToArray();
        int outCount = ShapeUtil.Numel(outSizes), run = ShapeUtil.Numel(inner.Select(d => v.Sizes[d]).ToArray());
        var positions = new int[outCount][];
        for (int k = 0; k < outCount; k++)
        {
            int baseOffset = v.Offset + Offset(k, outer, v);
            positions[k] = new int[run];
            for (int r = 0; r < run; r++) positions[k][r] = baseOffset + Offset(r, inner, v);
        }
        return (outSizes, positions);
    }

    private static int Offset(int flat, int[] dims, View v)
    {
        int p = 0;
        for (int i = dims.Length - 1; i >= 0; i--)
        {
            int size = v.Sizes[dims[i]];
            p += flat % size * v.Strides[dims[i]];
            flat /= size;
        }
        return p;
    }

    /// <summary>Reduction cases for the tensor-level checks: a view of the given run length and the reduced dims.</summary>
    public static IEnumerable<(View View, bool[] Mask)> Cases(int n)
    {
        yield return (View.Contiguous(0, 3, n), [false, true]);
        yield return (new View(2, [3, n], [n + 3, 1]), [false, true]);
        yield return (new View(1, [n, 3], [1, n]), [true, false]);
        yield return (View.Contiguous(1, 2, n, 3), [true, false, true]);
        yield return (new View(3, [3, n], [1, 3]), [true, true]);
        yield return (View.Contiguous(2, n), [true]);
    }

    public static readonly int[] StridedLengths = [0, 1, 5, 33, 100, 257];
}

/// <summary>An <see cref="IReduceOp"/> on spans of every dtype, and through <see cref="Reduce.Apply{TOp}"/> on views.</summary>
internal sealed class ReduceRow<TOp>(Func<double[], double> real, Func<double[], double, double> bound, Func<long[], long> integer,
    bool signedZero, int minLength, double lo = -10, double hi = 10, bool wide = true) : KernelRow(typeof(TOp).Name, typeof(TOp)) where TOp : IReduceOp
{
    public override void Spans(Tracker t)
    {
        Floats<float>(t);
        Floats<double>(t);
        Integers<long>(t);
        Integers<int>(t);
    }

    private void Floats<T>(Tracker t) where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T>
    {
        var ordinary = new Pool<T>(Ordinary<T>(), []);
        var special = new Pool<T>(ordinary.Ordinary, KernelTable.ReduceSpecials<T>());
        for (int n = minLength; n <= Harness.MaxLength; n++)
            foreach (int o in Harness.Offsets)
            {
                var x = Values.Fill(o == 3 ? special : ordinary, n + 4, o);
                t.Where = $"{typeof(T).Name} span n={n} @{o}{(o == 3 ? " with specials" : "")}";
                Check(t, TOp.Invoke<T>(x.AsSpan(o, n)), x.AsSpan(o, n));
            }
        // Each special at each early lane and at the end of a 37-element run; every pair; runs of one special.
        foreach (var s in special.Specials)
        {
            foreach (int p in new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 36 })
            {
                var x = Values.Fill(ordinary, 38, p);
                x[1 + p] = s;
                t.Where = $"{typeof(T).Name} {Values.Show(s)} at {p} of 37";
                Check(t, TOp.Invoke<T>(x.AsSpan(1, 37)), x.AsSpan(1, 37));
            }
            foreach (var r in special.Specials)
            {
                T[] pair = [s, r];
                t.Where = $"{typeof(T).Name} pair";
                Check(t, TOp.Invoke<T>(pair), pair);
            }
            var same = Enumerable.Repeat(s, 19).ToArray();
            t.Where = $"{typeof(T).Name} 19 x {Values.Show(s)}";
            Check(t, TOp.Invoke<T>(same), same);
        }
    }

    /// <summary>Ordinary values: with wide magnitudes, or uniform in [lo, hi) only (products must not underflow).</summary>
    private T[] Ordinary<T>() where T : IFloatingPointIeee754<T> => wide ? Values.FloatOrdinary<T>(lo, hi, 1) : Values.Uniform<T>(lo, hi, 1);

    private void Check<T>(Tracker t, T got, ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>
    {
        var xs = new double[x.Length];
        for (int i = 0; i < xs.Length; i++) xs[i] = double.CreateTruncating(x[i]);
        T want = T.CreateTruncating(real(xs));
        double eps = Ulp.Eps<T>();
        t.Within(got, double.CreateTruncating(want), bound(xs, eps), "vs reference", 0);
        if (signedZero && T.IsZero(want) && T.IsZero(got)) t.Ulps(got, want, 0, true, "sign of zero", 0.0, 0);
    }

    private void Integers<T>(Tracker t) where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var pool = Values.Integer<T>();
        for (int n = minLength; n <= Harness.MaxLength; n++)
            foreach (int o in Harness.Offsets)
            {
                var x = Values.Fill(pool, n + 4, o);
                t.Where = $"{typeof(T).Name} span n={n} @{o}";
                T want = T.CreateTruncating(integer(x.Skip(o).Take(n).Select(v => long.CreateTruncating(v)).ToArray()));
                t.Ulps(TOp.Invoke<T>(x.AsSpan(o, n)), want, 0, false, "vs reference", n, 0);
            }
    }

    public override void Strided(Tracker t)
    {
        foreach (int n in Runs.StridedLengths)
        {
            if (n < minLength) continue;
            foreach (var (view, mask) in Runs.Cases(n))
            {
                StridedFloat<float>(t, view, mask);
                StridedFloat<double>(t, view, mask);
                StridedInteger<long>(t, view, mask, Values.Integer<long>());
                StridedInteger<int>(t, view, mask, Values.Integer<int>());
                StridedBool(t, view, mask);
            }
        }
    }

    private void StridedFloat<T>(Tracker t, View view, bool[] mask) where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T>
    {
        var pool = new Pool<T>(Ordinary<T>(), KernelTable.ReduceSpecials<T>());
        var storage = Values.Fill(pool, view.StorageLength, 1);
        var (outSizes, positions) = Runs.Of(view, mask);
        t.Where = $"{typeof(T).Name} Reduce.Apply x{view}";
        var result = Reduce.Apply<TOp>(view.Over(storage), mask, outSizes).ContiguousData<T>();
        for (int k = 0; k < positions.Length; k++) Check(t, result[k], positions[k].Select(p => storage[p]).ToArray());
    }

    private void StridedInteger<T>(Tracker t, View view, bool[] mask, Pool<T> pool) where T : unmanaged, IBinaryInteger<T>
    {
        var storage = Values.Fill(pool, view.StorageLength, 1);
        var (outSizes, positions) = Runs.Of(view, mask);
        t.Where = $"{typeof(T).Name} Reduce.Apply x{view}";
        var result = Reduce.Apply<TOp>(view.Over(storage), mask, outSizes).ContiguousData<T>();
        for (int k = 0; k < positions.Length; k++)
            t.Ulps(result[k], T.CreateTruncating(integer(positions[k].Select(p => long.CreateTruncating(storage[p])).ToArray())), 0, false, "vs reference", k, k);
    }

    /// <summary>Bool reduces as 0/1 int32 and converts back: sum and max are any, prod and min are all.</summary>
    private void StridedBool(Tracker t, View view, bool[] mask)
    {
        var storage = Values.Fill(Values.Bool(), view.StorageLength, 1);
        var (outSizes, positions) = Runs.Of(view, mask);
        t.Where = $"bool Reduce.Apply x{view}";
        var result = Reduce.Apply<TOp>(view.Over(storage), mask, outSizes).ContiguousData<bool>();
        for (int k = 0; k < positions.Length; k++)
            t.Ulps(result[k], integer(positions[k].Select(p => storage[p] ? 1L : 0L).ToArray()) != 0, 0, false, "vs reference", k, k);
    }
}
