using System.Text.Json;
using SharpGrad.Tests.Support;

namespace SharpGrad.Tests.AutogradDepth;

public class HookTests
{
    internal static readonly JsonElement G = Golden.Load("autograd_depth");
    internal static Tensor X3() => Torch.Tensor(new[] { 1.0, -2.0, 3.0 }, requiresGrad: true);
    internal static double[] D(JsonElement e) => Golden.Doubles(e);

    private static readonly JsonElement H = G.GetProperty("hooks");

    [Fact]
    public void Tensor_hooks_replace_gradients_and_handles_remove_them()
    {
        var x = X3();
        var y = x * 2;
        y.RegisterHook(g => g * 10);
        var handle = x.RegisterHook(g => g + 1);
        (y * y).Sum().Backward();
        Assert.Equal(D(H.GetProperty("tensor_hooks_grad")), x.Grad!.ToArray<double>());
        handle.Remove();
        handle.Remove(); // idempotent
        x.Grad = null;
        y = x * 2;
        (y * y).Sum().Backward();
        Assert.Equal(D(H.GetProperty("after_remove_grad")), x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Node_prehooks_and_hooks_see_and_replace_gradients()
    {
        var x = X3();
        var z = x.Exp();
        double[]? gi = null, go = null;
        z.GradFn!.RegisterPrehook(gradOutputs => [gradOutputs[0]! * 3]);
        z.GradFn.RegisterHook((gradInputs, gradOutputs) =>
        {
            gi = gradInputs[0]!.ToArray<double>();
            go = gradOutputs[0]!.ToArray<double>();
            return null;
        });
        z.Sum().Backward();
        var seen = H.GetProperty("node_hook_seen");
        AssertClose(D(H.GetProperty("node_hooks_grad")), x.Grad!.ToArray<double>());
        AssertClose(D(seen.GetProperty("gi")), gi!);
        AssertClose(D(seen.GetProperty("go")), go!);
    }

    [Fact]
    public void Autograd_grad_captures_before_leaf_hooks_as_in_PyTorch()
    {
        var x = X3();
        x.RegisterHook(g => g * 0);
        var g2 = Torch.Autograd.Grad((x * x).Sum(), [x])[0]!;
        Assert.Equal(D(H.GetProperty("grad_with_leaf_hook")), g2.ToArray<double>());
    }

    [Fact]
    public void Post_accumulate_hooks_run_after_grad_is_updated_and_only_on_leaves()
    {
        var x = X3();
        double[]? seen = null;
        using (x.RegisterPostAccumulateGradHook(t => seen = t.Grad!.ToArray<double>()))
        {
            (x * 3).Sum().Backward();
            Assert.Equal([3.0, 3.0, 3.0], seen!);
        }
        seen = null;
        (x * 3).Sum().Backward();
        Assert.Null(seen);
        Assert.Throws<InvalidOperationException>(() => (x * 2).RegisterPostAccumulateGradHook(_ => { }));
    }

    [Fact]
    public void Hook_on_a_tensor_without_grad_is_PyTorch_error()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Torch.Ones(2).RegisterHook(g => g));
        Assert.Equal(H.GetProperty("errors").GetProperty("hook_no_grad").GetString(), e.Message);
    }

    internal static void AssertClose(double[] want, double[] got)
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++)
            Assert.True(Math.Abs(want[i] - got[i]) <= 1e-12 * Math.Max(1, Math.Abs(want[i])), $"element {i}: PyTorch {want[i]}, SharpGrad {got[i]}");
    }
}
