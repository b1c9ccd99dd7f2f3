using System.Globalization;
using System.Numerics;
using System.Text.Json;
using SharpGrad.Kernels;
using SharpGrad.Tests.Support;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// The kernels on special values against real PyTorch 1.13 (tests/golden/gen_kernels.py): NaN,
/// ±inf, ±0, the extreme finite values, subnormals, ±1 and halves in float32 and float64, and the
/// integer extremes (wrap-around) in int64 and int32; every pair of them for binary ops. This pins
/// the special-value semantics that the kernel table's hand-written references encode. Each op runs
/// through its span members (span-span, span-scalar and scalar-span; inputs repeated so they sit in
/// SIMD lanes as well as in the tail) with the row's tolerance plus one ulp for PyTorch's own
/// rounding, and the row's sign-of-zero rule.
/// </summary>
public class KernelTorchSpecialsTests
{
    private static readonly JsonElement Fixture = Golden.Load("kernels");

    /// <summary>(torch op, kernel row, check).</summary>
    private sealed record Case(string Torch, string Row, Action<Tracker, Tol> Run);

    /// <summary>
    /// Known PyTorch 1.13 inaccuracies that SharpGrad deliberately does not copy: torch.log1p returns
    /// inf for huge finite inputs (float32 from about 2e38, float64 at the maximum) where the true
    /// result is about 88.7 or 709.8.
    /// </summary>
    private static bool TorchOverflows<TIn, TOut>(string torch, TIn x, TOut want) =>
        torch == "log1p" && want is float w && float.IsPositiveInfinity(w) && x is float f && float.IsFinite(f)
        || torch == "log1p" && want is double v && double.IsPositiveInfinity(v) && x is double d && double.IsFinite(d);

    // Transcendental ops get one more ulp for PyTorch's own rounding (Sleef's u10 functions);
    // IEEE operations (add, div, sqrt, floor, comparisons...) must match PyTorch exactly.
    private static readonly Case[] Cases =
    [
        UnaryFloat<ExpOp>("exp", 1), UnaryFloat<ReciprocalOp>("reciprocal"), UnaryFloat<SqrtOp>("sqrt"), UnaryFloat<RsqrtOp>("rsqrt", 1),
        UnaryFloat<LogOp>("log", 1), UnaryFloat<SinOp>("sin", 1), UnaryFloat<CosOp>("cos", 1), UnaryFloat<TanhOp>("tanh", 1),
        UnaryFloat<SigmoidOp>("sigmoid", 1), UnaryFloat<Log1pOp>("log1p", 1), UnaryFloat<Expm1Op>("expm1", 1),
        UnaryFloat<FloorOp>("floor"), UnaryFloat<CeilOp>("ceil"), UnaryFloat<RoundOp>("round"),
        UnaryNumber<NegOp>("neg"), UnaryNumber<ReluOp>("relu"), UnaryNumber<AbsOp>("abs"), UnaryNumber<SignOp>("sign"),
        UnaryNumber<SquareOp>("square"), UnaryNumber<CubeOp>("pow3", 1),
        BinaryNumber<AddOp>("add"), BinaryNumber<SubOp>("sub"), BinaryNumber<MulOp>("mul"),
        BinaryNumber<MaximumOp>("maximum"), BinaryNumber<MinimumOp>("minimum"),
        BinaryNumber<ClampMinOp>("clamp_min", integers: false), BinaryNumber<ClampMaxOp>("clamp_max", integers: false),
        // PyTorch's float64 pow is off by an ulp on some pairs in its SIMD lanes (pow(max, 1) = inf there).
        BinaryFloat<DivOp>("div"), BinaryFloat<PowOp>("pow", 1),
        Compare<EqOp>("eq"), Compare<NeOp>("ne"), Compare<LtOp>("lt"), Compare<LeOp>("le"), Compare<GtOp>("gt"), Compare<GeOp>("ge"),
    ];

    public static TheoryData<string> Names => new(Cases.Select(c => c.Row));

    [Theory, MemberData(nameof(Names))]
    public void Kernel_matches_torch_on_special_values(string row)
    {
        var c = Cases.Single(x => x.Row == row);
        var tol = KernelTable.Get(row).Tolerance ?? Tol.Exact;
        var tracker = new Tracker($"{row} vs torch.{c.Torch}");
        c.Run(tracker, tol);
        tracker.Assert();
    }

    private static string Name(Type op) => op.DeclaringType is { } outer ? outer.Name + "." + op.Name : op.Name;

    private static Case UnaryFloat<TOp>(string torch, int extra = 0) where TOp : IUnaryFloat<TOp> => new(torch, Name(typeof(TOp)), (t, tol) =>
    {
        Unary(t, torch, tol, extra, Kernel.Unary<float, float, FloatUnary<TOp, float>>());
        Unary(t, torch, tol, extra, Kernel.Unary<double, double, FloatUnary<TOp, double>>());
    });

    private static Case UnaryNumber<TOp>(string torch, int extra = 0, bool integers = true) where TOp : IUnaryNumber<TOp> => new(torch, Name(typeof(TOp)), (t, tol) =>
    {
        Unary(t, torch, tol, extra, Kernel.Unary<float, float, NumberUnary<TOp, float>>());
        Unary(t, torch, tol, extra, Kernel.Unary<double, double, NumberUnary<TOp, double>>());
        if (!integers) return;
        Unary(t, torch, Tol.Exact, 0, Kernel.Unary<long, long, NumberUnary<TOp, long>>());
        Unary(t, torch, Tol.Exact, 0, Kernel.Unary<int, int, NumberUnary<TOp, int>>());
    });

