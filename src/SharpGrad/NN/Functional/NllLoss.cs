using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad;

public static partial class Torch
{
    public static partial class NN
    {
        public static partial class Functional
        {
            /// <summary>
            /// Negative log likelihood: <c>loss[n] = -weight[t[n]] * input[n, t[n]]</c>, reduced,
            /// <c>torch.nn.functional.nll_loss</c>.
            /// </summary>
            /// <remarks>
            /// <paramref name="input"/> is (C), (N, C) or (N, C, d1, ...) log-probabilities and
            /// <paramref name="target"/> holds Int64 class indices of shape (), (N) or (N, d1, ...).
            /// Targets equal to <paramref name="ignoreIndex"/> contribute 0 and no weight. "mean" divides by
            /// the sum of the weights of the non-ignored targets (NaN when there are none), "sum" adds,
            /// "none" keeps one value per target. Not differentiable with respect to
            /// <paramref name="weight"/>. Nodes: <c>NllLossBackward0</c> for 1-D and 2-D input,
            /// <c>NllLoss2DBackward0</c> otherwise (3-D and 5-D+ input are viewed as 4-D, as PyTorch does).
            /// </remarks>
            public static Tensor NllLoss(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100,
                string reduction = "mean")
            {
                using var scope = Profiler.Op("aten::nll_loss_nd", input, target, weight);
                return NllLossNd(input, target, weight, ParseReduction(reduction), ignoreIndex);
            }

            /// <summary>PyTorch's <c>nll_loss_nd</c>: routes by input rank.</summary>
            internal static Tensor NllLossNd(Tensor input, Tensor target, Tensor? weight, Reduction reduction, long ignoreIndex)
            {
                if (input.Dim < 1) throw new ArgumentException($"Expected 1 or more dimensions (got {input.Dim})");
                // A 0-dim target has no batch size; PyTorch reads past its sizes and reports 0 there.
                int targetBatch = target.Dim > 0 ? target.Sizes[0] : 0;
                if (input.Dim != 1 && input.Sizes[0] != targetBatch)
                    throw new ArgumentException($"Expected input batch_size ({input.Sizes[0]}) to match target batch_size ({targetBatch}).");
                if (input.Dim <= 2) return NllLoss1d2d(input, target, weight, reduction, ignoreIndex);
                if (input.Dim == 4) return NllLoss2d(input, target, weight, reduction, ignoreIndex);

                // 3-D or 5-D and more: view as (N, C, 1, -1) and run the 2-D (spatial) loss.
                int n = input.Sizes[0], c = input.Sizes[1];
                int[] outSize = [n, .. input.Sizes[2..]];
                if (!(target.Dim > 0 ? target.Sizes.AsSpan(1) : []).SequenceEqual(input.Sizes.AsSpan(2)))
                    throw new InvalidOperationException($"Expected target size {ShapeUtil.Format(outSize)}, got {ShapeUtil.Format(target.Sizes)}");
                var input4 = input.Contiguous();
                var target3 = target.Contiguous();
                input4 = input4.Numel > 0 ? input4.View(n, c, 1, -1) : input4.View(n, c, 0, 0);
                target3 = target3.Numel > 0 ? target3.View(n, 1, -1) : target3.View(n, 0, 0);
                var result = NllLoss2d(input4, target3, weight, reduction, ignoreIndex);
                return reduction == Reduction.None ? result.View(outSize) : result;
            }

            /// <summary>PyTorch's <c>nll_loss_forward</c> for (C) and (N, C) input.</summary>
            private static Tensor NllLoss1d2d(Tensor input, Tensor target, Tensor? weight, Reduction reduction, long ignoreIndex)
            {
                CheckNoRequiresGrad(weight, "weight", "nll_loss_forward");
                if (target.Dim > 1)
                    throw new InvalidOperationException("0D or 1D target tensor expected, multi-target not supported");
                bool noBatchDim = input.Dim == 1 && target.Dim == 0;
                if (!noBatchDim && input.Sizes[0] != (target.Dim > 0 ? target.Sizes[0] : 0))
                    throw new InvalidOperationException(
                        $"size mismatch (got input: {ShapeUtil.Format(input.Sizes)}, target: {ShapeUtil.Format(target.Sizes)})");
                int classes = input.Sizes[^1];
                if (weight is not null && (weight.Dim != 1 || weight.Numel != classes))
                    throw new InvalidOperationException(
                        $"weight tensor should be defined either for all {classes} classes or no classes but got weight tensor of shape: {ShapeUtil.Format(weight.Sizes)}");
                // PyTorch's quirk: a 1-D input always reduces to a scalar and reads only the first target.
                bool perTarget = reduction == Reduction.None && input.Dim == 2;
                int batch = input.Dim == 1 ? 1 : input.Sizes[0];
                return NllLossCore(input, target, weight, reduction, ignoreIndex, "nll_loss_out_frame",
                    batch, classes, spatial: 1, perTarget ? [batch] : [], twoD: false);
            }

