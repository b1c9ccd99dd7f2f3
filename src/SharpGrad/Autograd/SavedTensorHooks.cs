namespace SharpGrad.Autograd
{
    /// <summary>
    /// The pack/unpack pair in effect on this thread (innermost scope wins). Note [Saved tensor hooks].
    /// </summary>
    internal sealed record SavedTensorHooks(Func<Tensor, object> Pack, Func<object, Tensor> Unpack)
    {
        [ThreadStatic] private static SavedTensorHooks? t_current;

        public static SavedTensorHooks? Current
        {
            get => t_current;
            set => t_current = value;
        }
    }

    /// <summary>A scope in which tensors saved for backward go through a pack and an unpack hook.</summary>
    public sealed class SavedTensorsHooksScope : IDisposable
    {
        private readonly SavedTensorHooks? _previous;
        private bool _disposed;

        internal SavedTensorsHooksScope(Func<Tensor, object> pack, Func<object, Tensor> unpack)
        {
            _previous = SavedTensorHooks.Current;
            SavedTensorHooks.Current = new SavedTensorHooks(pack, unpack);
        }

        /// <summary>Restores the hooks that were in effect when the scope was created.</summary>
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            SavedTensorHooks.Current = _previous;
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
            /// <summary>Graph utilities, <c>torch.autograd.graph</c>.</summary>
            public static class Graph
            {
                /// <summary>
                /// Until disposed, every tensor saved for backward on this thread is replaced by
                /// <paramref name="pack"/>(tensor), and <paramref name="unpack"/>(packed) is called when
                /// backward needs it, <c>torch.autograd.graph.saved_tensors_hooks(pack, unpack)</c>.
                /// </summary>
                public static SavedTensorsHooksScope SavedTensorsHooks(Func<Tensor, object> pack, Func<object, Tensor> unpack) =>
                    new(pack, unpack);
            }
        }
    }
}
