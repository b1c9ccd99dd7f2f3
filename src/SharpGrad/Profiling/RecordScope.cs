namespace SharpGrad.Profiling;

/// <summary>
/// An open profiler range, closed by <see cref="Dispose"/>: what <c>using (Torch.Autograd.Profiler.RecordFunction("label"))</c>
/// returns, PyTorch's <c>record_function</c> context manager.
/// </summary>
/// <remarks>
/// When no profiler is active this is the default value and <see cref="Dispose"/> does nothing
/// (Note [Profiler off is free]).
/// </remarks>
public readonly struct RecordScope : IDisposable
{
    private readonly RawEvent? _event;

    internal RecordScope(RawEvent ev) => _event = ev;

    /// <summary>Ends the range, <c>record_function.__exit__</c>.</summary>
    public void Dispose()
    {
        if (_event is not null) _event.Thread.Session.End(_event);
    }
}
