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
            /// <c>out = log(1 / (1 + exp(-x))) = min(x, 0) - log1p(exp(-|x|))</c>, stable for logits of any
            /// magnitude, <c>torch.nn.functional.logsigmoid</c> (node <c>LogSigmoidBackward0</c>).
            /// </summary>
            /// <remarks>Floating point only: integer and bool inputs are PyTorch's "not implemented" error.</remarks>
            public static Tensor LogSigmoid(Tensor input)
            {
                using var scope = Profiler.Op("aten::log_sigmoid", input);
                if (!input.DType.IsFloatingPoint()) throw Dispatch.Unsupported("log_sigmoid_cpu", input.DType);
                var result = Dispatch.UnaryFloat<LogSigmoidOp>(input);
                if (Graph.NeedsGrad(input))
                {
                    var node = new LogSigmoidBackward0();
                    node.Self = node.Save(input);
                    Graph.Record(node, result, input);
                }
                return result;
            }
        }
    }
}

internal sealed class LogSigmoidBackward0 : SingleOutputNode
{
    public SavedTensor? Self;

    public override string Name => "LogSigmoidBackward0";

    // self: grad * (1 - sigmoid(self)) = grad / (1 + exp(self))
    protected override Tensor?[] Backward(Tensor grad) => [grad * Self!.Unpack().Exp().Add(1).Reciprocal()];
    internal override Tensor? Jvp(Tensor?[] t) => Backward(t[0]!)[0];
}
