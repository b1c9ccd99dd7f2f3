using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad.Tests.Kernels;

internal static partial class KernelTable
{
    // Binary rows. Add, sub, mul and div are single IEEE operations: exact in every dtype (a float32
    // result computed in double and rounded once is the correctly rounded float32 result), signs of
    // zero included (-0 + +0 = +0, -0 * 1 = -0...). Integer results wrap around as in PyTorch.
    private static IEnumerable<KernelRow> BinaryRows() =>
    [
        new BinaryNumberRow<AddOp>((a, b) => a + b, (a, b) => a + b, Tol.Exact),
        new BinaryNumberRow<SubOp>((a, b) => a - b, (a, b) => a - b, Tol.Exact),
        new BinaryNumberRow<MulOp>((a, b) => a * b, (a, b) => a * b, Tol.Exact),
        // torch.maximum/minimum propagate NaN; the sign of max(-0, +0) is unspecified in PyTorch
        // (its float32 and float64 CPU kernels disagree), so zero signs are not checked.
        new BinaryNumberRow<MaximumOp>(NaNPropagating(Math.Max), Math.Max, new(SignedZero: false)),
        new BinaryNumberRow<MinimumOp>(NaNPropagating(Math.Min), Math.Min, new(SignedZero: false)),
        // The one-sided clamps keep a NaN input and ignore a NaN bound (std::max/min semantics).
        new BinaryNumberRow<ClampMinOp>((a, lo) => double.IsNaN(a) || double.IsNaN(lo) ? a : Math.Max(a, lo), Math.Max, new(SignedZero: false)),
        new BinaryNumberRow<ClampMaxOp>((a, hi) => double.IsNaN(a) || double.IsNaN(hi) ? a : Math.Min(a, hi), Math.Min, new(SignedZero: false)),
        new BinaryFloatRow<DivOp>((a, b) => a / b, Tol.Exact),
        // std::pow semantics (pow(x, ±0) = 1, pow(1, NaN) = 1...); MathF.Pow is within an ulp.
        new BinaryFloatRow<PowOp>(Math.Pow, new(Float: 1), 0, 5, -5, 5),
        new IntPowRow(),
        new BoolBinaryRow<AndOp>((a, b) => a && b, (a, b) => a & b),
        new BoolBinaryRow<OrOp>((a, b) => a || b, (a, b) => a | b),
        new BoolBinaryRow<XorOp>((a, b) => a != b, (a, b) => a ^ b),
        new NotRow(),
    ];

    // Comparisons: IEEE semantics, every comparison with NaN false except !=; -0 == +0. Exact.
    private static IEnumerable<KernelRow> CompareRows() =>
    [
        new CompareRow<EqOp>((a, b) => a == b, (a, b) => a == b),
        new CompareRow<NeOp>((a, b) => a != b, (a, b) => a != b),
        new CompareRow<LtOp>((a, b) => a < b, (a, b) => a < b),
        new CompareRow<LeOp>((a, b) => a <= b, (a, b) => a <= b),
        new CompareRow<GtOp>((a, b) => a > b, (a, b) => a > b),
        new CompareRow<GeOp>((a, b) => a >= b, (a, b) => a >= b),
        new CompareRow<EqOrBothNaNOp>((a, b) => a == b || (double.IsNaN(a) && double.IsNaN(b)), (a, b) => a == b),
        new CompareRow<EqOrLeftNaNOp>((a, b) => double.IsNaN(a) || a == b, (a, b) => a == b),
    ];

    private static Func<double, double, double> NaNPropagating(Func<double, double, double> f) =>
        (a, b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : f(a, b);
}

/// <summary>
/// <see cref="IntPowKernel{T}"/> on int64 and int32 against powers modulo 2^64 (then wrapped to
/// the dtype); negative exponents give 1 for base 1, ±1 for base -1,
/// 0 otherwise (PyTorch's powi). Exact.
/// </summary>
internal sealed class IntPowRow() : KernelRow("IntPowKernel", typeof(IntPowKernel<>))
{
    public override void Spans(Tracker t)
    {
        Harness.BinarySpans(t, Kernel.Binary<long, long, IntPowKernel<long>>(), Values.Integer<long>(), Exponents<long>(), Values.Integer<long>(9), Check<long>());
        Harness.BinarySpans(t, Kernel.Binary<int, int, IntPowKernel<int>>(), Values.Integer<int>(), Exponents<int>(), Values.Integer<int>(9), Check<int>());
    }

    public override void Strided(Tracker t)
    {
        Harness.BinaryStrided(t, Kernel.Binary<long, long, IntPowKernel<long>>(), Values.Integer<long>(), Exponents<long>(), Values.Integer<long>(9), Check<long>());
        Harness.BinaryStrided(t, Kernel.Binary<int, int, IntPowKernel<int>>(), Values.Integer<int>(), Exponents<int>(), Values.Integer<int>(9), Check<int>());
    }

    /// <summary>Exponents: mostly 0..70 (so powers of small bases are not all 0), plus the integer specials.</summary>
    private static Pool<T> Exponents<T>() where T : IBinaryInteger<T>, IMinMaxValue<T>
    {
        var random = new Random(3);
        return new(Enumerable.Range(0, 83).Select(_ => T.CreateTruncating(random.Next(-3, 71))).ToArray(), Values.IntegerSpecials<T>());
    }