    private static Case BinaryNumber<TOp>(string torch, bool integers = true) where TOp : SharpGrad.Kernels.IBinaryNumber<TOp> => new(torch, Name(typeof(TOp)), (t, tol) =>
    {
        Binary(t, "binary", torch, tol, 0, Kernel.Binary<float, float, NumberBinary<TOp, float>>());
        Binary(t, "binary", torch, tol, 0, Kernel.Binary<double, double, NumberBinary<TOp, double>>());
        if (!integers) return;
        Binary(t, "binary", torch, Tol.Exact, 0, Kernel.Binary<long, long, NumberBinary<TOp, long>>());
        Binary(t, "binary", torch, Tol.Exact, 0, Kernel.Binary<int, int, NumberBinary<TOp, int>>());
    });

    private static Case BinaryFloat<TOp>(string torch, int extra = 0) where TOp : IBinaryFloat<TOp> => new(torch, Name(typeof(TOp)), (t, tol) =>
    {
        Binary(t, "binary", torch, tol, extra, Kernel.Binary<float, float, FloatBinary<TOp, float>>());
        Binary(t, "binary", torch, tol, extra, Kernel.Binary<double, double, FloatBinary<TOp, double>>());
    });

    private static Case Compare<TOp>(string torch) where TOp : ICompare<TOp> => new(torch, Name(typeof(TOp)), (t, tol) =>
    {
        Binary(t, "compare", torch, tol, 0, Kernel.Binary<float, bool, CompareBinary<TOp, float>>());
        Binary(t, "compare", torch, tol, 0, Kernel.Binary<double, bool, CompareBinary<TOp, double>>());
        Binary(t, "compare", torch, tol, 0, Kernel.Binary<long, bool, CompareBinary<TOp, long>>());
        Binary(t, "compare", torch, tol, 0, Kernel.Binary<int, bool, CompareBinary<TOp, int>>());
    });

    private static string DType<T>() =>
        typeof(T) == typeof(float) ? "float32" : typeof(T) == typeof(double) ? "float64" : typeof(T) == typeof(long) ? "int64" : "int32";

    private static T DecodeOne<T>(JsonElement e)
    {
        if (typeof(T) == typeof(bool)) return (T)(object)e.GetBoolean();
        if (typeof(T) == typeof(long)) return (T)(object)e.GetInt64();
        if (typeof(T) == typeof(int)) return (T)(object)e.GetInt32();
        ulong bits = ulong.Parse(e.GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (typeof(T) == typeof(float)) return (T)(object)BitConverter.UInt32BitsToSingle((uint)bits);
        return (T)(object)BitConverter.UInt64BitsToDouble(bits);
    }

    private static T[] Decode<T>(JsonElement array) => array.EnumerateArray().Select(DecodeOne<T>).ToArray();

    private static void Unary<TIn, TOut>(Tracker t, string torch, Tol tol, int extra, UnaryKernel<TIn, TOut> kernel)
    {
        var x = Decode<TIn>(Fixture.GetProperty("inputs").GetProperty(DType<TIn>()));
        var want = Decode<TOut>(Fixture.GetProperty("unary").GetProperty(torch).GetProperty(DType<TIn>()));
        int n = x.Length;
        var repeated = Enumerable.Repeat(x, 3).SelectMany(v => v).ToArray();
        var d = new TOut[repeated.Length];
        kernel.Span(repeated, d);
        t.Where = $"{DType<TIn>()} span";
        for (int i = 0; i < d.Length; i++)
            if (!TorchOverflows<TIn, TOut>(torch, repeated[i], want[i % n])) t.Ulps(d[i], want[i % n], tol.For<TOut>() + extra, tol.SignedZero, "vs torch", repeated[i], i);
    }

    private static void Binary<TIn, TOut>(Tracker t, string section, string torch, Tol tol, int extra, BinaryKernel<TIn, TOut> kernel)
    {
        var x = Decode<TIn>(Fixture.GetProperty("inputs").GetProperty(DType<TIn>()));
        var want = Decode<TOut>(Fixture.GetProperty(section).GetProperty(torch).GetProperty(DType<TIn>()));
        int n = x.Length;
        long ulps = tol.For<TOut>() + extra;
        var a = Enumerable.Range(0, n * n).Select(i => x[i / n]).ToArray();
        var b = Enumerable.Range(0, n * n).Select(i => x[i % n]).ToArray();
        var d = new TOut[n * n];
        kernel.Span(a, b, d);
        t.Where = $"{DType<TIn>()} span-span";
        for (int i = 0; i < d.Length; i++) t.Ulps(d[i], want[i], ulps, tol.SignedZero, "vs torch", a[i], b[i], i);
        // Span-scalar: every a against one b; scalar-span: one a against every b (inputs repeated into SIMD lanes).
        var column = Enumerable.Repeat(x, 3).SelectMany(v => v).ToArray();
        var result = new TOut[column.Length];
        for (int j = 0; j < n; j++)
        {
            kernel.SpanScalar(column, x[j], result);
            t.Where = $"{DType<TIn>()} span-scalar b={Values.Show(x[j])}";
            for (int i = 0; i < result.Length; i++) t.Ulps(result[i], want[i % n * n + j], ulps, tol.SignedZero, "vs torch", column[i], x[j], i);
            kernel.ScalarSpan(x[j], column, result);
            t.Where = $"{DType<TIn>()} scalar-span a={Values.Show(x[j])}";
            for (int i = 0; i < result.Length; i++) t.Ulps(result[i], want[j * n + i % n], ulps, tol.SignedZero, "vs torch", x[j], column[i], i);
        }
    }
}
