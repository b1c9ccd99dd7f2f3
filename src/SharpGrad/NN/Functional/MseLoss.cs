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
            /// Mean squared error <c>loss = (input - target)^2</c>, reduced, <c>torch.nn.functional.mse_loss</c>.
            /// </summary>
            /// <remarks>
            /// Computes in the promoted dtype of the operands (floating point only). Differentiable with
            /// respect to both. Operands of different shapes are broadcast after PyTorch's UserWarning
            /// (sent once per message to <see cref="WarningSink"/>). Node <c>MseLossBackward0</c>.
            /// </remarks>
            public static TensorT MseLoss(TensorT input, TensorT target, string reduction = "mean")
            {
                using var scope = Profiler.Op("aten::mse_loss", input, target);
                if (!ShapeUtil.SameShape(input.Sizes, target.Sizes))
                {
                    string message =
                        $"UserWarning: Using a target size ({TorchSize(target.Sizes)}) that is different to the input size ({TorchSize(input.Sizes)}). " +
                        "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.";
                    WarnOnce(message);
                    // torch.broadcast_tensors: expanded views.
                    var shape = ShapeUtil.Broadcast(input.Sizes, target.Sizes);
                    input = input.Expand(shape);
                    target = target.Expand(shape);
                }
                var red = ParseReduction(reduction);
                var dtype = TypePromotion.ResultType(input, target);
                if (!dtype.IsFloatingPoint()) throw Dispatch.Unsupported("mse_cpu", dtype);

                var loss = Alloc(dtype, input.Sizes);
                if (dtype == DType.Float32) Run<float>();
                else Run<double>();
                var result = ReduceRaw(loss, red);
                if (Graph.NeedsGrad(input, target))
                {
                    var node = new MseLossBackward0(red, input.Numel);
                    node.Init(input, target);
                    Graph.Record(node, result, input, target);
                }
                return result;

                void Run<T>() where T : IFloatingPointIeee754<T> =>
                    LossKernels.SquaredError<T>(Dense<T>(input, input.Sizes, dtype), Dense<T>(target, input.Sizes, dtype), loss.Storage.As<T>());
            }
        }
    }
}

/// <summary>
/// The backward of mse_loss: <c>input: grad * norm * (input - target)</c>, <c>target: -that</c>, with
/// <c>norm = 2 / numel</c> for "mean" and 2 otherwise. Tensor ops, so double backward records itself.
/// </summary>
internal sealed class MseLossBackward0(Torch.NN.Functional.Reduction reduction, int numel) : SingleOutputNode
{
    private SavedTensor? _self, _target;

    public override string Name => "MseLossBackward0";

    public void Init(Tensor self, Tensor target)
    {
        _self = Save(self);
        _target = Save(target);
    }

    protected override Tensor?[] Backward(Tensor grad)
    {
        double norm = reduction == Torch.NN.Functional.Reduction.Mean ? 2.0 / numel : 2.0;
        var gradInput = (_self!.Unpack() - _target!.Unpack()) * norm * grad;
        return [NextEdges[0].IsValid ? gradInput : null, NextEdges[1].IsValid ? -gradInput : null];
    }
}
