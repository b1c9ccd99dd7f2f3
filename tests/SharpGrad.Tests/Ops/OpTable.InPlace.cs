using SharpGrad.Tests.Support;

namespace SharpGrad.Tests;

public static partial class OpTable
{
    /// <summary>In-place ops run on a fresh non-leaf copy (in-place on a leaf that requires grad is an error).</summary>
    private static Tensor Fresh(Tensor x) => x * 1;

    private static IEnumerable<OpRow> InPlaceRows() =>
    [
        new("add_", x => Fresh(x[0]).AddInPlace(x[1], alpha: 2), [[3, 4], [3, 4]]),
        new("sub_", x => Fresh(x[0]).SubInPlace(x[1]), [[3, 4], [3, 4]]),
        new("mul_", x => Fresh(x[0]).MulInPlace(x[1]), [[3, 4], [3, 4]]),
        new("div_", x => Fresh(x[0]).DivInPlace(x[1]), [[3, 4], [3, 4]], Lo: 0.5, Hi: 2),
        new("exp_", x => Fresh(x[0]).ExpInPlace(), [[3, 4]]),
        new("neg_", x => Fresh(x[0]).NegInPlace(), [[3, 4]]),
        new("zero_", x => Fresh(x[0]).ZeroInPlace() + x[0], [[3, 4]]),
        new("fill_", x => Fresh(x[0]).FillInPlace(2) * x[0], [[3, 4]]),
        new("copy_", x => Fresh(x[0]).CopyInPlace(x[1] * 2), [[3, 4], [3, 4]]),
        new("sqrt_", x => Fresh(x[0]).SqrtInPlace(), [[3, 4]], Lo: 0.5, Hi: 2),
        new("sin_", x => Fresh(x[0]).SinInPlace(), [[3, 4]]),
        new("log_", x => Fresh(x[0]).LogInPlace(), [[3, 4]], Lo: 0.5, Hi: 2),
        new("tanh_", x => Fresh(x[0]).TanhInPlace(), [[3, 4]]),
        new("sigmoid_", x => Fresh(x[0]).SigmoidInPlace(), [[3, 4]]),
        new("relu_", x => Fresh(x[0]).ReluInPlace(), [[3, 4]], Lo: 0.1, Hi: 2),
        new("abs_", x => Fresh(x[0]).AbsInPlace(), [[3, 4]], Lo: 0.1, Hi: 2),
        new("clamp_", x => Fresh(x[0]).ClampInPlace(-1, 1), [[3, 4]]),
        new("pow_scalar_", x => Fresh(x[0]).PowInPlace(3), [[3, 4]]),
        new("pow_tensor_", x => Fresh(x[0]).PowInPlace(x[1]), [[3, 4], [3, 4]], Lo: 0.5, Hi: 2),
        new("setitem_slice", x =>
        {
            var y = Fresh(x[0]);
            y[1.., ..2] = x[1][..2, ..2] * 3;
            return y;
        }, [[3, 4], [3, 4]], Layouts: NoBroadcast),
        new("setitem_then_read_sibling", x =>
        {
            var y = Fresh(x[0]);
            var row = y[0];
            y[.., 1] = x[1][.., 0].Exp();
            return row * y[2];
        }, [[3, 4], [3, 4]], Layouts: NoBroadcast),
        new("mul_through_view", x =>
        {
            var y = Fresh(x[0]);
            y.View(-1).MulInPlace(x[1].Reshape(-1));
            return y;
        }, [[3, 4], [3, 4]], Layouts: [Layouts.Layout.Contiguous, Layouts.Layout.Transposed, Layouts.Layout.Sliced]),
        new("sibling_view_after_write", x =>
        {
            var y = Fresh(x[0]);
            var v = y.View(-1);
            y.MulInPlace(x[0]);
            return v * 2;
        }, [[3, 4]]),
    ];
}
