namespace SharpGrad.Autograd;

/// <summary>
/// Whether ops record the autograd graph on the current thread. Note [Grad mode is per thread]:
/// the flag is [ThreadStatic], so a <c>NoGrad</c> scope on one thread never affects another.
/// </summary>
internal static class GradMode
{
    [ThreadStatic] private static bool t_disabled;

    public static bool IsEnabled
    {
        get => !t_disabled;
        set => t_disabled = !value;
    }
}

/// <summary>
/// A scope that sets grad mode and restores the previous mode when disposed: the object behind
/// <c>Torch.NoGrad()</c>, <c>Torch.EnableGrad()</c> and <c>Torch.SetGradEnabled(bool)</c>.
/// </summary>
public sealed class GradModeScope : IDisposable
{
    private readonly bool _previous;
    private bool _disposed;

    internal GradModeScope(bool enabled)
    {
        _previous = GradMode.IsEnabled;
        GradMode.IsEnabled = enabled;
    }

    /// <summary>Restores the grad mode that was active when the scope was created.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        GradMode.IsEnabled = _previous;
    }
}
