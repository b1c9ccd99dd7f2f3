using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// A <see cref="ReduceFloat"/> kernel (norm, variance, log-sum-exp) on float32 and float64 views:
/// "spans" are the rows of a [3, n] tensor at storage offsets 0..3 for every n in 0..257 (the
/// kernel densifies, then runs TensorPrimitives on runs starting at unaligned positions); the
/// strided checks use the reduction cases of <see cref="Runs.Cases"/>. The bound is absolute,
/// given the run (as doubles) and the dtype's eps.
/// </summary>
internal sealed class FloatReduceRow(string name, Func<Tensor, bool[], int[], Tensor> kernel, Func<double[], double> real, Func<double[], double, double> bound)
    : KernelRow(name, typeof(ReduceFloat))
{
    public override void Spans(Tracker t)
    {
        Run<float>(t);
        Run<double>(t);
    }

    private void Run<T>(Tracker t) where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T>
    {
        var ordinary = new Pool<T>(Values.FloatOrdinary<T>(-10, 10, 1), []);
        var special = new Pool<T>(ordinary.Ordinary, KernelTable.ReduceSpecials<T>());
        for (int n = 0; n <= Harness.MaxLength; n++)
            foreach (int o in Harness.Offsets)
                Case<T>(t, View.Contiguous(o, 3, n), [false, true], o == 3 ? special : ordinary, $"n={n} @{o}");
        foreach (var s in special.Specials)
            foreach (var r in special.Specials)
            {
                T[] pair = [s, r, T.One];
                var view = View.Contiguous(0, 3);
                t.Where = $"{typeof(T).Name} [{Values.Show(s)}, {Values.Show(r)}, 1]";
                Compare(t, kernel(view.Over(pair), [true], []).ContiguousData<T>()[0], pair, 0);
            }
    }

    private void Case<T>(Tracker t, View view, bool[] mask, Pool<T> pool, string where) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var storage = Values.Fill(pool, view.StorageLength, view.Offset);
        var (outSizes, positions) = Runs.Of(view, mask);
        t.Where = $"{typeof(T).Name} {where} x{view}";
        var result = kernel(view.Over(storage), mask, outSizes).ContiguousData<T>();
        for (int k = 0; k < positions.Length; k++) Compare(t, result[k], positions[k].Select(p => storage[p]).ToArray(), k);
    }

    private void Compare<T>(Tracker t, T got, T[] run, int index) where T : IFloatingPointIeee754<T>
    {
        var xs = run.Select(v => double.CreateTruncating(v)).ToArray();
        double want = double.CreateTruncating(T.CreateTruncating(real(xs)));
        t.Within(got, want, bound(xs, Ulp.Eps<T>()), "vs reference", index);
    }

    public override void Strided(Tracker t)
    {
        foreach (int n in Runs.StridedLengths)
            foreach (var (view, mask) in Runs.Cases(n))
            {
                Case<float>(t, view, mask, new(Values.FloatOrdinary<float>(-10, 10, 1), KernelTable.ReduceSpecials<float>()), "strided");
                Case<double>(t, view, mask, new(Values.FloatOrdinary<double>(-10, 10, 1), KernelTable.ReduceSpecials<double>()), "strided");
            }
    }
}

/// <summary>
/// <see cref="ArgReduce.Run"/> (max/min with indices) on every dtype: the first NaN wins, else the
/// first occurrence of the extreme (so -0 and +0 tie and the first is kept), as PyTorch. Exact:
/// the index, and the value's bits (it is copied from the input).
/// </summary>
internal sealed class ArgReduceRow(bool max) : KernelRow(max ? "ArgReduce.Max" : "ArgReduce.Min", typeof(ArgReduce))
{
    public override void Spans(Tracker t)
    {
        for (int n = 1; n <= Harness.MaxLength; n++)
            foreach (int o in Harness.Offsets)
                AllTypes(t, View.Contiguous(o, 3, n), [false, true], o == 3, $"n={n} @{o}");
    }

    public override void Strided(Tracker t)
    {
        foreach (int n in Runs.StridedLengths)
            if (n > 0)
                foreach (var (view, mask) in Runs.Cases(n)) AllTypes(t, view, mask, true, "strided");
    }

