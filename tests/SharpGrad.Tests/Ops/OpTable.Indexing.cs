using SharpGrad.Tests.Support;
using F = SharpGrad.Torch.NN.Functional;

namespace SharpGrad.Tests;

public static partial class OpTable
{
    /// <summary>A constant 3x4 Bool mask with five true entries.</summary>
    private static Tensor Mask34() => Torch.Tensor(new[,] { { true, false, true, false }, { false, false, true, true }, { true, false, false, false } });

    /// <summary>A constant 2x3x4 Bool mask (broadcasting a 3x4 operand up).</summary>
    private static Tensor Mask234() => Torch.Cat([Mask34().Unsqueeze(0), Mask34().LogicalNot().Unsqueeze(0)]);

    private static Tensor Indices(params long[] values) => Torch.Tensor(values);

    private static IEnumerable<OpRow> IndexingRows() =>
    [
        new("masked_fill", x => x[0].MaskedFill(Mask34(), -1.5), [[3, 4]]),
        new("masked_fill_broadcast_mask", x => x[0].MaskedFill(Mask234(), 2), [[3, 4]]),
        new("masked_select", x => x[0].MaskedSelect(Mask34()), [[3, 4]]),
        new("masked_select_broadcast_mask", x => x[0].MaskedSelect(Mask234()), [[3, 4]]),
        new("masked_scatter", x => x[0].MaskedScatter(Mask34(), x[1]), [[3, 4], [7]]),
        new("masked_scatter_broadcast", x => x[0].MaskedScatter(Mask234(), x[1]), [[3, 4], [2, 3, 4]]),
        new("index_put", x => x[0].IndexPut([Indices(2, 0)], x[1]), [[3, 4], [2, 4]]),
        new("index_put_accumulate", x => x[0].IndexPut([Indices(2, 0, 2)], x[1], accumulate: true), [[3, 4], [3, 4]]),
        new("index_put_mask", x => x[0].IndexPut([Torch.Tensor(new[] { true, false, true })], x[1]), [[3, 4], [2, 4]]),
        new("index_put_two_indices", x => x[0].IndexPut([Indices(0, 2, -1), Indices(1, 3, 0)], x[1]), [[3, 4], [3]]),
        new("index_put_mask_fill", x => x[0].IndexPut([Mask34()], x[1]), [[3, 4], []]),
        new("index", x => x[0].Index(Indices(2, 0, 2)), [[3, 4]]),
        new("index_mask", x => x[0].Index(Mask34()), [[3, 4]]),
        new("index_broadcast", x => x[0].Index(Indices(0, 2).View(2, 1), Indices(1, 3, -1)), [[3, 4]]),
        new("log_sigmoid", x => F.LogSigmoid(x[0]), [[3, 4]], Lo: -4, Hi: 4),
        new("mul_scalar_overload", x => x[0].MulScalar(2.5), [[3, 4]]),
        new("add_scalar_overload", x => x[0].AddScalar(1.5), [[3, 4]]),
        new("div_scalar_overload", x => x[0].DivScalar(4), [[3, 4]]),
    ];
}
