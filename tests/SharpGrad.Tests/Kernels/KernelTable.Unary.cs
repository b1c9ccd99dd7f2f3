using SharpGrad.Kernels;

namespace SharpGrad.Tests.Kernels;

internal static partial class KernelTable
{
    // Unary rows. References are double precision System.Math with PyTorch's special-value
    // semantics (checked against torch 1.13: exp(-inf) = 0, sqrt(-0) = -0, log(-0) = -inf,
    // log1p(-1) = -inf, expm1(-inf) = -1, tanh(-0) = -0, relu(-0) = -0, abs(-0) = 0, sign(NaN) = 0,
    // sign(-0) = 0, round half to even...). A float32 result is the double reference rounded once;
    // float32 ops that compute in double (Note [Float32 accuracy]) are then exact except in rare
    // double-rounding cases, hence a 1-ulp float tolerance on those.
    private static IEnumerable<KernelRow> UnaryRows() =>
    [
        // TensorPrimitives.Exp is within 2 ulps (float32, and float64 on its Vector128 path, as
        // with DOTNET_EnableAVX2=0); MathF/Math.Exp within 1, so span and scalar differ by up to 2.
        new UnaryFloatRow<ExpOp>(Math.Exp, new(Float: 2, Double: 2, Scalar: 2), -100, 100, Small),
        // 1/x is one IEEE division: exact.
        new UnaryFloatRow<ReciprocalOp>(x => 1 / x, Tol.Exact),
        new UnaryFloatRow<SqrtOp>(Math.Sqrt, Tol.Exact, 0, 100),
        // float64 rsqrt is 1 / sqrt(x): two roundings, and the reference's two roundings.
        new UnaryFloatRow<RsqrtOp>(x => 1 / Math.Sqrt(x), new(Float: 1, Double: 2, Scalar: 1), 0, 100),
        // TensorPrimitives.Log in float64 is within 2 ulps.
        new UnaryFloatRow<LogOp>(Math.Log, new(Float: 1, Double: 2, Scalar: 2), 0, 100, NearOne),
        new UnaryFloatRow<SinOp>(Math.Sin, new(Float: 1, Double: 1, Scalar: 1), -10, 10, NearZeros),
        new UnaryFloatRow<CosOp>(Math.Cos, new(Float: 1, Double: 1, Scalar: 1), -10, 10, NearZeros),
        new UnaryFloatRow<TanhOp>(Math.Tanh, new(Float: 1, Double: 1, Scalar: 1), -5, 5, Small),
        // float64: TensorPrimitives.Sigmoid and 1 / (1 + exp(-x)) each within about an ulp.
        new UnaryFloatRow<SigmoidOp>(x => 1 / (1 + Math.Exp(-x)), new(Float: 1, Double: 2, Scalar: 2), -20, 20, Small),
        // Kahan's log1p/expm1 are a few ulps from correctly rounded in float64; the references
        // (Log1p, Expm1 below) are within about 2 ulps.
        new UnaryFloatRow<Log1pOp>(Log1p, new(Float: 1, Double: 4), -1, 3, Small),
        // log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)), stable at both ends.
        new UnaryFloatRow<LogSigmoidOp>(x => Math.Min(x, 0) - Log1p(Math.Exp(-Math.Abs(x))), new(Float: 1, Double: 4, Scalar: 4), -20, 20, Small),
        new UnaryFloatRow<Expm1Op>(Expm1, new(Float: 1, Double: 4), -3, 3, Small),
        new UnaryFloatRow<FloorOp>(Math.Floor, Tol.Exact),
        new UnaryFloatRow<CeilOp>(Math.Ceiling, Tol.Exact),
        new UnaryFloatRow<RoundOp>(x => Math.Round(x, MidpointRounding.ToEven), Tol.Exact),
        // 1 / (x * x): two roundings in the op's dtype; a float32 x * x in the subnormal range keeps
        // fewer bits, so the result (near float.MaxValue) is further off there.
        new UnaryFloatRow<InverseSquareOp>(x => 1 / (x * x), new(Float: 2, Double: 1)),

        new UnaryNumberRow<NegOp>(x => -x, x => -x, Tol.Exact),
        // relu(x) = x < 0 ? +0 : x: NaN and -0 pass through (torch.relu(-0.) is -0.).
        new UnaryNumberRow<ReluOp>(x => double.IsNaN(x) || x >= 0 ? x : 0.0, x => Math.Max(x, 0), Tol.Exact),
        // |x|; integer minimum values wrap to themselves, as in PyTorch.
        new UnaryNumberRow<AbsOp>(Math.Abs, x => x < 0 ? unchecked(-x) : x, Tol.Exact),
        new UnaryNumberRow<SignOp>(Sign, x => Math.Sign(x), Tol.Exact),
        // x * x is correctly rounded in every dtype.
        new UnaryNumberRow<SquareOp>(x => x * x, x => x * x, Tol.Exact),
        // (x * x) * x: two float32 roundings against the (almost) correctly rounded reference.
        new UnaryNumberRow<CubeOp>(x => x * x * x, x => x * x * x, new(Float: 1)),
    ];

    /// <summary>Inputs where cancellation would show: just off 1 (log).</summary>
    private static readonly double[] NearOne = [1 + 1e-3, 1 - 1e-3, 1 + 1e-6, 1 - 1e-6, 1 + 1e-9, 1 - 1e-9, 1 + 1e-12, 1 - 1e-12, 1 + 1e-15, 1 - 1e-15];

    /// <summary>Inputs near zeros of sin and cos (double-rounded multiples of pi/2, where the result is tiny).</summary>
    private static readonly double[] NearZeros = [Math.PI, -Math.PI, Math.PI / 2, -Math.PI / 2, 3 * Math.PI / 2, 2 * Math.PI, 10 * Math.PI, 1e-5, -1e-7];

    /// <summary>Small magnitudes down to 1e-30 (where formulas like 1 - 2 / (exp(2x) + 1) cancel).</summary>
    private static readonly double[] Small = [1e-3, -1e-3, 3e-5, -3e-5, 1e-7, -1e-7, 1e-9, -1e-9, 1e-12, -1e-12, 1e-20, -1e-20, 1e-30, -1e-30];

    /// <summary>sign(x), 0 for NaN and for both zeros (+0), as torch.sign.</summary>
    private static double Sign(double x) => double.IsNaN(x) ? 0 : Math.Sign(x);

    /// <summary>
    /// log(1 + x) without Kahan's trick: 1 + x is exact for x in [-1, -0.5] (Sterbenz); for
    /// |x| &lt; 1 log1p(x) = 2 atanh(x / (2 + x)), well conditioned; above, rounding 1 + x costs
    /// at most an ulp of the result.
    /// </summary>
    private static double Log1p(double x)
    {
        if (x >= -1 && x <= -0.5) return Math.Log(1 + x);
        if (Math.Abs(x) < 1) return 2 * Math.Atanh(x / (2 + x));
        return Math.Log(1 + x);
    }

    /// <summary>
    /// exp(x) - 1 without Kahan's trick: x itself below 2^-54 in magnitude, 2t / (1 - t) with
    /// t = tanh(x / 2) for |x| &lt; 1 (no cancellation), exp(x) - 1 beyond.
    /// </summary>
    private static double Expm1(double x)
    {
        if (Math.Abs(x) < 5e-17) return x;
        if (Math.Abs(x) < 1)
        {
            double t = Math.Tanh(x / 2);
            return 2 * t / (1 - t);
        }
        return Math.Exp(x) - 1;
    }
}
