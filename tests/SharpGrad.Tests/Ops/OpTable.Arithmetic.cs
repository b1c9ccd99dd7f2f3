using SharpGrad.Tests.Support;

namespace SharpGrad.Tests;

public static partial class OpTable
{
    private static IEnumerable<OpRow> ArithmeticRows() =>
    [
        new("add", x => x[0] + x[1], [[3, 4], [3, 4]]),
        new("add_alpha", x => x[0].Add(x[1], alpha: 2.5), [[3, 4], [3, 4]]),
        new("add_scalar", x => x[0] + 2, [[3, 4]]),
        new("sub", x => x[0] - x[1], [[3, 4], [3, 4]]),
        new("sub_alpha", x => x[0].Sub(x[1], alpha: 0.5), [[3, 4], [3, 4]]),
        new("rsub", x => 2 - x[0], [[3, 4]]),
        new("mul", x => x[0] * x[1], [[3, 4], [3, 4]]),
        new("mul_scalar", x => x[0] * 2.5, [[3, 4]]),
        new("div", x => x[0] / x[1], [[3, 4], [3, 4]], Lo: 0.5, Hi: 2),
        new("rdiv", x => 3 / x[0], [[3, 4]], Lo: 0.5, Hi: 2),
        new("neg", x => -x[0], [[3, 4]]),
        new("reciprocal", x => x[0].Reciprocal(), [[3, 4]], Lo: 0.5, Hi: 2),
        new("exp", x => x[0].Exp(), [[3, 4]]),
        new("clone", x => x[0].Clone(), [[3, 4]]),
        new("sum", x => x[0].Sum(), [[3, 4]]),
        new("sum_dim", x => x[0].Sum(1), [[3, 4]]),
        new("sum_dims_keepdim", x => x[0].Sum([0, 1], keepDim: true), [[2, 3, 4]]),
        new("mean", x => x[0].Mean(), [[3, 4]]),
        new("mean_dim", x => x[0].Mean(-1, keepDim: true), [[3, 4]]),
        new("view", x => x[0].View(4, 3) * 2, [[3, 4]], Layouts: [Layouts.Layout.Contiguous, Layouts.Layout.Broadcast]),
        new("reshape", x => x[0].Reshape(-1), [[3, 4]]),
        new("expand", x => x[0].Expand(2, 3, 4), [[3, 4]]),
        new("sum_to_size", x => x[0].SumToSize(1, 4), [[3, 4]]),
    ];
}
