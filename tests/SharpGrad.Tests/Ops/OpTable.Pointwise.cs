using SharpGrad.Tests.Support;

namespace SharpGrad.Tests;

public static partial class OpTable
{
    private static Tensor Mask(int[] shape) =>
        Torch.Tensor<bool>(Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(i => i % 3 != 1).ToArray(), shape);

    private static IEnumerable<OpRow> PointwiseRows() =>
    [
        new("sqrt", x => x[0].Sqrt(), [[3, 4]], Lo: 0.5, Hi: 2),
        new("rsqrt", x => x[0].Rsqrt(), [[3, 4]], Lo: 0.5, Hi: 2),
        new("log", x => x[0].Log(), [[3, 4]], Lo: 0.5, Hi: 2),
        new("sin", x => x[0].Sin(), [[3, 4]]),
        new("cos", x => x[0].Cos(), [[3, 4]]),
        new("tanh", x => x[0].Tanh(), [[3, 4]]),
        new("sigmoid", x => x[0].Sigmoid(), [[3, 4]]),
        new("relu", x => x[0].Relu(), [[3, 4]]),
        new("abs", x => x[0].Abs(), [[3, 4]]),
        new("sign", x => x[0].Sign() + x[0], [[3, 4]]),
        new("square", x => x[0].Square(), [[3, 4]]),
        new("log1p", x => x[0].Log1p(), [[3, 4]], Lo: -0.5, Hi: 2),
        new("expm1", x => x[0].Expm1(), [[3, 4]]),
        new("floor", x => x[0].Floor() + x[0], [[3, 4]]),
        new("ceil", x => x[0].Ceil() + x[0], [[3, 4]]),
        new("round", x => x[0].Round() + x[0], [[3, 4]]),
        new("clamp", x => x[0].Clamp(-1, 1), [[3, 4]]),
        new("clamp_min_only", x => x[0].Clamp(min: 0.5), [[3, 4]]),
        new("clamp_tensor", x => x[0].Clamp(x[1] - 1, x[2] + 1), [[3, 4], [3, 4], [3, 4]], Lo: -1, Hi: 1),
        new("clamp_tensor_max", x => x[0].Clamp(null, x[1]), [[3, 4], [3, 4]]),
        new("clamp_min", x => x[0].ClampMin(-0.5), [[3, 4]]),
        new("clamp_max", x => x[0].ClampMax(0.5), [[3, 4]]),
        new("maximum", x => x[0].Maximum(x[1]), [[3, 4], [3, 4]]),
        new("minimum", x => x[0].Minimum(x[1]), [[3, 4], [3, 4]]),
        new("where", x => Torch.Where(Mask([3, 4]), x[0], x[1]), [[3, 4], [3, 4]]),
        new("where_scalar", x => x[0].Where(Mask([3, 4]), 2.5), [[3, 4]]),
        new("pow_scalar", x => x[0].Pow(3), [[3, 4]]),
        new("pow_scalar_fraction", x => x[0].Pow(2.5), [[3, 4]], Lo: 0.5, Hi: 2),
        new("pow_tensor", x => x[0].Pow(x[1]), [[3, 4], [3, 4]], Lo: 0.5, Hi: 2),
        new("pow_scalar_base", x => Torch.Pow(2.5, x[0]), [[3, 4]]),
    ];
}