            /// <summary>PyTorch's <c>nll_loss2d_forward</c> for (N, C, H, W) input and (N, H, W) target.</summary>
            private static Tensor NllLoss2d(Tensor input, Tensor target, Tensor? weight, Reduction reduction, long ignoreIndex)
            {
                CheckNoRequiresGrad(weight, "weight", "nll_loss2d_forward");
                if (target.Dim != 3)
                    throw new InvalidOperationException(
                        $"only batches of spatial targets supported (3D tensors) but got targets of dimension: {target.Dim}");
                if (weight is not null && weight.Numel != input.Sizes[1])
                    throw new InvalidOperationException("weight tensor should be defined either for all or no classes");
                if (input.Sizes[0] != target.Sizes[0] || input.Sizes[2] != target.Sizes[1] || input.Sizes[3] != target.Sizes[2])
                    throw new InvalidOperationException(
                        $"size mismatch (got input: {ShapeUtil.Format(input.Sizes)} , target: {ShapeUtil.Format(target.Sizes)}");
                int[] perTargetShape = reduction == Reduction.None ? target.Shape : [];
                return NllLossCore(input, target, weight, reduction, ignoreIndex, "nll_loss2d_forward_out_frame",
                    input.Sizes[0], input.Sizes[1], input.Sizes[2] * input.Sizes[3], perTargetShape, twoD: true);
            }

            /// <summary>
            /// The shared forward: dtype checks in PyTorch's order, the kernel, and the backward node.
            /// <paramref name="outShape"/> is the per-target output shape for "none", or [] for a scalar.
            /// </summary>
            private static Tensor NllLossCore(Tensor input, Tensor target, Tensor? weight, Reduction reduction, long ignoreIndex,
                string kernelName, int batch, int classes, int spatial, int[] outShape, bool twoD)
            {
                var dtype = input.DType;
                if (!dtype.IsFloatingPoint()) throw Dispatch.Unsupported(kernelName, dtype);
                if (weight is not null && weight.DType != dtype)
                    throw new InvalidOperationException($"expected scalar type {dtype.ScalarTypeName()} but found {weight.DType.ScalarTypeName()}");
                bool perTarget = outShape.Length > 0;
                // A reduced loss over no targets is NaN ("mean") or 0, decided before the targets are read.
                bool empty = !perTarget && target.Numel == 0;
                if (target.DType != DType.Int64 && !empty)
                    throw new InvalidOperationException($"expected scalar type Long but found {target.DType.ScalarTypeName()}");

                var result = Alloc(dtype, outShape);
                var coefficients = Graph.NeedsGrad(input) ? Alloc(dtype, input.Sizes) : null;
                if (empty) result.FillRaw(reduction == Reduction.Mean ? double.NaN : 0);
                else if (dtype == DType.Float32) Run<float>();
                else Run<double>();

                if (coefficients is not null)
                {
                    NllLossNode node = twoD ? new NllLoss2DBackward0() : new NllLossBackward0();
                    node.Init(input, target, weight, coefficients, perTarget ? GradShape(input.Sizes) : null);
                    Graph.Record(node, result, input);
                }
                return result;

                void Run<T>() where T : System.Numerics.IFloatingPointIeee754<T>
                {
                    var x = input.ContiguousData<T>();
                    var w = weight is null ? [] : weight.ContiguousData<T>();
                    var t = target.ContiguousData<long>();
                    int count = batch * spatial;
                    var losses = perTarget ? result.Storage.As<T>() : new T[count];
                    double totalWeight = LossKernels.NllLoss<T>(x, t, w, batch, classes, spatial, ignoreIndex, losses.AsSpan(0, count));
                    T divisor = T.One;
                    if (!perTarget)
                    {
                        double sum = 0;
                        for (int i = 0; i < count; i++) sum += double.CreateTruncating(losses[i]);
                        if (reduction == Reduction.Mean)
                        {
                            divisor = T.CreateTruncating(totalWeight);
                            sum /= totalWeight;
                        }
                        result.Storage.As<T>()[0] = T.CreateTruncating(sum);
                    }
                    if (coefficients is not null)
                        LossKernels.NllLossCoefficients<T>(t, w, batch, classes, spatial, ignoreIndex, divisor, coefficients.Storage.As<T>());
                }
            }

            /// <summary>The shape a per-target gradient is viewed as to broadcast over the class dim: (N, 1, d...).</summary>
            private static int[] GradShape(int[] inputSizes)
            {
                var shape = (int[])inputSizes.Clone();
                shape[1] = 1;
                return shape;
            }
        }
    }
}

/// <summary>
/// The backward of nll_loss: linear in the input, so <c>grad_input = grad * C</c> with the constant
/// <c>C[n, t, s] = -weight[t] / divisor</c> built by the forward kernel. Written as a Tensor op in
/// <c>grad</c>, so double backward records itself (and is zero with respect to the input).
/// </summary>
internal abstract class NllLossNode : SingleOutputNode
{
    private SavedTensor? _self, _target, _weight, _coefficients;
    private int[]? _gradShape;

    public void Init(Tensor self, Tensor target, Tensor? weight, Tensor coefficients, int[]? gradShape)
    {
        // self, target and weight are saved as PyTorch saves them, so in-place writes are detected.
        _self = Save(self);
        _target = Save(target);
        if (weight is not null) _weight = Save(weight);
        _coefficients = Save(coefficients);
        _gradShape = gradShape;
    }

    protected override Tensor?[] Backward(Tensor grad)
    {
        _self!.Unpack();
        _target!.Unpack();
        _weight?.Unpack();
        var g = _gradShape is null ? grad : grad.Reshape(_gradShape);
        return [g * _coefficients!.Unpack()];
    }
}

internal sealed class NllLossBackward0 : NllLossNode
{
    public override string Name => "NllLossBackward0";
}

internal sealed class NllLoss2DBackward0 : NllLossNode
{
    public override string Name => "NllLoss2DBackward0";
}
