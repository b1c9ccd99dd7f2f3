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
