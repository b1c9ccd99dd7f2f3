using SharpGrad.Autograd;
using SharpGrad.Profiling;
using SharpGrad.Tests.Profiling;

namespace SharpGrad.Tests.Autograd;

/// <summary>
/// Note [Stolen gradients]: a leaf's first gradient is kept without a copy only when nothing else
/// can reach it. These tests pin both halves: the copy is skipped on a plain training step, and
/// every way another holder could see a later in-place accumulation still gets a copy.
/// </summary>
[Collection("Profiler")]
public class StolenGradientTests
{
    private static int Clones(Action backward)
    {
        Profile prof;
        using (prof = Torch.Autograd.Profiler.Profile()) backward();
        int me = Environment.CurrentManagedThreadId;
        return prof.FunctionEvents.Count(e => e.Name == "aten::clone" && e.Thread == me);
    }

    [Fact]
    public void A_linear_layer_step_keeps_its_fresh_gradients_without_copying()
    {
        var x = Torch.Randn(4, 3, dtype: DType.Float64);
        var w = Torch.Randn(3, 2, dtype: DType.Float64, requiresGrad: true);
        var b = Torch.Randn(2, dtype: DType.Float64, requiresGrad: true);
        var loss = (x.Mm(w) + b).Relu().Sum();
        Assert.Equal(0, Clones(() => loss.Backward()));
        var expectedW = x.T.Mm(((x.Mm(w) + b).Detach() > 0).To(DType.Float64));
        Assert.True((w.Grad! - expectedW).Abs().Max().Item<double>() < 1e-12);
        // The bias gradient is the batch sum of the pass-through AddBackward0 gradient: fresh too.
        Assert.True((b.Grad! - ((x.Mm(w) + b).Detach() > 0).To(DType.Float64).Sum(0)).Abs().Max().Item<double>() < 1e-12);
    }

    [Fact]
    public void A_pass_through_gradient_is_copied_for_each_leaf()
    {
        var a = Torch.Zeros(3, dtype: DType.Float64, requiresGrad: true);
        var c = Torch.Zeros(3, dtype: DType.Float64, requiresGrad: true);
        var g = Torch.Ones(3, dtype: DType.Float64);
        (a + c).Backward(g);
        Assert.False(a.Grad!.Storage == c.Grad!.Storage);
        Assert.False(a.Grad.Storage == g.Storage);
        (a + c).Backward(g); // accumulates in place into each .grad
        Assert.Equal([2.0, 2.0, 2.0], a.Grad.ToArray<double>());
        Assert.Equal([2.0, 2.0, 2.0], c.Grad!.ToArray<double>());
        Assert.Equal([1.0, 1.0, 1.0], g.ToArray<double>());
    }

    [Fact]
    public void The_users_gradient_argument_is_never_kept()
    {
        var a = Torch.Zeros(3, dtype: DType.Float64, requiresGrad: true);
        var g = Torch.Ones(3, dtype: DType.Float64);
        a.Backward(g);
        a.Backward(g);
        Assert.Equal([1.0, 1.0, 1.0], g.ToArray<double>());
        Assert.Equal([2.0, 2.0, 2.0], a.Grad!.ToArray<double>());
    }

    [Fact]
    public void A_gradient_a_hook_saw_is_copied()
    {
        var w = Torch.Ones(3, dtype: DType.Float64, requiresGrad: true);
        Tensor? seen = null;
        using var handle = w.RegisterHook(g => { seen = g; return null; });
        (w * 2).Sum().Backward();
        (w * 2).Sum().Backward();
        Assert.Equal([4.0, 4.0, 4.0], w.Grad!.ToArray<double>());
        Assert.Equal([2.0, 2.0, 2.0], seen!.ToArray<double>());
    }

    [Fact]
    public void A_gradient_a_node_post_hook_saw_is_copied()
    {
        var w = Torch.Ones(3, dtype: DType.Float64, requiresGrad: true);
        Tensor? seen = null;
        var y = w * 2;
        using var handle = y.GradFn!.RegisterHook((gradInputs, _) => { seen = gradInputs[0]; return null; });
        y.Sum().Backward(retainGraph: true);
        y.Sum().Backward();
        Assert.Equal([4.0, 4.0, 4.0], w.Grad!.ToArray<double>());
        Assert.Equal([2.0, 2.0, 2.0], seen!.ToArray<double>());
    }

    private static Tensor? s_kept;

    private sealed class KeepsItsGradient : Function
    {
        public override Tensor[] Forward(FunctionContext ctx, params Tensor?[] inputs) => [inputs[0]! * 1];

        public override Tensor?[] Backward(FunctionContext ctx, params Tensor?[] g) => [s_kept = g[0]! * 1];
    }

    [Fact]
    public void A_custom_functions_gradient_is_copied()
    {
        var w = Torch.Ones(3, dtype: DType.Float64, requiresGrad: true);
        new KeepsItsGradient().Apply(w).Sum().Backward();
        new KeepsItsGradient().Apply(w).Sum().Backward();
        Assert.Equal([2.0, 2.0, 2.0], w.Grad!.ToArray<double>());
        Assert.Equal([1.0, 1.0, 1.0], s_kept!.ToArray<double>());
    }

    [Fact]
    public void Create_graph_still_records_a_clone()
    {
        var w = Torch.Ones(3, dtype: DType.Float64, requiresGrad: true);
        (w * w).Sum().Backward(createGraph: true);
        Assert.NotNull(w.Grad!.GradFn);
        Assert.Equal("CloneBackward0", w.Grad.GradFn!.Name);
    }
}
