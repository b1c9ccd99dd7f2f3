using SharpGrad.Tests.Support;

namespace SharpGrad.Tests;

public static partial class OpTable
{
    /// <summary>Row 0 has one zero, row 1 two zeros, row 2 none: multiplying by it puts exact zeros into prod's input.</summary>
    private static Tensor ZeroPattern() => Torch.Tensor(new double[,] { { 1, 0, 1, 1 }, { 0, 1, 0, 1 }, { 1, 1, 1, 1 } });

    private static IEnumerable<OpRow> ReductionsRows() =>
    [
        new("max", x => x[0].Max(), [[3, 4]]),
        new("min", x => x[0].Min(), [[3, 4]]),
        new("max_dim", x => x[0].Max(1).Values, [[3, 4]]),
        new("min_dim_keepdim", x => x[0].Min(0, keepDim: true).Values, [[3, 4]]),
        new("max_dim_3d", x => x[0].Max(-2).Values, [[2, 3, 4]]),
        new("logsumexp", x => x[0].LogSumExp(1), [[3, 4]]),
        new("logsumexp_dims_keepdim", x => x[0].LogSumExp([0, 2], keepDim: true), [[2, 3, 4]]),
        new("norm", x => x[0].Norm(), [[3, 4]]),
        new("norm_p1", x => x[0].Norm(1), [[3, 4]]),
        new("norm_inf_dim", x => x[0].Norm(double.PositiveInfinity, 1), [[3, 4]]),
        new("norm_ninf", x => x[0].Norm(double.NegativeInfinity), [[3, 4]]),
        new("norm_inf_all", x => x[0].Norm(double.PositiveInfinity), [[3, 4]]),
        new("norm_p3_keepdim", x => x[0].Norm(3, 1, keepDim: true), [[3, 4]]),
        new("norm_p1_5_dims", x => x[0].Norm(1.5, [0]), [[3, 4]]),
        new("norm_p0_5", x => x[0].Norm(0.5, 1), [[3, 4]], Lo: 0.2, Hi: 2),
        new("norm_pneg1", x => x[0].Norm(-1, 1), [[3, 4]], Lo: 0.5, Hi: 2),
        new("norm_p0", x => x[0].Norm(0), [[3, 4]]),
        // A zero row is the 2-norm's kink: PyTorch's first derivative there is 0 but its second is NaN.
        new("norm_zero_row", x => (x[0] * ZeroPattern().Prod(1, keepDim: true)).Norm(2, 1), [[3, 4]], SecondOrder: false),
        new("linalg_vector_norm", x => Torch.Linalg.VectorNorm(x[0], 2, [1]), [[3, 4]]),
        new("prod", x => x[0].Prod(), [[3, 4]], Lo: 0.5, Hi: 1.5),
        new("prod_dim", x => x[0].Prod(1), [[3, 4]], Lo: 0.5, Hi: 1.5),
        new("prod_dim_zeros", x => (x[0] * ZeroPattern()).Prod(1, keepDim: true), [[3, 4]], Lo: 0.5, Hi: 1.5),
        new("prod_one_zero", x => (x[0] * Torch.Tensor(new double[] { 1, 1, 0, 1 })).Prod(), [[4]], Lo: 0.5, Hi: 1.5),
        new("var", x => x[0].Var(), [[3, 4]]),
        new("var_dim", x => x[0].Var(1), [[3, 4]]),
        new("var_dims_biased_keepdim", x => x[0].Var([0, 2], unbiased: false, keepDim: true), [[2, 3, 4]]),
        new("var_correction", x => x[0].Var(null, correction: 2), [[3, 4]]),
        new("std", x => x[0].Std(), [[3, 4]]),
        new("std_dim_keepdim", x => x[0].Std(1, keepDim: true), [[3, 4]]),
    ];
}
