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
    private readonly int _savedVersion;
    private readonly bool _isOutput;
    private readonly Node _owner;

    public SavedTensor(Tensor tensor, bool isOutput, Node owner)
    {
        _tensor = tensor;
        _savedVersion = tensor.Version.Value;
        _isOutput = isOutput;
        _owner = owner;
    }

    public bool IsReleased => _tensor is null;

    public void Release() => _tensor = null;

    public Tensor Unpack()
    {
        var t = _tensor ?? throw new InvalidOperationException(FreedMessage);
        int current = t.Version.Value;
        if (current != _savedVersion)
        {
            var fn = t.GradFnRaw;
            string producer = fn is null ? "" : $", which is output {t.OutputNr} of {fn.Name},";
            throw new InvalidOperationException(
                "one of the variables needed for gradient computation has been modified by an inplace operation: " +
                $"[{t.DType.LegacyTypeName()} {ShapeUtil.Format(t.Sizes)}]{producer} is at version {current}; expected version {_savedVersion} instead. " +
                "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).");
        }
        _ = _isOutput;
        _ = _owner;
        return t;
    }
}
