using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// Note [Kernel table]: one row per kernel (operator struct or kernel function) with its references.
/// Every kernel is checked (Note [Kernel harness]) against two references: its own scalar path
/// (what the strided driver uses for non-unit strides; span members must agree with it) and an
/// independent one computed in double with System.Math that encodes PyTorch's semantics for NaN,
/// infinities and the sign of zero. Tolerances are in ulps of the result (Note [Ulp distance]) and
/// are documented on each row; add, sub, mul, div, neg, comparisons, selection and integer kernels
/// are exact. CI (.ci/run) runs these tests with the default hardware intrinsics and again with
/// DOTNET_EnableAVX512F=0, DOTNET_EnableAVX2=0 and DOTNET_EnableHWIntrinsic=0, so every vector
/// width and the scalar fallbacks of TensorPrimitives run. A test fails when a kernel type has no
/// row (KernelTableTests.Every_kernel_operator_has_a_row). The test project runs with tiered
/// compilation off (runtimeconfig.template.json): the table makes millions of short kernel calls,
/// which tier-0 code and delayed tier-up made 2-3x slower.
/// </summary>
internal abstract class KernelRow(string name, params Type[] covers)
{
    public string Name => name;

    /// <summary>The kernel types this row exercises (generic definitions for generic kernels).</summary>
    public IReadOnlyList<Type> Covers => covers;

    /// <summary>Span-level checks: every length 0..257, offsets 0..3, in place, special values.</summary>
    public abstract void Spans(Tracker t);

    /// <summary>Checks through the strided driver or on tensor views; false for pure span kernels.</summary>
    public virtual bool HasStrided => true;

    public virtual void Strided(Tracker t) { }

    /// <summary>The row's ulp tolerances, for rows that compare in ulps against a reference.</summary>
    public virtual Tol? Tolerance => null;

    public override string ToString() => Name;

    protected static string NameOf(Type type) => type.DeclaringType is { } outer ? outer.Name + "." + type.Name : type.Name;
}

/// <summary>
/// Tolerances of one row in ulps (Note [Ulp distance]): <see cref="Float"/> and <see cref="Double"/>
/// against the double-precision reference, <see cref="Scalar"/> between span and scalar paths.
/// <see cref="SignedZero"/> is false only where PyTorch leaves the sign of a zero result unspecified.
/// </summary>
internal sealed record Tol(int Float = 0, int Double = 0, int Scalar = 0, bool SignedZero = true)
{
    public static readonly Tol Exact = new();

    public int For<T>() => typeof(T) == typeof(float) ? Float : typeof(T) == typeof(double) ? Double : 0;
}

internal static partial class KernelTable
{
    public static readonly IReadOnlyList<KernelRow> All =
    [
        .. UnaryRows(), .. BinaryRows(), .. CompareRows(), .. ReduceRows(), .. OtherRows(),
    ];

    public static KernelRow Get(string name) => All.Single(r => r.Name == name);
}

/// <summary>A row for an <see cref="IUnaryFloat{TSelf}"/> operator on float32 and float64.</summary>
/// <remarks><paramref name="extra"/> adds ordinary inputs where an implementation is most likely to lose accuracy (log near 1, cos near pi/2...).</remarks>
internal sealed class UnaryFloatRow<TOp>(Func<double, double> reference, Tol tol, double lo = -10, double hi = 10, double[]? extra = null)
    : KernelRow(NameOf(typeof(TOp)), typeof(TOp), typeof(FloatUnary<,>)) where TOp : IUnaryFloat<TOp>
{
    public override Tol? Tolerance => tol;

    public override void Spans(Tracker t)
    {
        Harness.UnarySpans(t, Kernel.Unary<float, float, FloatUnary<TOp, float>>(), Inputs<float>(), Values.Float<float>(-1, 1, 9), Check<float>());
        Harness.UnarySpans(t, Kernel.Unary<double, double, FloatUnary<TOp, double>>(), Inputs<double>(), Values.Float<double>(-1, 1, 9), Check<double>());
    }

    public override void Strided(Tracker t)
    {
        Harness.UnaryStrided(t, Kernel.Unary<float, float, FloatUnary<TOp, float>>(), Inputs<float>(), Values.Float<float>(-1, 1, 9), Check<float>());
        Harness.UnaryStrided(t, Kernel.Unary<double, double, FloatUnary<TOp, double>>(), Inputs<double>(), Values.Float<double>(-1, 1, 9), Check<double>());
    }

    private Pool<T> Inputs<T>() where T : IFloatingPointIeee754<T>, IMinMaxValue<T>
    {
        var pool = Values.Float<T>(lo, hi);
        return extra is null ? pool : pool with { Ordinary = [.. pool.Ordinary, .. extra.Select(T.CreateTruncating)] };
    }

    private UnaryCheck<T, T> Check<T>() where T : IFloatingPointIeee754<T> => (t, x, got, scalar, i) =>
    {
        T want = T.CreateTruncating(reference(double.CreateTruncating(x)));
        t.Ulps(got, want, tol.For<T>(), tol.SignedZero, "vs reference", x, i);
        if (Ulp.Distance(got, scalar, true) == 0) return;
        t.Ulps(got, scalar, tol.Scalar, tol.SignedZero, "vs scalar path", x, i);
        t.Ulps(scalar, want, tol.For<T>(), tol.SignedZero, "scalar path vs reference", x, i);
    };
}