    /// <summary>a^b modulo 2^64 (ulong arithmetic wraps modulo 2^64), by recursive squaring.</summary>
    private static long Power(long a, long b)
    {
        if (b < 0) return a == 1 ? 1 : a == -1 ? (b % 2 == 0 ? 1 : -1) : 0;
        return unchecked((long)Modular((ulong)a, (ulong)b));
    }

    private static ulong Modular(ulong a, ulong b)
    {
        if (b == 0) return 1;
        ulong half = Modular(a, b / 2);
        return unchecked(b % 2 == 0 ? half * half : half * half * a);
    }

    private static BinaryCheck<T, T> Check<T>() where T : IBinaryInteger<T> => (t, a, b, got, scalar, i) =>
    {
        t.Ulps(got, T.CreateTruncating(Power(long.CreateTruncating(a), long.CreateTruncating(b))), 0, false, "vs reference", a, b, i);
        t.Ulps(got, scalar, 0, false, "vs scalar path", a, b, i);
    };
}

/// <summary>A logical/bitwise operator: on bools through <see cref="BoolBinary{TOp}"/>, on int64/int32 through <see cref="BitwiseBinary{TOp, T}"/>. Exact.</summary>
internal sealed class BoolBinaryRow<TOp>(Func<bool, bool, bool> logical, Func<long, long, long> bitwise)
    : KernelRow(typeof(TOp).Name, typeof(TOp), typeof(BoolBinary<>), typeof(BitwiseBinary<,>)) where TOp : IBoolBinary<TOp>, IBitwiseBinary<TOp>
{
    public override void Spans(Tracker t)
    {
        Harness.BinarySpans(t, Kernel.Binary<bool, bool, BoolBinary<TOp>>(), Values.Bool(), Values.Bool(2), Values.Bool(9), BoolCheck());
        Harness.BinarySpans(t, Kernel.Binary<long, long, BitwiseBinary<TOp, long>>(), Values.Integer<long>(), Values.Integer<long>(2), Values.Integer<long>(9), Check<long>());
        Harness.BinarySpans(t, Kernel.Binary<int, int, BitwiseBinary<TOp, int>>(), Values.Integer<int>(), Values.Integer<int>(2), Values.Integer<int>(9), Check<int>());
    }

    public override void Strided(Tracker t)
    {
        Harness.BinaryStrided(t, Kernel.Binary<bool, bool, BoolBinary<TOp>>(), Values.Bool(), Values.Bool(2), Values.Bool(9), BoolCheck());
        Harness.BinaryStrided(t, Kernel.Binary<long, long, BitwiseBinary<TOp, long>>(), Values.Integer<long>(), Values.Integer<long>(2), Values.Integer<long>(9), Check<long>());
        Harness.BinaryStrided(t, Kernel.Binary<int, int, BitwiseBinary<TOp, int>>(), Values.Integer<int>(), Values.Integer<int>(2), Values.Integer<int>(9), Check<int>());
    }

    private BinaryCheck<bool, bool> BoolCheck() => (t, a, b, got, scalar, i) =>
    {
        t.Ulps(got, logical(a, b), 0, false, "vs reference", a, b, i);
        t.Ulps(got, scalar, 0, false, "vs scalar path", a, b, i);
    };

    private BinaryCheck<T, T> Check<T>() where T : IBinaryInteger<T> => (t, a, b, got, scalar, i) =>
    {
        t.Ulps(got, T.CreateTruncating(bitwise(long.CreateTruncating(a), long.CreateTruncating(b))), 0, false, "vs reference", a, b, i);
        t.Ulps(got, scalar, 0, false, "vs scalar path", a, b, i);
    };
}

/// <summary><see cref="NotBool"/> (logical not) and <see cref="NotBits{T}"/> (bitwise not on int64/int32). Exact.</summary>
internal sealed class NotRow() : KernelRow("Not", typeof(NotBool), typeof(NotBits<>))
{
    public override void Spans(Tracker t)
    {
        Harness.UnarySpans(t, Kernel.Unary<bool, bool, NotBool>(), Values.Bool(), Values.Bool(9), (t, x, got, scalar, i) =>
        {
            t.Ulps(got, !x, 0, false, "vs reference", x, i);
            t.Ulps(got, scalar, 0, false, "vs scalar path", x, i);
        });
        Harness.UnarySpans(t, Kernel.Unary<long, long, NotBits<long>>(), Values.Integer<long>(), Values.Integer<long>(9), Check<long>());
        Harness.UnarySpans(t, Kernel.Unary<int, int, NotBits<int>>(), Values.Integer<int>(), Values.Integer<int>(9), Check<int>());
    }

    public override void Strided(Tracker t)
    {
        Harness.UnaryStrided(t, Kernel.Unary<bool, bool, NotBool>(), Values.Bool(), Values.Bool(9), (t, x, got, scalar, i) => t.Ulps(got, !x, 0, false, "vs reference", x, i));
        Harness.UnaryStrided(t, Kernel.Unary<long, long, NotBits<long>>(), Values.Integer<long>(), Values.Integer<long>(9), Check<long>());
        Harness.UnaryStrided(t, Kernel.Unary<int, int, NotBits<int>>(), Values.Integer<int>(), Values.Integer<int>(9), Check<int>());
    }

    /// <summary>~x = -x - 1 in two's complement.</summary>
    private static UnaryCheck<T, T> Check<T>() where T : IBinaryInteger<T> => (t, x, got, scalar, i) =>
    {
        t.Ulps(got, T.CreateTruncating(unchecked(-long.CreateTruncating(x) - 1)), 0, false, "vs reference", x, i);
        t.Ulps(got, scalar, 0, false, "vs scalar path", x, i);
    };
}
