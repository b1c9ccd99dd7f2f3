namespace SharpGrad.Autograd
{
    /// <summary>
    /// Note [Inference mode]: a per-thread mode stronger than NoGrad. Tensors created in it are
    /// inference tensors: they can never be saved for backward, updated in place outside the mode,
    /// or made to require grad outside it (PyTorch's errors), which is what lets PyTorch skip version
    /// counting for them. SharpGrad enforces the same rules so code behaves identically.
    /// </summary>
    internal static class InferenceMode
    {
        [ThreadStatic] private static bool t_enabled;

        public static bool IsEnabled
        {
            get => t_enabled;
            set => t_enabled = value;
        }
    }

    /// <summary>A scope that sets inference mode (and grad mode off) and restores both when disposed.</summary>
    public sealed class InferenceModeScope : IDisposable
    {
        private readonly bool _previous;
        private readonly GradModeScope _grad;
        private bool _disposed;

        internal InferenceModeScope(bool enabled)
        {
            _previous = InferenceMode.IsEnabled;
            _grad = new GradModeScope(enabled ? false : GradMode.IsEnabled);
            InferenceMode.IsEnabled = enabled;
        }

        /// <summary>Restores the modes that were active when the scope was created.</summary>
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            InferenceMode.IsEnabled = _previous;
            _grad.Dispose();
        }
    }
}

namespace SharpGrad
{
    using SharpGrad.Autograd;

    public static partial class Torch
    {
        /// <summary>
        /// Enables inference mode on this thread until disposed, <c>with torch.inference_mode():</c>:
        /// no graph is recorded and tensors created are inference tensors (Note [Inference mode]).
        /// </summary>
        public static InferenceModeScope InferenceMode(bool mode = true) => new(mode);

        /// <summary>Whether inference mode is on for this thread, <c>torch.is_inference_mode_enabled()</c>.</summary>
        public static bool IsInferenceModeEnabled() => SharpGrad.Autograd.InferenceMode.IsEnabled;

        /// <summary>Runs <paramref name="body"/> in inference mode.</summary>
        public static TResult InferenceMode<TResult>(Func<TResult> body)
        {
            using (InferenceMode()) return body();
        }
    }

    public sealed partial class Tensor
    {
        /// <summary>True for tensors created in inference mode, <c>tensor.is_inference()</c>.</summary>
        public bool IsInference() => IsInferenceTensor;

        internal readonly bool IsInferenceTensor;
    }
}
