using TensorT = SharpGrad.Tensor;

namespace SharpGrad;

public static partial class Torch
{
    public static partial class NN
    {
        public static partial class Functional
        {
            /// <summary>
            /// Cross entropy between logits and targets, <c>torch.nn.functional.cross_entropy</c>:
            /// <c>nll_loss(log_softmax(input, 1), target)</c> for class indices, or
            /// <c>-(target * log_softmax(input, 1)).sum(1)</c> for class probabilities, then reduced.
            /// </summary>
            /// <remarks>
            /// <paramref name="input"/> is (C), (N, C) or (N, C, d1, ...) unnormalised logits (class dim 1, or 0 for
            /// 1-D input). A <paramref name="target"/> of the same shape as the input holds class probabilities
            /// (floating point, differentiable); otherwise it holds Int64 class indices, with
            /// <paramref name="ignoreIndex"/> and <paramref name="weight"/> as in <see cref="NllLoss"/>.
            /// <paramref name="labelSmoothing"/> in (0, 1] mixes the target with the uniform distribution:
            /// <c>(1 - ε) * loss + ε / C * smooth_loss</c>. The graph is PyTorch's: class indices give
            /// <c>NllLossBackward0</c> (<c>AddBackward0</c> with label smoothing); probabilities give
            /// <c>DivBackward1</c> ("mean") or <c>NegBackward0</c>.
            /// </remarks>
            public static TensorT CrossEntropy(TensorT input, TensorT target, TensorT? weight = null, long ignoreIndex = -100,
                string reduction = "mean", double labelSmoothing = 0.0)
            {
                using var scope = Profiler.Op("aten::cross_entropy_loss", input, target, weight);
                var red = ParseReduction(reduction);
                if (ShapeUtil.SameShape(input.Sizes, target.Sizes))
                {
                    // Same shape: class probabilities.
                    if (!target.DType.IsFloatingPoint())
                        throw new InvalidOperationException(
                            $"Expected floating point type for target with class probabilities, got {target.DType.ScalarTypeName()}");
                    if (ignoreIndex >= 0)
                        throw new InvalidOperationException("ignore_index is not supported for floating point target");
                    return CrossEntropyProbabilities(input, target, weight, red, labelSmoothing);
                }
                int classDim = input.Dim == 1 ? 0 : 1;
                if (labelSmoothing > 0.0)
                {
                    CheckLabelSmoothing(labelSmoothing);
                    return CrossEntropyLabelSmoothing(input, target, weight, red, ignoreIndex, labelSmoothing);
                }
                return NllLossNd(input.LogSoftmax(classDim, input.DType), target, weight, red, ignoreIndex);
            }

            private static void CheckLabelSmoothing(double labelSmoothing)
            {
                if (labelSmoothing > 1.0)
                    throw new InvalidOperationException($"label_smoothing must be between 0.0 and 1.0. Got: {CppDouble(labelSmoothing)}");
            }

            /// <summary><c>weight</c> viewed as (1, C, 1, ...) to broadcast along the class dim of a rank-<paramref name="rank"/> tensor.</summary>
            private static TensorT ClassWeightView(TensorT weight, int rank, int classDim)
            {
                var shape = Enumerable.Repeat(1, rank).ToArray();
                shape[classDim] = weight.Sizes[0];
                return weight.View(shape);
            }

            /// <summary>PyTorch's <c>cross_entropy_loss_prob_target</c>: composite Tensor ops only.</summary>
            private static TensorT CrossEntropyProbabilities(TensorT input, TensorT target, TensorT? weight, Reduction reduction,
                double labelSmoothing)
            {
                int classDim = input.Dim == 1 ? 0 : 1;
                int classes = input.Size(classDim);
                if (weight is not null && (weight.Dim != 1 || weight.Numel != classes))
                    throw new InvalidOperationException(
                        $"cross_entropy: weight tensor should be defined either for all {classes} classes or no classes but got weight tensor of shape: {ShapeUtil.Format(weight.Sizes)}");
                var logp = input.LogSoftmax(classDim, input.DType);
                if (labelSmoothing > 0.0)
                {
                    CheckLabelSmoothing(labelSmoothing);
                    target = target.MulScalar(1 - labelSmoothing).AddScalar(labelSmoothing / classes);
                }
                var product = logp * target;
                if (weight is not null) product = product * (input.Dim > 1 ? ClassWeightView(weight, input.Dim, 1) : weight);
                return reduction switch
                {
                    // C++ integer division: the number of samples.
                    Reduction.Mean => (-product.Sum()).DivScalar(classes == 0 ? 0 : input.Numel / classes),
                    Reduction.Sum => -product.Sum(),
                    _ => -product.Sum(classDim),
                };
            }

            /// <summary>PyTorch's <c>cross_entropy_loss_label_smoothing</c> for class-index targets.</summary>
            private static TensorT CrossEntropyLabelSmoothing(TensorT input, TensorT target, TensorT? weight, Reduction reduction,
                long ignoreIndex, double labelSmoothing)
            {
                int classDim = input.Dim == 1 ? 0 : 1;
                var logp = input.LogSoftmax(classDim, input.DType);
                var nll = NllLossNd(logp, target, weight, reduction, ignoreIndex);
                int classes = logp.Size(classDim);

                var smooth = weight is not null
                    ? -(logp * ClassWeightView(weight, logp.Dim, classDim)).Sum(classDim)
                    : -logp.Sum(classDim);
                // nll_loss validated the targets: Int64, in range unless ignored, shaped like smooth.
                var ignored = target.Eq(ignoreIndex);
                smooth = smooth.IndexPut([ignored], Alloc(smooth.DType, []));

                TensorT ret;
                switch (reduction)
                {
                    case Reduction.Mean when weight is not null:
                    {
                        // Normalised by the weights of the non-ignored targets, as nll_loss is.
                        double total = 0;
                        var w = weight.To(DType.Float64).Detach().ContiguousData<double>();
                        var targets = target.Numel == 0 ? [] : target.ContiguousData<long>();
                        foreach (long t in targets) if (t != ignoreIndex) total += w[t];
                        var totalTensor = Alloc(weight.DType, []);
                        totalTensor.FillRaw(total);
                        ret = smooth.Sum() / totalTensor;
                        break;
                    }
                    case Reduction.Mean:
                        ret = smooth.MaskedSelect(ignored.LogicalNot()).Mean();
                        break;
                    case Reduction.Sum:
                        ret = smooth.Sum();
                        break;
                    default:
                        ret = smooth;
                        break;
                }
                return nll.MulScalar(1 - labelSmoothing) + ret.MulScalar(labelSmoothing / classes);
            }
        }
    }
}
