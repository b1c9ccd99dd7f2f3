using SharpGrad.Autograd;
using SharpGrad.Tests.Support;

namespace SharpGrad.Tests;

public static partial class OpTable
{
    /// <summary>x * sin(y) as a custom function whose backward is written in Tensor ops (so twice differentiable).</summary>
    private sealed class MulSin : Function
    {
        public override Tensor[] Forward(FunctionContext ctx, params Tensor?[] inputs)
        {
            ctx.SaveForBackward(inputs[0], inputs[1]);
            return [inputs[0]! * inputs[1]!.Sin()];
        }

        public override Tensor?[] Backward(FunctionContext ctx, params Tensor?[] g)
        {
            var saved = ctx.SavedTensors;
            return [g[0]! * saved[1]!.Sin(), g[0]! * saved[0]! * saved[1]!.Cos()];
        }
    }

    private static IEnumerable<OpRow> AutogradRows() =>
    [
        new("custom_function", x => new MulSin().Apply(x[0], x[1]), [[3, 4], [3, 4]]),
        // The reentrant checkpoint runs a plain backward inside its own: once differentiable, as in PyTorch.
        new("checkpoint", x => Torch.Utils.Checkpoint(t => (t[0] * t[1]).Sin(), x[0], x[1]), [[3, 4], [3, 4]], SecondOrder: false),
    ];
}
