using System.Numerics;
using System.Reflection;
using SharpGrad.Kernels;

namespace SharpGrad.Tests.Kernels;

internal static partial class KernelTable
{
    private static IEnumerable<KernelRow> OtherRows() =>
    [
        new SelectRow(),
        new SoftmaxRow(log: false), new SoftmaxRow(log: true),
        new SquaredErrorRow(), new SoftplusRow(), new BinaryCrossEntropyRow(), new NllLossRow(),
        new CopyRow(),
    ];
}

/// <summary><see cref="SelectKernel"/> (torch.where) on every dtype: out = cond ? x : y copies bits exactly (NaN payloads, zero signs).</summary>
internal sealed class SelectRow() : KernelRow("SelectKernel", typeof(SelectKernel))
{
    public override void Spans(Tracker t)
    {
        for (int n = 0; n <= Harness.MaxLength; n++)
            foreach (int o in Harness.Offsets)
                AllTypes(t, View.Contiguous(o, n), View.Contiguous((o + 1) % 4, n), View.Contiguous((o + 2) % 4, n), View.Contiguous((o + 3) % 4, n));
    }

    public override void Strided(Tracker t)
    {
        AllTypes(t, new View(0, [6, 1], [1, 1]), View.Contiguous(1, 35), View.Contiguous(2), View.Contiguous(0, 6, 35));
        AllTypes(t, new View(0, [6, 35], [1, 6]), new View(1, [6, 35], [37, 1]), View.Contiguous(3, 6, 35), new View(0, [6, 35], [1, 6]));
        AllTypes(t, View.Contiguous(1, 2, 3, 17), new View(2, [3, 1], [1, 1]), new View(0, [2, 3, 17], [60, 20, 1]), View.Contiguous(1, 2, 3, 17));
        AllTypes(t, View.Contiguous(0, 0, 4), View.Contiguous(0, 4), View.Contiguous(0, 0, 4), View.Contiguous(0, 0, 4));
    }

    private static void AllTypes(Tracker t, View c, View x, View y, View o)
    {
        Case(t, c, x, y, o, Values.Float<float>(-3, 3));
        Case(t, c, x, y, o, Values.Float<double>(-3, 3));
        Case(t, c, x, y, o, Values.Integer<long>());
        Case(t, c, x, y, o, Values.Integer<int>());
        Case(t, c, x, y, o, Values.Bool(5));
    }

    private static void Case<T>(Tracker t, View cv, View xv, View yv, View ov, Pool<T> pool) where T : unmanaged
    {
        var cs = Values.Fill(Values.Bool(), cv.StorageLength, 1);
        var xs = Values.Fill(pool, xv.StorageLength, 2);
        var ys = Values.Fill(pool, yv.StorageLength, 3);
        var os = Values.Fill(pool, ov.StorageLength, 4);
        var before = (T[])os.Clone();
        t.Where = $"{typeof(T).Name} cond{cv} x{xv} y{yv} out{ov}";
        SelectKernel.Apply(cv.Over(cs), xv.Over(xs), yv.Over(ys), ov.Over(os));
        var op = ov.Positions(ov.Sizes);
        var cp = cv.Positions(ov.Sizes);
        var xp = xv.Positions(ov.Sizes);
        var yp = yv.Positions(ov.Sizes);
        Harness.CheckUntouched(t, os, before, op);
        for (int k = 0; k < op.Length; k++)
        {
            var want = cs[cp[k]] ? xs.AsSpan(xp[k], 1) : ys.AsSpan(yp[k], 1);
            if (!Ulp.SameBits<T>(os.AsSpan(op[k], 1), want)) t.Fail($"element {k}: {t.Where} got {Values.Show(os[op[k]])} want {Values.Show(want[0])}");
        }
    }
}