/// <summary>A row for an <see cref="IUnaryNumber{TSelf}"/> operator on float32, float64, int64 and int32.</summary>
/// <remarks>The integer reference works in long; int32 results are its low 32 bits (wrap-around, as PyTorch).</remarks>
internal sealed class UnaryNumberRow<TOp>(Func<double, double> reference, Func<long, long>? integer, Tol tol, double lo = -10, double hi = 10)
    : KernelRow(NameOf(typeof(TOp)), typeof(TOp), typeof(NumberUnary<,>)) where TOp : IUnaryNumber<TOp>
{
    public override Tol? Tolerance => tol;

    public override void Spans(Tracker t)
    {
        Harness.UnarySpans(t, Kernel.Unary<float, float, NumberUnary<TOp, float>>(), Values.Float<float>(lo, hi), Values.Float<float>(-1, 1, 9), FloatCheck<float>());
        Harness.UnarySpans(t, Kernel.Unary<double, double, NumberUnary<TOp, double>>(), Values.Float<double>(lo, hi), Values.Float<double>(-1, 1, 9), FloatCheck<double>());
        if (integer is null) return;
        Harness.UnarySpans(t, Kernel.Unary<long, long, NumberUnary<TOp, long>>(), Values.Integer<long>(), Values.Integer<long>(9), IntegerCheck<long>());
        Harness.UnarySpans(t, Kernel.Unary<int, int, NumberUnary<TOp, int>>(), Values.Integer<int>(), Values.Integer<int>(9), IntegerCheck<int>());
    }

    public override void Strided(Tracker t)
    {
        Harness.UnaryStrided(t, Kernel.Unary<float, float, NumberUnary<TOp, float>>(), Values.Float<float>(lo, hi), Values.Float<float>(-1, 1, 9), FloatCheck<float>());
        Harness.UnaryStrided(t, Kernel.Unary<double, double, NumberUnary<TOp, double>>(), Values.Float<double>(lo, hi), Values.Float<double>(-1, 1, 9), FloatCheck<double>());
        if (integer is null) return;
        Harness.UnaryStrided(t, Kernel.Unary<long, long, NumberUnary<TOp, long>>(), Values.Integer<long>(), Values.Integer<long>(9), IntegerCheck<long>());
        Harness.UnaryStrided(t, Kernel.Unary<int, int, NumberUnary<TOp, int>>(), Values.Integer<int>(), Values.Integer<int>(9), IntegerCheck<int>());
    }

    private UnaryCheck<T, T> FloatCheck<T>() where T : IFloatingPointIeee754<T> => (t, x, got, scalar, i) =>
    {
        T want = T.CreateTruncating(reference(double.CreateTruncating(x)));
        t.Ulps(got, want, tol.For<T>(), tol.SignedZero, "vs reference", x, i);
        if (Ulp.Distance(got, scalar, true) == 0) return;
        t.Ulps(got, scalar, tol.Scalar, tol.SignedZero, "vs scalar path", x, i);
        t.Ulps(scalar, want, tol.For<T>(), tol.SignedZero, "scalar path vs reference", x, i);
    };

    private UnaryCheck<T, T> IntegerCheck<T>() where T : IBinaryInteger<T> => (t, x, got, scalar, i) =>
    {
        T want = T.CreateTruncating(integer!(long.CreateTruncating(x)));
        t.Ulps(got, want, 0, false, "vs reference", x, i);
        t.Ulps(got, scalar, 0, false, "vs scalar path", x, i);
    };
}

