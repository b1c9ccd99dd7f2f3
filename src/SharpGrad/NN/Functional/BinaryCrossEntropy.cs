using System.Numerics;
using SharpGrad.Autograd;
using SharpGrad.Kernels;
using TensorT = SharpGrad.Tensor;

namespace SharpGrad;

public static partial class Torch
{
    public static partial class NN
    {
        public static partial class Functional
        {
            /// <summary>
            /// <c>loss = -w * [p * t * log(sigmoid(x)) + (1 - t) * log(1 - sigmoid(x))]</c>, reduced,
            /// <c>torch.nn.functional.binary_cross_entropy_with_logits</c>.
            /// </summary>
            /// <remarks>
            /// Computed in the stable log-sum-exp form <c>(1 - t) x + L (log(1 + exp(-x)))</c> with
            /// <c>L = 1 + (p - 1) t</c>, so logits of any magnitude are safe. <paramref name="target"/> must have the
            /// input's shape; <paramref name="weight"/> and <paramref name="posWeight"/> (p) broadcast to it and
            /// are not differentiable. Differentiable with respect to both input and target. The result has
            /// the target's dtype. Node <c>BinaryCrossEntropyWithLogitsBackward0</c>.
            /// </remarks>
            public static TensorT BinaryCrossEntropyWithLogits(TensorT input, TensorT target, TensorT? weight = null,
                string reduction = "mean", TensorT? posWeight = null)
            {
                using var scope = Profiler.Op("aten::binary_cross_entropy_with_logits", input, target, weight);
                if (!ShapeUtil.SameShape(input.Sizes, target.Sizes))
                    throw new ArgumentException($"Target size ({TorchSize(target.Sizes)}) must be the same as input size ({TorchSize(input.Sizes)})");
                var red = ParseReduction(reduction);
                CheckNoRequiresGrad(weight, "weight", "binary_cross_entropy_with_logits");
                CheckNoRequiresGrad(posWeight, "pos_weight", "binary_cross_entropy_with_logits");
                var dtype = CheckBceDTypes(input, target);
                int[] shape = input.Sizes;
                // Weights broadcast against the loss; PyTorch multiplies them in place, so they cannot grow it.
                if (posWeight is not null) CheckInPlaceBroadcast(shape, ShapeUtil.Broadcast(posWeight.Sizes, target.Sizes));
                if (weight is not null) CheckInPlaceBroadcast(shape, ShapeUtil.Broadcast(shape, weight.Sizes));

                // The softplus part is computed in the input's dtype (PyTorch's max_val is input-typed).
                var softplus = Alloc(input.DType, shape);
                if (input.DType == DType.Float32) LossKernels.SoftplusOfNegated<float>(Dense<float>(input, shape, input.DType), softplus.Storage.As<float>());
                else LossKernels.SoftplusOfNegated<double>(Dense<double>(input, shape, input.DType), softplus.Storage.As<double>());
                var loss = Alloc(dtype, shape);
                if (dtype == DType.Float32) Run<float>();
                else Run<double>();
                var result = ReduceRaw(loss, red);

                if (Graph.NeedsGrad(input, target))
                {
                    var node = new BinaryCrossEntropyWithLogitsBackward0(red, input.Numel);
                    node.Init(input, target, weight, posWeight);
                    Graph.Record(node, result, input, target);
                }
                return result;

                void Run<T>() where T : IFloatingPointIeee754<T>
                {
                    LossKernels.BinaryCrossEntropyWithLogits<T>(Dense<T>(input, shape, dtype), Dense<T>(target, shape, dtype),
                        Dense<T>(softplus, shape, dtype), weight is null ? [] : Dense<T>(weight, shape, dtype), posWeight is null ? [] : Dense<T>(posWeight, shape, dtype),
                        loss.Storage.As<T>());
                }
            }