/// <summary>
/// <see cref="SoftmaxKernel.Forward{T}"/> at every row length 0..257 on (outer, n, inner) = (2, n, 1)
/// (rows are spans) with input and output slices at offsets 0..3, and on (1, n, 3) (gathered
/// columns) at one offset per length. Reference in double (Note [Stable softmax]); a row with +inf or NaN, or only -inf,
/// is NaN everywhere, -inf entries give 0 (log: -inf). Bounds: softmax relative
/// (n + 8 + |x - max|) eps (the rounding of x - max is amplified by exp), log-softmax absolute
/// (n + 8) eps (1 + |x - max| + |result|); plus a few subnormals for underflowing results.
/// </summary>
internal sealed class SoftmaxRow(bool log) : KernelRow(log ? "SoftmaxKernel.LogSoftmax" : "SoftmaxKernel.Softmax", typeof(SoftmaxKernel))
{
    public override bool HasStrided => false;

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
            {
                Case(t, o == 3 ? special : ordinary, n, o, 2, 1);
                if (o == n % 4) Case(t, n % 8 == 3 ? special : ordinary, n, o, 1, 3); // the gathered layout at one rotating offset per length
            }
        // Rows made only of specials (every pair, padded with a 1).
        foreach (var s in special.Specials)
            foreach (var r in special.Specials)
            {
                T[] x = [s, r, T.One];
                var d = new T[3];
                t.Where = $"{typeof(T).Name} [{Values.Show(s)}, {Values.Show(r)}, 1]";
                SoftmaxKernel.Forward<T>(x, d, 1, 3, 1, log);
                var xs = x.Select(v => double.CreateTruncating(v)).ToArray();
                var want = Reference(xs);
                for (int i = 0; i < 3; i++) Check<T>(t, d[i], want[i], xs[i], xs.Max(), 3, i);
            }
    }

    private void Case<T>(Tracker t, Pool<T> pool, int n, int o, int outer, int inner) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int total = outer * n * inner, od = (o + 2) % 4;
        var x = Values.Fill(pool, total + 4, o + n);
        var d = Values.Fill(pool, total + 4, 7);
        var before = (T[])d.Clone();
        t.Where = $"{typeof(T).Name} n={n} outer={outer} inner={inner} x@{o} out@{od}";
        SoftmaxKernel.Forward<T>(x.AsSpan(o, total), d.AsSpan(od, total), outer, n, inner, log);
        Harness.CheckUntouched(t, d, before, Enumerable.Range(od, total).ToArray());
        for (int a = 0; a < outer; a++)
            for (int c = 0; c < inner; c++)
            {
                var index = Enumerable.Range(0, n).Select(k => (a * n + k) * inner + c).ToArray();
                var row = index.Select(i => double.CreateTruncating(x[o + i])).ToArray();
                var want = Reference(row);
                double max = n == 0 ? 0 : row.Max();
                for (int k = 0; k < n; k++) Check<T>(t, d[od + index[k]], want[k], row[k], max, n, k);
            }
    }

    private void Check<T>(Tracker t, T got, double want, double x, double max, int n, int index) where T : IFloatingPointIeee754<T>
    {
        double eps = Ulp.Eps<T>(), tiny = 4 * double.CreateTruncating(T.Epsilon);
        double spread = double.IsFinite(x - max) ? Math.Abs(x - max) : 0;
        want = double.CreateTruncating(T.CreateTruncating(want));
        double bound = log
            ? (n + 8) * eps * (1 + spread + Math.Abs(want))
            : (n + 8 + spread) * eps * Math.Abs(want) + tiny;
        t.Within(got, want, bound, "vs reference", index);
    }

    private double[] Reference(double[] x)
    {
        if (x.Length == 0) return [];
        double m = x.Any(double.IsNaN) ? double.NaN : x.Max();
        var shifted = x.Select(v => v - m).ToArray();
        double sum = KernelTable.Sum(shifted.Select(Math.Exp).ToArray());
        return log ? shifted.Select(v => v - Math.Log(sum)).ToArray() : shifted.Select(v => Math.Exp(v) / sum).ToArray();
    }
}

/// <summary><see cref="LossKernels.SquaredError{T}"/> as a binary span kernel: (x - t)^2, two roundings in float32 (2 ulps), exact in float64.</summary>
internal sealed class SquaredErrorRow() : KernelRow("LossKernels.SquaredError", typeof(LossKernels))
{
    public override bool HasStrided => false;

    public override void Spans(Tracker t)
    {
        Harness.BinarySpans(t, Kernel.Binary<float, float, Adapter<float>>(), Values.Float<float>(-10, 10), Values.Float<float>(-10, 10, 2), Values.Float<float>(-1, 1, 9), Check<float>(2));
        Harness.BinarySpans(t, Kernel.Binary<double, double, Adapter<double>>(), Values.Float<double>(-10, 10), Values.Float<double>(-10, 10, 2), Values.Float<double>(-1, 1, 9), Check<double>(0));
    }

