using SharpGrad.Autograd;

namespace SharpGrad;

public static partial class Torch
{
    /// <summary>Disables gradient recording on this thread until disposed, <c>with torch.no_grad():</c>.</summary>
    public static GradModeScope NoGrad() => new(false);

    /// <summary>Enables gradient recording on this thread until disposed, <c>with torch.enable_grad():</c>.</summary>
    public static GradModeScope EnableGrad() => new(true);

    /// <summary>Sets gradient recording on this thread now; disposing restores the previous mode, <c>torch.set_grad_enabled(mode)</c>.</summary>
    public static GradModeScope SetGradEnabled(bool enabled) => new(enabled);

    /// <summary>Whether gradient recording is on for this thread, <c>torch.is_grad_enabled()</c>.</summary>
    public static bool IsGradEnabled() => GradMode.IsEnabled;

    /// <summary>Runs <paramref name="body"/> with grad disabled, the <c>@torch.no_grad()</c> decorator.</summary>
    public static TResult NoGrad<TResult>(Func<TResult> body)
    {
        using (NoGrad()) return body();
    }

    /// <summary>Runs <paramref name="body"/> with grad disabled.</summary>
    public static void NoGrad(Action body)
    {
        using (NoGrad()) body();
    }

    /// <summary>Runs <paramref name="body"/> with grad enabled, the <c>@torch.enable_grad()</c> decorator.</summary>
    public static TResult EnableGrad<TResult>(Func<TResult> body)
    {
        using (EnableGrad()) return body();
    }

    /// <summary>Runs <paramref name="body"/> with grad enabled.</summary>
    public static void EnableGrad(Action body)
    {
        using (EnableGrad()) body();
    }
}
