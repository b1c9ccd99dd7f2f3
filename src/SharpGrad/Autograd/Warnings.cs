namespace SharpGrad
{
    /// <summary>PyTorch's user warnings, sent once each to <see cref="Torch.WarningSink"/>.</summary>
    internal static class Warnings
    {
        internal const string NonLeafGradText =
            "UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be populated during autograd.backward(). " +
            "If you indeed want the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. " +
            "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. " +
            "See github.com/pytorch/pytorch/pull/30531 for more informations.";

        internal const string BackwardCreateGraphText =
            "UserWarning: Using backward() with create_graph=True will create a reference cycle between the parameter and its gradient which can cause a memory leak. " +
            "We recommend using autograd.grad when creating the graph to avoid this. " +
            "If you have to use this function, make sure to reset the .grad fields of your parameters to None after use to break the cycle and avoid the leak.";

        private static int s_nonLeafGradWarned;
        private static int s_backwardCreateGraphWarned;

        public static void NonLeafGradAccess()
        {
            if (Interlocked.Exchange(ref s_nonLeafGradWarned, 1) == 0) Torch.WarningSink(NonLeafGradText);
        }

        /// <summary><c>backward(create_graph=True)</c>: PyTorch warns once per process.</summary>
        public static void BackwardCreateGraph()
        {
            if (Interlocked.Exchange(ref s_backwardCreateGraphWarned, 1) == 0) Torch.WarningSink(BackwardCreateGraphText);
        }

        /// <summary>Lets every warning fire again (for tests).</summary>
        internal static void Reset()
        {
            s_nonLeafGradWarned = 0;
            s_backwardCreateGraphWarned = 0;
        }
    }

    public static partial class Torch
    {
        /// <summary>
        /// Receives PyTorch's warnings (each fires once per process). Defaults to standard error;
        /// replace it to capture or silence them.
        /// </summary>
        public static Action<string> WarningSink { get; set; } = message => Console.Error.WriteLine(message);
    }
}