    private static BinaryCheck<T, T> Check<T>(int ulps) where T : IFloatingPointIeee754<T> => (t, a, b, got, scalar, i) =>
    {
        double d = double.CreateTruncating(a) - double.CreateTruncating(b);
        t.Ulps(got, T.CreateTruncating(d * d), ulps, true, "vs reference", a, b, i);
        t.Ulps(got, scalar, 0, true, "vs one-element call", a, b, i);
    };

    /// <summary>Adapts the kernel to the harness; the scalar forms broadcast the scalar into a span.</summary>
    private readonly struct Adapter<T> : IBinaryKernel<T, T> where T : IFloatingPointIeee754<T>
    {
        public static T Scalar(T a, T b)
        {
            Span<T> d = [T.Zero];
            LossKernels.SquaredError<T>([a], [b], d);
            return d[0];
        }

        public static void Span(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => LossKernels.SquaredError(a, b, d);

        public static void SpanScalar(ReadOnlySpan<T> a, T b, Span<T> d) => LossKernels.SquaredError(a, Enumerable.Repeat(b, a.Length).ToArray(), d);

        public static void ScalarSpan(T a, ReadOnlySpan<T> b, Span<T> d) => LossKernels.SquaredError(Enumerable.Repeat(a, b.Length).ToArray(), b, d);
    }
}

/// <summary>
/// <see cref="LossKernels.SoftplusOfNegated{T}"/>: log(exp(-m) + exp(-x - m)) + m, m = max(-x, 0), in
/// the input's dtype as PyTorch computes it (so -inf gives NaN, as torch's BCE-with-logits). Against
/// that formula in double, absolute bound 4 eps (1 + |result|): tiny results (large x) lose their
/// relative precision in 1 + exp(-x), in PyTorch too.
/// </summary>
internal sealed class SoftplusRow() : KernelRow("LossKernels.SoftplusOfNegated", typeof(LossKernels))
{
    public override bool HasStrided => false;

    public override void Spans(Tracker t)
    {
        Harness.UnarySpans(t, Kernel.Unary<float, float, Adapter<float>>(), Values.Float<float>(-30, 30), Values.Float<float>(-1, 1, 9), Check<float>());
        Harness.UnarySpans(t, Kernel.Unary<double, double, Adapter<double>>(), Values.Float<double>(-30, 30), Values.Float<double>(-1, 1, 9), Check<double>());
    }

    internal static double Reference(double x)
    {
        double m = Math.Max(-x, 0);
        if (double.IsNaN(x)) return double.NaN;
        return Math.Log(Math.Exp(-m) + Math.Exp(-x - m)) + m;
    }

    private static UnaryCheck<T, T> Check<T>() where T : IFloatingPointIeee754<T> => (t, x, got, scalar, i) =>
    {
        double want = double.CreateTruncating(T.CreateTruncating(Reference(double.CreateTruncating(x))));
        t.Within(got, want, 4 * Ulp.Eps<T>() * (1 + Math.Abs(want)), "vs reference", i);
        t.Ulps(got, scalar, 0, true, "vs one-element call", x, i);
    };

    private readonly struct Adapter<T> : IUnaryKernel<T, T> where T : IFloatingPointIeee754<T>
    {
        public static T Scalar(T x)
        {
            Span<T> d = [T.Zero];
            LossKernels.SoftplusOfNegated<T>([x], d);
            return d[0];
        }

        public static void Span(ReadOnlySpan<T> x, Span<T> d) => LossKernels.SoftplusOfNegated(x, d);
    }
}

/// <summary>
/// <see cref="LossKernels.BinaryCrossEntropyWithLogits{T}"/> at every length and offset, with and
/// without weight and pos_weight (the four combinations rotate with length and offset): (1 - t) x + L softplus (times weight), L = 1 + (pw - 1) t, for
/// targets in [0, 1]. Bound 8 eps (|(1 - t) x| + |L| (1 + softplus)) |w|: a few roundings per term,
/// softplus's own absolute error (<see cref="SoftplusRow"/>), cancellation between the terms.
/// </summary>
internal sealed class BinaryCrossEntropyRow() : KernelRow("LossKernels.BinaryCrossEntropyWithLogits", typeof(LossKernels))
{
    public override bool HasStrided => false;