            /// <summary>
            /// PyTorch computes the loss in a buffer of the target's dtype, with in-place ops that reject
            /// bool and integer operands; these are its errors, in its order.
            /// </summary>
            private static DType CheckBceDTypes(TensorT input, TensorT target)
            {
                if (input.DType == DType.Bool)
                    throw new InvalidOperationException("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
                if (target.DType == DType.Bool)
                    throw new InvalidOperationException("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.");
                // (1 - target).mul_(input) fails first for an integer target and a floating input ...
                var promoted = DTypeInfo.Promote(target.DType, input.DType);
                if (!target.DType.IsFloatingPoint() && promoted.IsFloatingPoint())
                    throw new InvalidOperationException($"result type {promoted.ScalarTypeName()} can't be cast to the desired output type {target.DType.ScalarTypeName()}");
                // ... then exp_() of the input-typed max(-input, 0) for an integer input.
                if (!input.DType.IsFloatingPoint())
                    throw new InvalidOperationException($"result type Float can't be cast to the desired output type {input.DType.ScalarTypeName()}");
                return target.DType;
            }

            private static void CheckInPlaceBroadcast(int[] output, int[] broadcast)
            {
                if (!ShapeUtil.SameShape(output, broadcast))
                    throw new InvalidOperationException(
                        $"output with shape {ShapeUtil.Format(output)} doesn't match the broadcast shape {ShapeUtil.Format(broadcast)}");
            }

            /// <summary><paramref name="t"/> broadcast to <paramref name="shape"/>, converted to <paramref name="dtype"/>, as a dense array.</summary>
            private static T[] Dense<T>(TensorT t, int[] shape, DType dtype)
            {
                var dense = Alloc(dtype, shape);
                Elementwise.Copy(t, dense);
                return dense.Storage.As<T>();
            }

            /// <summary>Reduces a fresh per-element loss without recording: the loss's own node covers it.</summary>
            internal static TensorT ReduceRaw(TensorT loss, Reduction reduction)
            {
                if (reduction == Reduction.None) return loss;
                var result = Alloc(loss.DType, []);
                double sum = 0;
                if (loss.DType == DType.Float32) foreach (var v in loss.Storage.As<float>()) sum += v;
                else foreach (var v in loss.Storage.As<double>()) sum += v;
                result.FillRaw(reduction == Reduction.Mean ? sum / loss.Numel : sum);
                return result;
            }
        }
    }
}

/// <summary>
/// The backward of binary_cross_entropy_with_logits, in Tensor ops. With s = sigmoid(x):
/// input: <c>grad * w * ((p t + 1 - t) s - p t)</c> (<c>grad * w * (s - t)</c> without p);
/// target: <c>grad * w * (log_sigmoid(-x) - p log_sigmoid(x))</c> (<c>-grad * w * x</c> without p);
/// both divided by numel for "mean".
/// </summary>
internal sealed class BinaryCrossEntropyWithLogitsBackward0(Torch.NN.Functional.Reduction reduction, int numel) : SingleOutputNode
{
    private SavedTensor? _self, _target, _weight, _posWeight;

    public override string Name => "BinaryCrossEntropyWithLogitsBackward0";

    public void Init(Tensor self, Tensor target, Tensor? weight, Tensor? posWeight)
    {
        _self = Save(self);
        _target = Save(target);
        if (weight is not null) _weight = Save(weight);
        if (posWeight is not null) _posWeight = Save(posWeight);
    }

    protected override Tensor?[] Backward(Tensor grad)
    {
        var x = _self!.Unpack();
        var t = _target!.Unpack();
        var w = _weight?.Unpack();
        var p = _posWeight?.Unpack();
        Tensor? gradInput = null, gradTarget = null;
        if (NextEdges[0].IsValid)
        {
            var s = x.Sigmoid();
            if (p is null) gradInput = (s - t) * grad;
            else
            {
                var pt = p * t;
                gradInput = ((pt.AddScalar(1) - t) * s - pt) * grad; // PyTorch: t.add(1) in C++ (AddBackward1)
            }
            gradInput = Finish(gradInput, w);
        }
        if (NextEdges[1].IsValid)
            gradTarget = Finish((p is null ? -x : LogSigmoid(-x) - LogSigmoid(x) * p) * grad, w);
        return [gradInput, gradTarget];
    }

    // Weighted, then averaged, in PyTorch's order (its C++ div_(numel) records DivBackward1).
    private Tensor Finish(Tensor g, Tensor? w)
    {
        if (w is not null) g = g * w;
        return reduction == Torch.NN.Functional.Reduction.Mean ? g.DivScalar(numel) : g;
    }

    private static Tensor LogSigmoid(Tensor x) => Torch.NN.Functional.LogSigmoid(x);
}