    private void AllTypes(Tracker t, View view, bool[] mask, bool specials, string where)
    {
        Case(t, view, mask, specials ? Values.Float<float>(-3, 3) : new(Values.FloatOrdinary<float>(-3, 3, 1), []), where);
        Case(t, view, mask, specials ? Values.Float<double>(-3, 3) : new(Values.FloatOrdinary<double>(-3, 3, 1), []), where);
        Case(t, view, mask, Values.Integer<long>(), where);
        Case(t, view, mask, Values.Integer<int>(), where);
        Case(t, view, mask, Values.Bool(), where);
    }

    private void Case<T>(Tracker t, View view, bool[] mask, Pool<T> pool, string where) where T : unmanaged
    {
        var storage = Values.Fill(pool, view.StorageLength, view.Offset);
        var (outSizes, positions) = Runs.Of(view, mask);
        t.Where = $"{typeof(T).Name} {where} x{view}";
        var (values, indices) = ArgReduce.Run(view.Over(storage), mask, outSizes, max);
        var v = values.ContiguousData<T>();
        var idx = indices.ContiguousData<long>();
        for (int k = 0; k < positions.Length; k++)
        {
            var run = positions[k].Select(p => storage[p]).ToArray();
            int want = Reference(run);
            t.Ulps(idx[k], (long)want, 0, false, "index vs reference", k, k);
            t.True(Ulp.SameBits<T>(v.AsSpan(k, 1), storage.AsSpan(positions[k][want], 1)), $"value bits at output {k}");
        }
    }

    private int Reference<T>(T[] run)
    {
        for (int i = 0; i < run.Length; i++) if (run[i] is float f && float.IsNaN(f) || run[i] is double d && double.IsNaN(d)) return i;
        int best = 0;
        for (int i = 1; i < run.Length; i++)
        {
            int c = Comparer<T>.Default.Compare(run[i], run[best]);
            if (max ? c > 0 : c < 0) best = i;
        }
        return best;
    }
}

internal static partial class KernelTable
{
    internal static FloatReduceRow NormRow(double p) => new(
        $"ReduceFloat.Norm(p={p})",
        (x, mask, sizes) => ReduceFloat.Norm(x, mask, sizes, p),
        xs => Norm(xs, p),
        (xs, eps) => double.IsInfinity(p) || p == 0 ? 0 : (2 * xs.Length + 8) * eps * Norm(xs, p));

    internal static FloatReduceRow VarRow(double correction, bool sqrt) => new(
        $"ReduceFloat.Var(correction={correction}, sqrt={sqrt})",
        (x, mask, sizes) => ReduceFloat.Var(x, mask, sizes, correction, sqrt),
        xs => Variance(xs, correction, sqrt),
        (xs, eps) => (4 * xs.Length + 8) * eps * Math.Abs(Variance(xs, correction, sqrt)));

    internal static FloatReduceRow LogSumExpRow() => new(
        "ReduceFloat.LogSumExp",
        ReduceFloat.LogSumExp,
        LogSumExp,
        (xs, eps) => (xs.Length + 8) * eps * (1 + Math.Abs(LogSumExp(xs))));

    /// <summary>The p-norm; 0 when empty; p = 0 counts nonzeros (NaN included); otherwise NaN propagates.</summary>
    private static double Norm(double[] x, double p)
    {
        if (x.Length == 0) return 0;
        if (p == 0) return x.Count(v => v != 0);
        if (x.Any(double.IsNaN)) return double.NaN;
        var a = x.Select(Math.Abs).ToArray();
        if (double.IsPositiveInfinity(p)) return a.Max();
        if (double.IsNegativeInfinity(p)) return a.Min();
        if (p == 1) return Sum(a);
        if (p == 2) return Math.Sqrt(Sum(a.Select(v => v * v).ToArray()));
        return Math.Pow(Sum(a.Select(v => Math.Pow(v, p)).ToArray()), 1 / p);
    }

    private static double Variance(double[] x, double correction, bool sqrt)
    {
        double mean = Sum(x) / x.Length;
        double v = Sum(x.Select(e => (e - mean) * (e - mean)).ToArray()) / Math.Max(0, x.Length - correction);
        return sqrt ? Math.Sqrt(v) : v;
    }

    /// <summary>m + log(sum exp(x - m)) with m the max, 0 when infinite (PyTorch); -inf when empty; NaN propagates.</summary>
    private static double LogSumExp(double[] x)
    {
        if (x.Length == 0) return double.NegativeInfinity;
        if (x.Any(double.IsNaN)) return double.NaN;
        double m = x.Max();
        if (double.IsInfinity(m)) m = 0;
        return m + Math.Log(Sum(x.Select(v => Math.Exp(v - m)).ToArray()));
    }
}
