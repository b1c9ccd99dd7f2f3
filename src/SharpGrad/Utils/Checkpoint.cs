using SharpGrad.Autograd;

namespace SharpGrad
{
    public static partial class Torch
    {
        /// <summary>Utilities, <c>torch.utils</c>.</summary>
        public static partial class Utils
        {
            /// <summary>
            /// Runs <paramref name="function"/> without keeping its intermediate tensors and recomputes
            /// them during backward, trading compute for memory, <c>torch.utils.checkpoint.checkpoint</c>
            /// (the reentrant variant). Gradients reach the inputs and any tensor the function reads.
            /// </summary>
            public static Tensor Checkpoint(Func<Tensor[], Tensor> function, params Tensor[] inputs) =>
                new CheckpointFunction(function).Apply(inputs);
        }
    }
}

namespace SharpGrad.Autograd
{
    /// <summary>
    /// Note [Checkpoint]: forward runs the function with grad off, so the only tensors kept alive are
    /// the inputs; backward reruns it with grad on from detached copies of the inputs and back-propagates
    /// the incoming gradient through that fresh graph, which also accumulates into any parameters the
    /// function closes over.
    /// </summary>
    internal sealed class CheckpointFunction(Func<Tensor[], Tensor> function) : Function
    {
        public override string BackwardName => "CheckpointFunctionBackward";

        public override Tensor[] Forward(FunctionContext ctx, params Tensor?[] inputs)
        {
            ctx.SaveForBackward(inputs);
            return [function(Array.ConvertAll(inputs, t => t!))];
        }

        public override Tensor?[] Backward(FunctionContext ctx, params Tensor?[] gradOutputs)
        {
            var saved = ctx.SavedTensors;
            var detached = new Tensor[saved.Length];
            for (int i = 0; i < saved.Length; i++)
            {
                detached[i] = saved[i]!.Detach();
                if (ctx.NeedsInputGrad[i]) detached[i].RequiresGrad = true;
            }
            Tensor output;
            using (new GradModeScope(true)) output = function(detached);
            if (output.RequiresGrad)
                Torch.Autograd.Backward([output], [gradOutputs[0]]);
            return Array.ConvertAll(detached, d => d.RequiresGrad ? d.GradRaw : null);
        }

        // Forward mode: rerun the function on dual copies of the inputs (the backward above is not
        // differentiable, so the generic rule cannot be used).
        public override Tensor?[]? Jvp(FunctionContext ctx, params Tensor?[] tangents)
        {
            var saved = ctx.SavedTensors;
            var duals = new Tensor[saved.Length];
            for (int i = 0; i < saved.Length; i++)
            {
                duals[i] = saved[i]!.Detach();
                if (tangents[i] is { } u) ForwardGrad.SetTangent(duals[i], u);
            }
            using (ForwardGrad.Resume()) return [function(duals).Tangent];
        }
    }
}
