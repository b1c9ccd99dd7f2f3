namespace SharpGrad.Autograd
{
    /// <summary>Removes the hook it was returned for, <c>torch.utils.hooks.RemovableHandle</c>.</summary>
    public sealed class RemovableHandle : IDisposable
    {
        private Action? _remove;

        internal RemovableHandle(Action remove) => _remove = remove;

        /// <summary>Unregisters the hook; later calls do nothing.</summary>
        public void Remove() => Interlocked.Exchange(ref _remove, null)?.Invoke();

        /// <summary>Same as <see cref="Remove"/>, for <c>using</c> scopes.</summary>
        public void Dispose() => Remove();
    }

    /// <summary>
    /// Note [Hooks]: when the engine is about to run a node it first takes the gradients that
    /// <c>Torch.Autograd.Grad</c> captures there (unhooked, as in PyTorch 1.13), then applies the tensor hooks
    /// registered on the node's outputs (<c>Tensor.RegisterHook</c>; each may replace that gradient),
    /// then retains gradients (<c>RetainGrad</c>), then the node's pre-hooks (which may replace all
    /// incoming gradients). After the node ran, its post-hooks see (gradInputs, gradOutputs) and may
    /// replace gradInputs. Leaf tensors' hooks live on their AccumulateGrad node; post-accumulate hooks
    /// run after the leaf's .Grad changed.
    /// </summary>
    public abstract partial class Node
    {
        private List<(int OutputNr, Func<Tensor, Tensor?> Hook)>? _tensorHooks;
        private List<Func<Tensor?[], Tensor?[]?>>? _preHooks;
        private List<Func<Tensor?[], Tensor?[], Tensor?[]?>>? _postHooks;

        /// <summary>
        /// Registers <paramref name="hook"/>(gradOutputs) to run before this node; a non-null result
        /// replaces the gradients it receives, <c>Node.register_prehook</c>.
        /// </summary>
        public RemovableHandle RegisterPrehook(Func<Tensor?[], Tensor?[]?> hook) => Add(ref _preHooks, hook);

        /// <summary>
        /// Registers <paramref name="hook"/>(gradInputs, gradOutputs) to run after this node; a
        /// non-null result replaces the gradients it sends on, <c>Node.register_hook</c>.
        /// </summary>
        public RemovableHandle RegisterHook(Func<Tensor?[], Tensor?[], Tensor?[]?> hook) => Add(ref _postHooks, hook);

        internal RemovableHandle AddTensorHook(int outputNr, Func<Tensor, Tensor?> hook) => Add(ref _tensorHooks, (outputNr, hook));

        private static RemovableHandle Add<T>(ref List<T>? list, T item)
        {
            var target = list ??= [];
            lock (target) target.Add(item);
            return new RemovableHandle(() =>
            {
                lock (target) target.Remove(item);
            });
        }

        /// <summary>Whether any hook is registered: the engine's hook path costs nothing otherwise.</summary>
        internal bool HasHooks => _tensorHooks is { Count: > 0 } || _preHooks is { Count: > 0 } || _postHooks is { Count: > 0 };

        /// <summary>Tensor hooks then pre-hooks over the incoming gradients (Note [Hooks]).</summary>
        internal Tensor?[] RunTensorHooks(Tensor?[] grads)
        {
            if (_tensorHooks is not { Count: > 0 } hooks) return grads;
            foreach (var (outputNr, hook) in hooks.ToArray())
                if (outputNr < grads.Length && grads[outputNr] is { } g && hook(g) is { } replaced)
                    grads[outputNr] = replaced;
            return grads;
        }

        internal Tensor?[] RunPreHooks(Tensor?[] grads)
        {
            if (_preHooks is not { Count: > 0 } hooks) return grads;
            foreach (var hook in hooks.ToArray())
                if (hook(grads) is { } replaced) grads = CheckCount(replaced, grads.Length, "pre-hook");
            return grads;
        }

        internal Tensor?[] RunPostHooks(Tensor?[] gradInputs, Tensor?[] gradOutputs)
        {
            if (_postHooks is not { Count: > 0 } hooks) return gradInputs;
            foreach (var hook in hooks.ToArray())
                if (hook(gradInputs, gradOutputs) is { } replaced) gradInputs = CheckCount(replaced, gradInputs.Length, "hook");
            return gradInputs;
        }

        private Tensor?[] CheckCount(Tensor?[] replaced, int expected, string kind) =>
            replaced.Length == expected ? replaced
                : throw new InvalidOperationException($"{kind} of {Name} returned {replaced.Length} gradients but {expected} were expected");
    }
}

namespace SharpGrad
{
    using SharpGrad.Autograd;

    public sealed partial class Tensor
    {
        /// <summary>
        /// Registers <paramref name="hook"/>(grad) to run when this tensor's gradient is computed; a
        /// non-null result replaces the gradient, <c>tensor.register_hook(hook)</c>.
        /// </summary>
        public RemovableHandle RegisterHook(Func<Tensor, Tensor?> hook)
        {
            if (!RequiresGrad)
                throw new InvalidOperationException("cannot register a hook on a tensor that doesn't require gradient");
            var edge = GradientEdge();
            return edge.Function!.AddTensorHook(edge.InputNr, hook);
        }

        /// <summary>Registers an <see cref="Action{Tensor}"/> hook that only observes the gradient.</summary>
        public RemovableHandle RegisterHook(Action<Tensor> hook) => RegisterHook(g =>
        {
            hook(g);
            return null;
        });

        /// <summary>
        /// Registers <paramref name="hook"/>(tensor) to run after a gradient was accumulated into this
        /// leaf's <see cref="Grad"/>, <c>tensor.register_post_accumulate_grad_hook(hook)</c>.
        /// </summary>
        public RemovableHandle RegisterPostAccumulateGradHook(Action<Tensor> hook)
        {
            if (!RequiresGrad)
                throw new InvalidOperationException("cannot register a hook on a tensor that doesn't require gradient");
            if (!IsLeaf)
                throw new InvalidOperationException("post accumulate grad hooks cannot be registered on non-leaf tensors");
            return ((AccumulateGrad)GradientEdge().Function!).AddPostAccumulateHook(hook);
        }
    }
}
