namespace SharpGrad.Autograd
{
    /// <summary>
    /// Anomaly detection, <c>torch.autograd.detect_anomaly</c>: nodes remember the C# stack trace of
    /// the forward call that created them, and a backward node that fails or (with checkNan) returns
    /// NaN raises an <see cref="AnomalyException"/> carrying that trace. Process-wide, as in PyTorch.
    /// </summary>
    internal static class AnomalyMode
    {
        private static volatile bool s_enabled;
        private static volatile bool s_checkNan = true;

        public static bool IsEnabled => s_enabled;

        public static bool CheckNan => s_checkNan;

        public static void Set(bool enabled, bool checkNan)
        {
            if (enabled && !s_enabled)
                Torch.WarningSink("UserWarning: Anomaly Detection has been enabled. This mode will increase the runtime and should only be enabled for debugging.");
            s_enabled = enabled;
            s_checkNan = checkNan;
        }

        /// <summary>Runs the node, reporting failures and NaN outputs with the forward stack trace.</summary>
        public static Tensor?[] Apply(Node node, Tensor?[] grads)
        {
            Tensor?[] outputs;
            try
            {
                outputs = node.Apply(grads);
            }
            catch (Exception e) when (e is not AnomalyException)
            {
                Report(node);
                throw new AnomalyException(e.Message, node.ForwardStackTrace, e);
            }
            if (!s_checkNan) return outputs;
            for (int i = 0; i < outputs.Length; i++)
                if (outputs[i] is { } g && g.DType.IsFloatingPoint() && HasNan(g))
                {
                    Report(node);
                    throw new AnomalyException($"Function '{node.Name}' returned nan values in its {i}th output.", node.ForwardStackTrace);
                }
            return outputs;
        }

        private static bool HasNan(Tensor t)
        {
            foreach (double v in t.ToArray<double>()) if (double.IsNaN(v)) return true;
            return false;
        }

        private static void Report(Node node) =>
            Torch.WarningSink($"UserWarning: Error detected in {node.Name}. Traceback of forward call that caused the error:\n{node.ForwardStackTrace ?? "(the node was created before anomaly detection was enabled)"}");
    }

    /// <summary>An error found by anomaly detection in a backward node, with the forward call's stack trace.</summary>
    public sealed class AnomalyException : InvalidOperationException
    {
        internal AnomalyException(string message, string? forwardStackTrace, Exception? inner = null) : base(message, inner) =>
            ForwardStackTrace = forwardStackTrace;

        /// <summary>The C# stack trace of the forward call that created the failing node.</summary>
        public string? ForwardStackTrace { get; }
    }

    /// <summary>Enables anomaly detection until disposed, restoring the previous setting, <c>torch.autograd.detect_anomaly</c>.</summary>
    public sealed class AnomalyScope : IDisposable
    {
        private readonly bool _previous, _previousCheckNan;
        private bool _disposed;

        internal AnomalyScope(bool enabled, bool checkNan)
        {
            _previous = AnomalyMode.IsEnabled;
            _previousCheckNan = AnomalyMode.CheckNan;
            AnomalyMode.Set(enabled, checkNan);
        }

        /// <summary>Restores the anomaly setting that was active when the scope was created.</summary>
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            AnomalyMode.Set(_previous, _previousCheckNan);
        }
    }
}

namespace SharpGrad
{
    using SharpGrad.Autograd;

    public static partial class Torch
    {
        public static partial class Autograd
        {
            /// <summary>
            /// Enables anomaly detection until disposed, <c>with torch.autograd.detect_anomaly(check_nan):</c>:
            /// backward errors and NaN gradients raise <see cref="AnomalyException"/> with the forward stack trace.
            /// </summary>
            public static AnomalyScope DetectAnomaly(bool checkNan = true) => new(true, checkNan);

            /// <summary>Turns anomaly detection on or off, <c>torch.autograd.set_detect_anomaly(mode, check_nan)</c>.</summary>
            public static void SetDetectAnomaly(bool mode, bool checkNan = true) => AnomalyMode.Set(mode, checkNan);

            /// <summary>Whether anomaly detection is on, <c>torch.is_anomaly_enabled()</c>.</summary>
            public static bool IsAnomalyEnabled() => AnomalyMode.IsEnabled;
        }
    }
}