    public override void Spans(Tracker t)
    {
        Run<float>(t);
        Run<double>(t);
    }

    private static void Run<T>(Tracker t) where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T>
    {
        // No MaxValue logits: L * softplus overflows float32 there (in PyTorch too) while the double reference does not.
        var logits = new Pool<T>(Values.FloatOrdinary<T>(-10, 10, 1), KernelTable.ReduceSpecials<T>());
        var targets = new Pool<T>(Values.Uniform<T>(0, 1, 4), [T.Zero, T.One]);
        var weights = new Pool<T>(Values.Uniform<T>(0, 2, 5), []);
        for (int n = 0; n <= Harness.MaxLength; n++)
            foreach (int o in Harness.Offsets)
                {
                    int variant = (n + o) % 4;
                    var x = Values.Fill(logits, n + 4, o);
                    var target = Values.Fill(targets, n + 4, o + 1);
                    var w = Values.Fill(weights, n + 4, o + 2).Select(v => T.Abs(v)).ToArray();
                    var pw = Values.Fill(weights, n + 4, o + 3).Select(v => T.Abs(v) + T.One).ToArray();
                    var sp = new T[n + 4];
                    LossKernels.SoftplusOfNegated<T>(x.AsSpan(o, n), sp.AsSpan((o + 1) % 4, n));
                    var loss = Values.Fill(logits, n + 4, 9);
                    var before = (T[])loss.Clone();
                    int ol = (o + 3) % 4;
                    bool hasWeight = (variant & 1) != 0, hasPos = (variant & 2) != 0;
                    t.Where = $"{typeof(T).Name} n={n} @{o} weight={hasWeight} posWeight={hasPos}";
                    LossKernels.BinaryCrossEntropyWithLogits<T>(x.AsSpan(o, n), target.AsSpan((o + 2) % 4, n), sp.AsSpan((o + 1) % 4, n),
                        hasWeight ? w.AsSpan(o, n) : default, hasPos ? pw.AsSpan((o + 1) % 4, n) : default, loss.AsSpan(ol, n));
                    Harness.CheckUntouched(t, loss, before, Enumerable.Range(ol, n).ToArray());
                    for (int i = 0; i < n; i++)
                    {
                        double xi = double.CreateTruncating(x[o + i]), ti = double.CreateTruncating(target[(o + 2) % 4 + i]);
                        double spi = SoftplusRow.Reference(xi);
                        double l = hasPos ? (double.CreateTruncating(pw[(o + 1) % 4 + i]) - 1) * ti + 1 : 1;
                        double wi = hasWeight ? double.CreateTruncating(w[o + i]) : 1;
                        double want = ((1 - ti) * xi + l * spi) * wi;
                        double bound = 8 * Ulp.Eps<T>() * (Math.Abs((1 - ti) * xi) + Math.Abs(l) * (1 + spi)) * wi;
                        t.Within(loss[ol + i], double.CreateTruncating(T.CreateTruncating(want)), bound, "vs reference", i);
                    }
                }
    }
}

/// <summary>
/// <see cref="LossKernels.NllLoss{T}"/> and <see cref="LossKernels.NllLossCoefficients{T}"/> over
/// (batch, classes, spatial) shapes with ignored targets, with and without weights, input at offsets
/// 0..3. Exact: -(w x) is one rounding in any precision (so -0 for a zero input, as torch), the
/// total weight is summed in double in row-major order, coefficients are -w / divisor.
/// </summary>
internal sealed class NllLossRow() : KernelRow("LossKernels.NllLoss", typeof(LossKernels))
{
    public override bool HasStrided => false;

    public override void Spans(Tracker t)
    {
        Run<float>(t);
        Run<double>(t);
        var error = Assert.Throws<IndexOutOfRangeException>(() =>
            LossKernels.NllLoss<float>(new float[6], [1, 3], [], 2, 3, 1, -100, new float[2]));
        t.True(error.Message == "Target 3 is out of bounds.", "out-of-range target message: " + error.Message);
    }