/// <summary>A row for an <see cref="SharpGrad.Kernels.IBinaryNumber{TSelf}"/> operator on float32, float64, int64 and int32.</summary>
internal sealed class BinaryNumberRow<TOp>(Func<double, double, double> reference, Func<long, long, long> integer, Tol tol, double lo = -10, double hi = 10)
    : KernelRow(NameOf(typeof(TOp)), typeof(TOp), typeof(NumberBinary<,>)) where TOp : SharpGrad.Kernels.IBinaryNumber<TOp>
{
    public override Tol? Tolerance => tol;

    public override void Spans(Tracker t)
    {
        Harness.BinarySpans(t, Kernel.Binary<float, float, NumberBinary<TOp, float>>(), Values.Float<float>(lo, hi), Values.Float<float>(lo, hi, 2), Values.Float<float>(-1, 1, 9), FloatCheck<float>());
        Harness.BinarySpans(t, Kernel.Binary<double, double, NumberBinary<TOp, double>>(), Values.Float<double>(lo, hi), Values.Float<double>(lo, hi, 2), Values.Float<double>(-1, 1, 9), FloatCheck<double>());
        Harness.BinarySpans(t, Kernel.Binary<long, long, NumberBinary<TOp, long>>(), Values.Integer<long>(), Values.Integer<long>(2), Values.Integer<long>(9), IntegerCheck<long>());
        Harness.BinarySpans(t, Kernel.Binary<int, int, NumberBinary<TOp, int>>(), Values.Integer<int>(), Values.Integer<int>(2), Values.Integer<int>(9), IntegerCheck<int>());
    }

    public override void Strided(Tracker t)
    {
        Harness.BinaryStrided(t, Kernel.Binary<float, float, NumberBinary<TOp, float>>(), Values.Float<float>(lo, hi), Values.Float<float>(lo, hi, 2), Values.Float<float>(-1, 1, 9), FloatCheck<float>());
        Harness.BinaryStrided(t, Kernel.Binary<double, double, NumberBinary<TOp, double>>(), Values.Float<double>(lo, hi), Values.Float<double>(lo, hi, 2), Values.Float<double>(-1, 1, 9), FloatCheck<double>());
        Harness.BinaryStrided(t, Kernel.Binary<long, long, NumberBinary<TOp, long>>(), Values.Integer<long>(), Values.Integer<long>(2), Values.Integer<long>(9), IntegerCheck<long>());
        Harness.BinaryStrided(t, Kernel.Binary<int, int, NumberBinary<TOp, int>>(), Values.Integer<int>(), Values.Integer<int>(2), Values.Integer<int>(9), IntegerCheck<int>());
    }

    private BinaryCheck<T, T> FloatCheck<T>() where T : IFloatingPointIeee754<T> => (t, a, b, got, scalar, i) =>
    {
        T want = T.CreateTruncating(reference(double.CreateTruncating(a), double.CreateTruncating(b)));
        t.Ulps(got, want, tol.For<T>(), tol.SignedZero, "vs reference", a, b, i);
        if (Ulp.Distance(got, scalar, true) == 0) return;
        t.Ulps(got, scalar, tol.Scalar, tol.SignedZero, "vs scalar path", a, b, i);
        t.Ulps(scalar, want, tol.For<T>(), tol.SignedZero, "scalar path vs reference", a, b, i);
    };

    private BinaryCheck<T, T> IntegerCheck<T>() where T : IBinaryInteger<T> => (t, a, b, got, scalar, i) =>
    {
        T want = T.CreateTruncating(integer(long.CreateTruncating(a), long.CreateTruncating(b)));
        t.Ulps(got, want, 0, false, "vs reference", a, b, i);
        t.Ulps(got, scalar, 0, false, "vs scalar path", a, b, i);
    };
}

