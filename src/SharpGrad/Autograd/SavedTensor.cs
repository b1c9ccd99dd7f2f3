namespace SharpGrad.Autograd;

/// <summary>
/// A tensor saved by a node for its backward formula: PyTorch's <c>SavedVariable</c>.
/// </summary>
/// <remarks>
/// Records the version counter at save time; unpacking after an in-place write fails with
/// PyTorch's error (Note [Version counter]). After backward without <c>retainGraph</c> it is
/// released and unpacking fails with the "backward a second time" error.
/// </remarks>
internal sealed class SavedTensor
{
    internal const string FreedMessage =
        "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
        "Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). " +
        "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.";

    private Tensor? _tensor;
    private object? _packed;
    private Func<object, Tensor>? _unpackHook;
    private bool _released;
    private readonly int _savedVersion;
    private readonly Node? _producer;
    private readonly int _outputNr;

    public SavedTensor(Tensor tensor, bool isOutput, Node owner)
    {
        if (tensor.IsInferenceTensor)
            throw new InvalidOperationException(
                "Inference tensors cannot be saved for backward. To work around you can make a clone to get a normal tensor and use it in autograd.");
        _savedVersion = tensor.VersionValue;
        if (SavedTensorHooks.Current is { } hooks)
        {
            // Note [Saved tensor hooks]: the pack hook's result is all that is kept; unpack must give
            // the values back. As in PyTorch, no version check is possible then.
            // Hooks are off while pack runs, so a pack that computes with tensors cannot recurse.
            SavedTensorHooks.Current = null;
            try
            {
                _packed = hooks.Pack(tensor);
            }
            finally
            {
                SavedTensorHooks.Current = hooks;
            }
            _unpackHook = hooks.Unpack;
        }
        else _tensor = tensor;
        // The error names the node that produced the tensor when it was saved: the saving node
        // itself for outputs, the input's grad_fn at save time otherwise (as PyTorch's SavedVariable).
        _producer = isOutput ? owner : tensor.GradFnRaw;
        _outputNr = isOutput ? 0 : tensor.OutputNr;
    }

    public bool IsReleased => _released;

    public void Release()
    {
        _released = true;
        _tensor = null;
        _packed = null;
    }

    public Tensor Unpack()
    {
        if (_released) throw new InvalidOperationException(FreedMessage);
        if (_unpackHook is not null) return _unpackHook(_packed!);
        var t = _tensor!;
        int current = t.VersionValue;
        if (current != _savedVersion)
        {
            string producer = _producer is null ? "" : $", which is output {_outputNr} of {_producer.Name},";
            throw new InvalidOperationException(
                "one of the variables needed for gradient computation has been modified by an inplace operation: " +
                $"[{t.DType.LegacyTypeName()} {ShapeUtil.Format(t.Sizes)}]{producer} is at version {current}; expected version {_savedVersion} instead. " +
                "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).");
        }
        return t;
    }
}