    private static void Run<T>(Tracker t) where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T>
    {
        var inputs = Values.Float<T>(-10, 10);
        var weights = new Pool<T>(Values.Uniform<T>(0, 2, 5), [T.Zero, T.One]);
        var random = new Random(7);
        foreach (int batch in new[] { 0, 1, 3 })
            foreach (int spatial in new[] { 1, 3 })
                for (int classes = 1; classes <= 40; classes += 3)
                    foreach (int o in Harness.Offsets)
                        foreach (bool weighted in new[] { false, true })
                        {
                            int count = batch * spatial;
                            var x = Values.Fill(inputs, batch * classes * spatial + 4, o + classes);
                            var target = Enumerable.Range(0, count).Select(_ => random.Next(5) == 0 ? -100L : random.Next(classes)).ToArray();
                            var w = weighted ? Values.Fill(weights, classes, o).Select(v => T.Abs(v)).ToArray() : [];
                            var losses = new T[count];
                            t.Where = $"{typeof(T).Name} batch={batch} classes={classes} spatial={spatial} @{o} weighted={weighted}";
                            var input = x.AsSpan(o, batch * classes * spatial);
                            double total = LossKernels.NllLoss<T>(input, target, w, batch, classes, spatial, -100, losses);
                            double wantTotal = 0;
                            for (int k = 0; k < count; k++)
                            {
                                int n = k / spatial, s = k % spatial;
                                long c = target[k];
                                T want = T.Zero;
                                if (c != -100)
                                {
                                    T wc = weighted ? w[c] : T.One;
                                    want = T.CreateTruncating(-(double.CreateTruncating(wc) * double.CreateTruncating(input[(n * classes + (int)c) * spatial + s])));
                                    wantTotal += double.CreateTruncating(wc);
                                }
                                t.Ulps(losses[k], want, 0, true, "loss vs reference", c, k);
                            }
                            t.Ulps(total, wantTotal, 0, true, "total weight vs reference", count, 0);
                            T divisor = T.CreateTruncating(wantTotal == 0 ? 1 : wantTotal);
                            var coefficients = new T[batch * classes * spatial];
                            LossKernels.NllLossCoefficients<T>(target, w, batch, classes, spatial, -100, divisor, coefficients);
                            var wantCoefficients = new T[coefficients.Length];
                            for (int k = 0; k < count; k++)
                                if (target[k] != -100)
                                    wantCoefficients[(k / spatial * classes + (int)target[k]) * spatial + k % spatial] = -(weighted ? w[target[k]] : T.One) / divisor;
                            t.True(Ulp.SameBits<T>(coefficients, wantCoefficients), "coefficients");
                        }
    }
}

/// <summary>
/// <see cref="Elementwise.Copy"/> between every pair of dtypes (the driver's private Identity,
/// Convert, ToBool and FromBool kernels) at every length and offset and on the driver cases.
/// Conversions as PyTorch: float64 to float32 rounds to nearest, integers to floats round to nearest,
/// floats to integers truncate toward zero (only in-range values: PyTorch leaves the rest undefined),
/// int64 to int32 wraps, anything to bool is != 0 (NaN is true, -0 false). Same-dtype copies keep bits.
/// </summary>
internal sealed class CopyRow() : KernelRow("Elementwise.Copy", Private("Identity`1", "Convert`2", "ToBool`1", "FromBool`1"))
{
    /// <summary>Elementwise's private conversion kernels that exist (a renamed one then shows up as uncovered).</summary>
    private static Type[] Private(params string[] names) =>
        names.Select(n => typeof(Elementwise).GetNestedType(n, BindingFlags.NonPublic)).OfType<Type>().ToArray();

    public override void Spans(Tracker t) => AllPairs(t, spans: true);

    public override void Strided(Tracker t) => AllPairs(t, spans: false);

    private static void AllPairs(Tracker t, bool spans)
    {
        From(t, spans, Values.Float<float>(-1e6, 1e6));
        From(t, spans, Values.Float<double>(-1e6, 1e6));
        From(t, spans, Values.Integer<long>());
        From(t, spans, Values.Integer<int>());
        From(t, spans, Values.Bool());
    }