/// <summary>A row for an <see cref="IBinaryFloat{TSelf}"/> operator on float32 and float64.</summary>
internal sealed class BinaryFloatRow<TOp>(Func<double, double, double> reference, Tol tol, double lo = -10, double hi = 10, double loB = -10, double hiB = 10)
    : KernelRow(NameOf(typeof(TOp)), typeof(TOp), typeof(FloatBinary<,>)) where TOp : IBinaryFloat<TOp>
{
    public override Tol? Tolerance => tol;

    public override void Spans(Tracker t)
    {
        Harness.BinarySpans(t, Kernel.Binary<float, float, FloatBinary<TOp, float>>(), Values.Float<float>(lo, hi), Values.Float<float>(loB, hiB, 2), Values.Float<float>(-1, 1, 9), Check<float>());
        Harness.BinarySpans(t, Kernel.Binary<double, double, FloatBinary<TOp, double>>(), Values.Float<double>(lo, hi), Values.Float<double>(loB, hiB, 2), Values.Float<double>(-1, 1, 9), Check<double>());
    }

    public override void Strided(Tracker t)
    {
        Harness.BinaryStrided(t, Kernel.Binary<float, float, FloatBinary<TOp, float>>(), Values.Float<float>(lo, hi), Values.Float<float>(loB, hiB, 2), Values.Float<float>(-1, 1, 9), Check<float>());
        Harness.BinaryStrided(t, Kernel.Binary<double, double, FloatBinary<TOp, double>>(), Values.Float<double>(lo, hi), Values.Float<double>(loB, hiB, 2), Values.Float<double>(-1, 1, 9), Check<double>());
    }

    private BinaryCheck<T, T> Check<T>() where T : IFloatingPointIeee754<T> => (t, a, b, got, scalar, i) =>
    {
        T want = T.CreateTruncating(reference(double.CreateTruncating(a), double.CreateTruncating(b)));
        t.Ulps(got, want, tol.For<T>(), tol.SignedZero, "vs reference", a, b, i);
        if (Ulp.Distance(got, scalar, true) == 0) return;
        t.Ulps(got, scalar, tol.Scalar, tol.SignedZero, "vs scalar path", a, b, i);
        t.Ulps(scalar, want, tol.For<T>(), tol.SignedZero, "scalar path vs reference", a, b, i);
    };
}

/// <summary>A row for an <see cref="ICompare{TSelf}"/> operator (through <see cref="CompareBinary{TOp, T}"/>) on every numeric dtype; exact.</summary>
internal sealed class CompareRow<TOp>(Func<double, double, bool> reference, Func<long, long, bool> integer)
    : KernelRow(NameOf(typeof(TOp)), typeof(TOp), typeof(CompareBinary<,>)) where TOp : ICompare<TOp>
{
    public override void Spans(Tracker t)
    {
        Harness.BinarySpans(t, Kernel.Binary<float, bool, CompareBinary<TOp, float>>(), Values.Float<float>(-3, 3), Values.Float<float>(-3, 3, 2), Values.Bool(), FloatCheck<float>());
        Harness.BinarySpans(t, Kernel.Binary<double, bool, CompareBinary<TOp, double>>(), Values.Float<double>(-3, 3), Values.Float<double>(-3, 3, 2), Values.Bool(), FloatCheck<double>());
        Harness.BinarySpans(t, Kernel.Binary<long, bool, CompareBinary<TOp, long>>(), Values.Integer<long>(), Values.Integer<long>(2), Values.Bool(), IntegerCheck<long>());
        Harness.BinarySpans(t, Kernel.Binary<int, bool, CompareBinary<TOp, int>>(), Values.Integer<int>(), Values.Integer<int>(2), Values.Bool(), IntegerCheck<int>());
    }

    public override void Strided(Tracker t)
    {
        Harness.BinaryStrided(t, Kernel.Binary<float, bool, CompareBinary<TOp, float>>(), Values.Float<float>(-3, 3), Values.Float<float>(-3, 3, 2), Values.Bool(), FloatCheck<float>());
        Harness.BinaryStrided(t, Kernel.Binary<double, bool, CompareBinary<TOp, double>>(), Values.Float<double>(-3, 3), Values.Float<double>(-3, 3, 2), Values.Bool(), FloatCheck<double>());
        Harness.BinaryStrided(t, Kernel.Binary<long, bool, CompareBinary<TOp, long>>(), Values.Integer<long>(), Values.Integer<long>(2), Values.Bool(), IntegerCheck<long>());
        Harness.BinaryStrided(t, Kernel.Binary<int, bool, CompareBinary<TOp, int>>(), Values.Integer<int>(), Values.Integer<int>(2), Values.Bool(), IntegerCheck<int>());
    }

    private BinaryCheck<T, bool> FloatCheck<T>() where T : IFloatingPointIeee754<T> => (t, a, b, got, scalar, i) =>
    {
        t.Ulps(got, reference(double.CreateTruncating(a), double.CreateTruncating(b)), 0, false, "vs reference", a, b, i);
        t.Ulps(got, scalar, 0, false, "vs scalar path", a, b, i);
    };

    private BinaryCheck<T, bool> IntegerCheck<T>() where T : IBinaryInteger<T> => (t, a, b, got, scalar, i) =>
    {
        t.Ulps(got, integer(long.CreateTruncating(a), long.CreateTruncating(b)), 0, false, "vs reference", a, b, i);
        t.Ulps(got, scalar, 0, false, "vs scalar path", a, b, i);
    };
}
