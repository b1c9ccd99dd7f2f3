using SharpGrad.Tests.Support;
using F = SharpGrad.Torch.NN.Functional;
using L = SharpGrad.Tests.Support.Layouts.Layout;

namespace SharpGrad.Tests;

public static partial class OpTable
{
    // Properties, not fields: OpTable.All (another part of this class) may be initialised first.

    /// <summary>Layouts for two-operand losses that need equal shapes (Broadcast drops the target's batch dim).</summary>
    private static L[] SameShapeLayouts => [L.Contiguous, L.Transposed, L.Sliced, L.Expanded];

    /// <summary>
    /// Layouts for double-backward rows: the Expanded layout expands the leaves under the gradchecker's
    /// no-grad mode, outside <see cref="GradOf"/>, so the loss would not require grad.
    /// </summary>
    private static L[] LeafLayouts => [L.Contiguous, L.Transposed, L.Sliced];

    private static Tensor Longs(params long[] values) => Torch.Tensor(values);

    /// <summary>The gradient of <paramref name="loss"/> with respect to <paramref name="wrt"/>, itself differentiable (for double-backward rows).</summary>
    private static Tensor GradOf(Func<Tensor> loss, Tensor wrt) =>
        Torch.EnableGrad(() => Torch.Autograd.Grad([loss()], [wrt], createGraph: true)[0]!);

    private static IEnumerable<OpRow> FunctionalRows() =>
    [
        new("softmax", x => F.Softmax(x[0], 1), [[3, 4]]),
        new("softmax_dim0_3d", x => F.Softmax(x[0], 1), [[2, 3, 2]]),
        new("log_softmax", x => F.LogSoftmax(x[0], -1), [[3, 4]]),
        new("log_softmax_dim0", x => x[0].LogSoftmax(0), [[3, 4]]),
        new("softmax_double_backward", x => GradOf(() => (F.Softmax(x[0], 1) * Torch.Arange(4.0)).Sum(), x[0]), [[3, 4]],
            Layouts: LeafLayouts),
        new("nll_loss_mean_weight_ignore", x => F.NllLoss(x[0], Longs(1, -100, 3), Torch.Tensor(new[] { 1.0, 2.0, 0.5, 1.5 })), [[3, 4]]),
        new("nll_loss_sum", x => F.NllLoss(x[0], Longs(1, 0, 3), reduction: "sum"), [[3, 4]]),
        new("nll_loss_none", x => F.NllLoss(x[0], Longs(1, 0, 3), reduction: "none"), [[3, 4]]),
        new("nll_loss_1d", x => F.NllLoss(x[0], Torch.Tensor(2L)), [[4]]),
        new("nll_loss_3d_none", x => F.NllLoss(x[0], Longs(0, 2, 1, 1).View(2, 2), reduction: "none"), [[2, 3, 2]]),
        new("nll_loss2d_mean", x => F.NllLoss(x[0], Longs(0, 2, 1, -100).View(2, 1, 2)), [[2, 3, 1, 2]]),
        new("cross_entropy", x => F.CrossEntropy(x[0], Longs(1, 0, 3)), [[3, 4]]),
        new("cross_entropy_ls_ignore", x => F.CrossEntropy(x[0], Longs(1, -100, 3), labelSmoothing: 0.2), [[3, 4]]),
        new("cross_entropy_ls_weight_sum", x => F.CrossEntropy(x[0], Longs(1, 2, 3), Torch.Tensor(new[] { 1.0, 2.0, 0.5, 1.5 }),
            reduction: "sum", labelSmoothing: 0.1), [[3, 4]]),
        new("cross_entropy_ls_weight_mean", x => F.CrossEntropy(x[0], Longs(1, 2, 3), Torch.Tensor(new[] { 1.0, 2.0, 0.5, 1.5 }),
            labelSmoothing: 0.1), [[3, 4]]),
        new("cross_entropy_prob", x => F.CrossEntropy(x[0], x[1]), [[3, 4], [3, 4]], Layouts: SameShapeLayouts),
        new("cross_entropy_prob_ls_weight_none", x => F.CrossEntropy(x[0], x[1], Torch.Tensor(new[] { 1.0, 2.0, 0.5, 1.5 }),
            reduction: "none", labelSmoothing: 0.3), [[3, 4], [3, 4]], Layouts: SameShapeLayouts),
        new("cross_entropy_ls_double_backward", x => GradOf(() => F.CrossEntropy(x[0], Longs(1, -100, 3), labelSmoothing: 0.2), x[0]),
            [[3, 4]], Layouts: LeafLayouts),
        // A differentiable grad_output makes the backward of MaskedSelectBackward0 record MaskedScatterBackward0.
        new("cross_entropy_ls_grad_output", x => Torch.EnableGrad(() => Torch.Autograd.Grad(
            [F.CrossEntropy(x[0], Longs(1, -100, 3), labelSmoothing: 0.2)], [x[0]], [x[1]], createGraph: true)[0]!),
            [[3, 4], []], Layouts: LeafLayouts),
        new("bce_with_logits", x => F.BinaryCrossEntropyWithLogits(x[0], x[1]), [[2, 3], [2, 3]], Lo: 0.05, Hi: 0.95,
            Layouts: SameShapeLayouts),
        new("bce_with_logits_weights_none", x => F.BinaryCrossEntropyWithLogits(x[0] * 4 - 2, x[1], Torch.Tensor(new[] { 1.0, 2.0, 0.5 }),
            reduction: "none", posWeight: Torch.Tensor(new[] { 0.5, 2.0, 3.0 })), [[2, 3], [2, 3]], Lo: 0.05, Hi: 0.95, Layouts: SameShapeLayouts),
        new("bce_with_logits_target_double_backward", x => GradOf(() => F.BinaryCrossEntropyWithLogits(x[0], x[1],
            posWeight: Torch.Tensor(new[] { 0.5, 2.0, 3.0 }), reduction: "sum"), x[1]), [[2, 3], [2, 3]], Lo: 0.05, Hi: 0.95,
            Layouts: LeafLayouts),
        new("mse_loss", x => F.MseLoss(x[0], x[1]), [[3, 4], [3, 4]], Layouts: SameShapeLayouts),
        new("mse_loss_none", x => F.MseLoss(x[0], x[1], reduction: "none"), [[3, 4], [3, 4]], Layouts: SameShapeLayouts),
    ];
}