    /// <summary>Copies from one dtype to all; float-to-integer conversions use only finite in-range values.</summary>
    private static void From<TFrom>(Tracker t, bool spans, Pool<TFrom> pool) where TFrom : unmanaged
    {
        var integral = new Pool<TFrom>(pool.Ordinary, pool.Specials.Where(v => Convert.ToDouble(v) is var d && double.IsFinite(d) && Math.Abs(d) < 1e9).ToArray());
        bool isFloat = typeof(TFrom) == typeof(float) || typeof(TFrom) == typeof(double);
        Pair<TFrom, float>(t, spans, pool);
        Pair<TFrom, double>(t, spans, pool);
        Pair<TFrom, long>(t, spans, isFloat ? integral : pool);
        Pair<TFrom, int>(t, spans, isFloat ? integral : pool);
        Pair<TFrom, bool>(t, spans, pool);
    }

    private static void Pair<TFrom, TTo>(Tracker t, bool spans, Pool<TFrom> pool) where TFrom : unmanaged where TTo : unmanaged
    {
        var fill = new Pool<TTo>([Expected<TFrom, TTo>(pool.Ordinary[0]), Expected<TFrom, TTo>(pool.Ordinary[1])], []);
        if (spans)
        {
            for (int n = 0; n <= Harness.MaxLength; n++)
                foreach (int o in Harness.Offsets)
                    if (typeof(TFrom) == typeof(TTo) || o == n % 4) // conversions (scalar loops) at one rotating offset per length
                        Case<TFrom, TTo>(t, View.Contiguous(o, n), View.Contiguous((o + 1) % 4, n), pool, fill);
        }
        else
        {
            foreach (var (x, output, inPlace) in Harness.UnaryCases)
                if (!inPlace) Case<TFrom, TTo>(t, x, output, pool, fill);
        }
    }

    private static void Case<TFrom, TTo>(Tracker t, View xv, View ov, Pool<TFrom> pool, Pool<TTo> fill) where TFrom : unmanaged where TTo : unmanaged
    {
        var xs = Values.Fill(pool, xv.StorageLength, xv.Offset + 1);
        var os = Values.Fill(fill, ov.StorageLength, 2);
        var before = (TTo[])os.Clone();
        t.Where = $"{typeof(TFrom).Name} to {typeof(TTo).Name} x{xv} out{ov}";
        Elementwise.Copy(xv.Over(xs), ov.Over(os));
        var op = ov.Positions(ov.Sizes);
        var xp = xv.Positions(ov.Sizes);
        Harness.CheckUntouched(t, os, before, op);
        for (int k = 0; k < op.Length; k++)
        {
            var want = Expected<TFrom, TTo>(xs[xp[k]]);
            bool ok = typeof(TFrom) == typeof(TTo) ? Ulp.SameBits<TTo>(os.AsSpan(op[k], 1), [want]) : Ulp.Distance(os[op[k]], want, true) == 0;
            if (!ok) t.Fail($"element {k}: {t.Where} x={Values.Show(xs[xp[k]])} got {Values.Show(os[op[k]])} want {Values.Show(want)}");
        }
    }

    /// <summary>The conversion with C# casts (round to nearest to floats, truncation to integers, wrap-around between integers).</summary>
    private static TTo Expected<TFrom, TTo>(TFrom value)
    {
        object v = value!;
        object result = typeof(TTo) == typeof(bool)
            ? v switch { bool b => b, float f => f != 0, double d => d != 0, long l => l != 0, _ => (int)v != 0 }
            : v switch
            {
                bool b => To<TTo>(b ? 1L : 0L),
                float f when typeof(TTo) == typeof(double) => (double)f,
                float f when typeof(TTo) == typeof(float) => f,
                double d when typeof(TTo) == typeof(float) => (float)d,
                double d when typeof(TTo) == typeof(double) => d,
                float f => To<TTo>((long)f),
                double d => To<TTo>((long)d),
                long l when typeof(TTo) == typeof(float) => (float)l,
                long l when typeof(TTo) == typeof(double) => (double)l,
                long l => To<TTo>(l),
                _ => typeof(TTo) == typeof(float) ? (float)(int)v : typeof(TTo) == typeof(double) ? (double)(int)v : To<TTo>((int)v),
            };
        return (TTo)result;
    }

    private static object To<TTo>(long l) =>
        typeof(TTo) == typeof(int) ? unchecked((int)l) : typeof(TTo) == typeof(long) ? l : typeof(TTo) == typeof(float) ? (float)l : (object)(double)l;
}
