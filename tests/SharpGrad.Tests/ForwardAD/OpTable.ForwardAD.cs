using SharpGrad.Autograd;
using SharpGrad.Tests.Support;

namespace SharpGrad.Tests;

public static partial class OpTable
{
    /// <summary>Runs <paramref name="f"/> inside a dual level, entering one unless the caller already has.</summary>
    private static Tensor InDualLevel(Func<Tensor> f)
    {
        if (ForwardGrad.Entered is not null) return f();
        using var level = Torch.Autograd.ForwardAD.DualLevel();
        return f();
    }

    private static IEnumerable<OpRow> ForwardADRows() =>
    [
        // UnpackDual's primal is backward-differentiable (node Identity).
        new("unpack_dual", x => InDualLevel(() => Torch.Autograd.ForwardAD.UnpackDual(x[0]).Primal * 2), [[3, 4]]),
    ];
}
