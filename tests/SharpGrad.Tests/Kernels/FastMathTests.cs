using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using SharpGrad.Kernels;

namespace SharpGrad.Tests.Kernels;

// Every FastMath kernel at every width (Note [One algorithm, every width]): the widest one this
// machine picks ("auto"), and each width forced, including Vector512 (software-emulated where
// AVX-512 is missing, so its code path is still exercised) and the scalar fallback.
public class FastMathTests
{
    private delegate void SpanFn(ReadOnlySpan<float> x, Span<float> d);

    private sealed record Row(SpanFn Auto, SpanFn Scalar, SpanFn V128, SpanFn V256, SpanFn V512, Func<double, double> Reference, int MaxUlp);

    private static Row Make<K>(Func<double, double> reference, int maxUlp) where K : IFloatKernel => new(
        FastMath.Run<K>,
        FastMath.Run<K, ScalarFloat, float>,
        FastMath.Run<K, Simd128, Vector128<float>>,
        FastMath.Run<K, Simd256, Vector256<float>>,
        FastMath.Run<K, Simd512, Vector512<float>>,
        reference, maxUlp);

    private static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    private static readonly Dictionary<string, Row> Rows = new()
    {
        ["exp"] = Make<ExpKernel>(Math.Exp, 2),
        ["sigmoid"] = Make<SigmoidKernel>(Sigmoid, 2),
        ["tanh"] = Make<TanhKernel>(Math.Tanh, 2),
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var f in Rows.Keys)
            foreach (var w in new[] { "auto", "scalar", "128", "256", "512" }) data.Add(f, w);
        return data;
    }

    private static SpanFn Width(Row row, string width) => width switch
    {
        "auto" => row.Auto, "scalar" => row.Scalar, "128" => row.V128, "256" => row.V256, _ => row.V512,
    };

    /// <summary>Distance in representable floats; 0 for two NaNs, huge for a NaN against a number.</summary>
    private static long Ulps(float a, float b)
    {
        if (float.IsNaN(a) || float.IsNaN(b)) return float.IsNaN(a) && float.IsNaN(b) ? 0 : long.MaxValue;
        static long Ordinal(float f) { int i = BitConverter.SingleToInt32Bits(f); return i < 0 ? (long)int.MinValue - i : i; }
        return Math.Abs(Ordinal(a) - Ordinal(b));
    }

    private static void AssertAccurate(Row row, string name, ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float want = (float)row.Reference(x[i]);
            long u = Ulps(y[i], want);
            Assert.True(u <= row.MaxUlp, $"{name}({x[i]:R}) = {y[i]:R}, correctly rounded {want:R}: {u} ulp");
        }
    }

    /// <summary>Bit-identical, so that NaN payloads and the sign of zero count.</summary>
    private static void AssertSameBits(ReadOnlySpan<float> want, ReadOnlySpan<float> got, string what)
    {
        for (int i = 0; i < want.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(want[i]) == BitConverter.SingleToInt32Bits(got[i]),
                $"{what}: element {i}: expected {want[i]:R}, got {got[i]:R}");
    }

    /// <summary>Deterministic values spanning the interesting range, with a few far ones.</summary>
    private static float[] Values(int n, int seed)
    {
        var rng = new Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++)
            v[i] = rng.Next(8) == 0 ? (float)(rng.NextDouble() * 240 - 120) : (float)(rng.NextDouble() * 24 - 12);
        return v;
    }

    private static float ScalarResult(Row row, float x)
    {
        Span<float> one = [x];
        row.Scalar(one, one);
        return one[0];
    }

    [Theory, MemberData(nameof(Cases))]
    public void Every_length_and_offset_is_accurate_and_equal_to_the_scalar_path(string f, string width)
    {
        var row = Rows[f];
        var fn = Width(row, width);
        for (int n = 0; n <= 257; n++)
            for (int offset = 0; offset <= 3; offset++)
            {
                var x = Values(n + offset + 4, n * 4 + offset);
                var d = new float[x.Length];
                Array.Fill(d, 12345f);
                fn(x.AsSpan(offset, n), d.AsSpan(offset, n));
                var want = new float[n];
                for (int i = 0; i < n; i++) want[i] = ScalarResult(row, x[offset + i]);
                AssertSameBits(want, d.AsSpan(offset, n), $"{f} {width} n={n} offset={offset}");
                AssertAccurate(row, f, x.AsSpan(offset, n), d.AsSpan(offset, n));
                for (int i = 0; i < d.Length; i++)
                    if (i < offset || i >= offset + n) Assert.Equal(12345f, d[i]); // nothing written outside
            }
    }

    [Theory, MemberData(nameof(Cases))]
    public void In_place_gives_the_same_result(string f, string width)
    {
        var fn = Width(Rows[f], width);
        for (int n = 0; n <= 257; n++)
            for (int offset = 0; offset <= 3; offset++)
            {
                var x = Values(n + offset, 7 * n + offset);
                var want = new float[n];
                fn(x.AsSpan(offset, n), want);
                fn(x.AsSpan(offset, n), x.AsSpan(offset, n));
                AssertSameBits(want, x.AsSpan(offset, n), $"{f} {width} in place n={n} offset={offset}");
            }
    }

    private static readonly float[] Specials =
    [
        float.NaN, -float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f,
        float.MaxValue, float.MinValue, float.Epsilon, -float.Epsilon, 1.17549435e-38f, -1.17549435e-38f,
        1.1754942e-38f, -1.1754942e-38f, 1e-30f, -1e-30f, 1e-10f, -1e-10f, 1f, -1f,
        0.625f, -0.625f, 0.62499994f, -0.62499994f, 9.01f, -9.01f, 9.5f, -9.5f, 20f, -20f, 43f, -45f,
        85.99999f, 86f, -85.99999f, -86f, 87.33654f, -87.33654f, 88.72283f, 88.7228394f, 88.72284f, 89f, 89.5f,
        -88.72283f, -89f, -100f, -103.27893f, -103.97208f, -103.97209f, -104f, -104.5f, -150f, 1e10f, -1e10f,
    ];

    [Theory, MemberData(nameof(Cases))]
    public void Special_values_in_every_lane(string f, string width)
    {
        var row = Rows[f];
        var fn = Width(row, width);
        foreach (float s in Specials)
            for (int position = 0; position < 35; position++)
            {
                var x = new float[35];
                Array.Fill(x, 0.5f);
                x[position] = s;
                var d = new float[35];
                fn(x, d);
                AssertAccurate(row, f, x, d);
                AssertSameBits([ScalarResult(row, 0.5f)], [d[position == 0 ? 1 : 0]], $"{f}({s:R}) disturbed a neighbour");
            }
    }

    public static TheoryData<string, float, float> Exact() => new()
    {
        { "exp", float.PositiveInfinity, float.PositiveInfinity }, { "exp", float.NegativeInfinity, 0f },
        { "exp", 0f, 1f }, { "exp", -0f, 1f }, { "exp", float.MaxValue, float.PositiveInfinity },
        { "exp", float.MinValue, 0f }, { "exp", 88.7228394f, float.PositiveInfinity }, { "exp", -104f, 0f },
        { "exp", -103.9f, float.Epsilon }, { "exp", 1e-30f, 1f },
        { "sigmoid", float.PositiveInfinity, 1f }, { "sigmoid", float.NegativeInfinity, 0f },
        { "sigmoid", 0f, 0.5f }, { "sigmoid", -0f, 0.5f }, { "sigmoid", float.MaxValue, 1f },
        { "sigmoid", float.MinValue, 0f }, { "sigmoid", 18f, 1f }, { "sigmoid", -103.9f, float.Epsilon },
        { "tanh", float.PositiveInfinity, 1f }, { "tanh", float.NegativeInfinity, -1f }, { "tanh", 0f, 0f },
        { "tanh", -0f, -0f }, { "tanh", float.MaxValue, 1f }, { "tanh", float.MinValue, -1f },
        { "tanh", 9.1f, 1f }, { "tanh", -9.1f, -1f }, { "tanh", 1e-10f, 1e-10f }, { "tanh", -1e-30f, -1e-30f },
        { "tanh", float.Epsilon, float.Epsilon }, { "tanh", -float.Epsilon, -float.Epsilon },
    };

    [Theory, MemberData(nameof(Exact))]
    public void Exact_results_at_every_width(string f, float x, float expected)
    {
        var row = Rows[f];
        foreach (var width in new[] { "auto", "scalar", "128", "256", "512" })
            for (int n = 1; n <= 17; n += 16) // alone (scalar tail) and inside a full vector
            {
                var xs = new float[n];
                Array.Fill(xs, x);
                var d = new float[n];
                Width(row, width)(xs, d);
                AssertSameBits([expected], [d[n - 1]], $"{f}({x:R}) at {width}, n={n}");
            }
    }

    [Theory, MemberData(nameof(Cases))]
    public void NaN_gives_NaN(string f, string width)
    {
        var x = new float[19];
        Array.Fill(x, float.NaN);
        x[3] = -float.NaN;
        x[4] = BitConverter.Int32BitsToSingle(0x7F800001); // signalling NaN pattern
        var d = new float[19];
        Width(Rows[f], width)(x, d);
        Assert.All(d, v => Assert.True(float.IsNaN(v)));
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    public void A_million_values_across_the_whole_float_range_are_within_the_ulp_bound(string f)
    {
        var row = Rows[f];
        const int N = 1 << 20;
        var x = new float[N];
        for (int i = 0; i < N / 2; i++) // every sign and exponent: bit patterns 4096 apart, jittered
            x[i] = BitConverter.Int32BitsToSingle((int)((uint)i << 13 | (uint)(i * 2654435761u) >> 19));
        var rng = new Random(42);
        for (int i = N / 2; i < N; i++) // the range where the result is neither saturated nor exact
            x[i] = (float)(rng.NextDouble() * 220 - 110);
        var d = new float[N];
        row.Auto(x, d);
        AssertAccurate(row, f, x, d);
        var other = new float[N];
        row.Scalar(x, other);
        AssertSameBits(d, other, $"{f} scalar vs auto");
        row.V128(x, other);
        AssertSameBits(d, other, $"{f} Vector128 vs auto");
    }

    [Fact]
    public void Partial_overlap_and_a_short_destination_throw()
    {
        var a = new float[40];
        Assert.Throws<ArgumentException>(() => FastMath.Exp(a.AsSpan(0, 20), a.AsSpan(1, 20)));
        Assert.Throws<ArgumentException>(() => FastMath.Tanh(a.AsSpan(0, 20), a.AsSpan(20, 19)));
        FastMath.Sigmoid(a.AsSpan(0, 20), a.AsSpan(20, 20)); // adjacent is fine
        Assert.Equal(0.5f, a[39]);
    }

    [Fact]
    public void Operator_structs_use_FastMath_for_float_and_TensorPrimitives_for_double()
    {
        var xf = Values(100, 5);
        var xd = Array.ConvertAll(xf, v => (double)v);
        CheckOp<ExpOp>(FastMath.Exp, TensorPrimitives.Exp, Math.Exp);
        CheckOp<SigmoidOp>(FastMath.Sigmoid, TensorPrimitives.Sigmoid, v => 1 / (1 + Math.Exp(-v)));
        // float64 tanh runs Math.Tanh per element: TensorPrimitives.Tanh cancels badly near 0.
        CheckOp<TanhOp>(FastMath.Tanh, (x, d) => { for (int i = 0; i < x.Length; i++) d[i] = Math.Tanh(x[i]); }, Math.Tanh);

        void CheckOp<TOp>(SpanFn fast, Action<ReadOnlySpan<double>, Span<double>> primitives, Func<double, double> scalar)
            where TOp : IUnaryFloat<TOp>
        {
            float[] want = new float[100], got = new float[100];
            fast(xf, want);
            TOp.Invoke<float>(xf, got);
            AssertSameBits(want, got, typeof(TOp).Name + " float span");
            for (int i = 0; i < 100; i++) got[i] = TOp.Invoke(xf[i]);
            AssertSameBits(want, got, typeof(TOp).Name + " float scalar");
            double[] wantD = new double[100], gotD = new double[100];
            primitives(xd, wantD);
            TOp.Invoke<double>(xd, gotD);
            Assert.Equal(wantD, gotD);
            for (int i = 0; i < 100; i++)
                Assert.True(Math.Abs(scalar(xd[i]) - TOp.Invoke(xd[i])) <= 1e-15 * Math.Abs(scalar(xd[i])), $"{typeof(TOp).Name}({xd[i]:R})");
        }
    }
}
