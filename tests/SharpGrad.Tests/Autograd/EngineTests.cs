using SharpGrad.Tests.Support;
using static SharpGrad.Tests.Autograd.AutogradTestUtil;

namespace SharpGrad.Tests.Autograd;

/// <summary>The backward engine: ordering, summing, roots, retained graphs, accumulation (values from PyTorch 1.13).</summary>
public class EngineTests
{
    private static readonly System.Text.Json.JsonElement s_special = Fixture.GetProperty("special");
    private static readonly System.Text.Json.JsonElement s_engine = Fixture.GetProperty("engine");

    [Fact]
    public void A_100000_op_chain_runs_forward_and_backward_on_a_small_stack()
    {
        var chain = s_special.GetProperty("long_chain");
        int n = chain.GetProperty("n").GetInt32();
        double factor = chain.GetProperty("factor").GetDouble();
        Tensor? value = null, grad = null;
        // 256 KB of stack: any recursion over the chain (engine, dependency count, release) overflows it.
        var thread = new Thread(() =>
        {
            var x = Torch.Tensor(chain.GetProperty("start").GetDouble(), requiresGrad: true);
            var y = x;
            for (int i = 0; i < n; i++) y = y * factor;
            y.Backward();
            value = y.Detach();
            grad = x.Grad;
        }, maxStackSize: 256 * 1024);
        thread.Start();
        thread.Join();
        Assert.Equal(chain.GetProperty("value").GetDouble(), value!.Item<double>(), 1e-9 * 33023);
        Assert.Equal(chain.GetProperty("grad").GetDouble(), grad!.Item<double>(), 1e-9 * 22015);
    }

    [Fact]
    public void A_leaf_used_a_thousand_times_sums_every_use()
    {
        var s = Torch.Tensor(new[] { 1f, -2f }, requiresGrad: true);
        var total = s * 0;
        for (int i = 1; i <= 1000; i++) total = total + s * (float)i;
        total.Sum().Backward();
        Close(Golden.Doubles(s_special.GetProperty("shared_leaf_1000")), s.Grad!);
    }

    [Fact]
    public void A_tower_of_50_diamonds_doubles_the_gradient_each_level()
    {
        // t = t + t fifty times: every level is a diamond whose two paths must both be summed,
        // and each node must wait for both before running.
        var s = Torch.Tensor(new[] { 1f, -2f }, requiresGrad: true);
        var t = s * 1;
        for (int i = 0; i < 50; i++) t = t + t;
        t.Sum().Backward();
        Close(Golden.Doubles(s_special.GetProperty("diamond_tower_50")), s.Grad!);
    }

    [Fact]
    public void Multiple_roots_with_their_own_gradients_and_one_root_feeding_another()
    {
        var x = Torch.Tensor(new[] { 1f, 2f, 3f }, requiresGrad: true);
        var a = x * 2;
        var b = a.Exp();
        Torch.Autograd.Backward([a, b], [Torch.Tensor(new[] { 1f, 0.5f, 0.25f }), Torch.Tensor(new[] { 0.1f, 0.2f, 0.3f })]);
        Close(Golden.Doubles(s_special.GetProperty("multiple_roots")), x.Grad!);
    }

    [Fact]
    public void The_same_root_twice_sums_both_gradients()
    {
        var x = Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true);
        var y = x * 3;
        Torch.Autograd.Backward([y, y], [Torch.Tensor(new[] { 1f, 2f }), Torch.Tensor(new[] { 10f, 20f })]);
        Close(Golden.Doubles(s_engine.GetProperty("same_root_twice")), x.Grad!);
    }

    [Fact]
    public void Extra_gradients_are_ignored_as_in_PyTorch()
    {
        var x = Torch.Tensor(new[] { 1f, 2f, 3f }, requiresGrad: true);
        Torch.Autograd.Backward([(x * 2).Sum()], [Torch.Tensor(1f), Torch.Tensor(5f)]);
        Close(Golden.Doubles(s_special.GetProperty("extra_gradients")), x.Grad!);
    }

    [Fact]
    public void The_implicit_gradient_works_for_any_one_element_output()
    {
        var x = Torch.Tensor(new[] { 1f, 2f, 3f }, requiresGrad: true);
        var y = (x * 2).Sum(0, keepDim: true);
        Assert.Equal([1], y.Shape);
        y.Backward();
        Close(Golden.Doubles(s_engine.GetProperty("implicit_one_element")), x.Grad!);
    }

    [Fact]
    public void Backward_on_a_leaf_accumulates_the_gradient_argument()
    {
        var x = Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true);
        x.Backward(Torch.Tensor(new[] { 3f, 4f }));
        Close(Golden.Doubles(s_engine.GetProperty("leaf_backward")), x.Grad!);
    }

    [Theory]
    [InlineData("float64")]
    [InlineData("int64")]
    [InlineData("bool")]
    public void A_gradient_argument_of_another_dtype_is_cast_to_the_output_dtype(string dtype)
    {
        var expected = s_special.GetProperty("grad_arg_" + dtype);
        var x = Torch.Tensor(new[] { 1f, 2f, 3f }, requiresGrad: true);
        var g = dtype switch
        {
            "float64" => Torch.Tensor(new[] { 1.0, 2.0, 3.0 }),
            "int64" => Torch.Tensor(new[] { 1L, 2L, 3L }),
            _ => Torch.Tensor(new[] { true, false, true }),
        };
        (x * 2).Backward(g);
        Assert.Equal(expected.GetProperty("dtype").GetString(), x.Grad!.DType.TorchName());
        Close(Golden.Doubles(expected.GetProperty("values")), x.Grad);
    }

    [Fact]
    public void Gradients_accumulate_across_calls_in_place_and_null_resets_them()
    {
        var expected = s_engine.GetProperty("accumulate");
        var x = Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true);
        (x * 3).Sum().Backward();
        var first = x.Grad!;
        Close(Golden.Doubles(expected.GetProperty("first")), first);
        (x * x).Sum().Backward();
        // Plain backward adds in place, like PyTorch's variable.grad += new_grad.
        Assert.True(expected.GetProperty("same_object").GetBoolean());
        Assert.Same(first, x.Grad);
        Close(Golden.Doubles(expected.GetProperty("second")), x.Grad!);
        x.Grad = null;
        Assert.Null(x.Grad);
        (x * 3).Sum().Backward();
        Close(Golden.Doubles(expected.GetProperty("after_reset")), x.Grad!);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_stored_gradient_is_a_copy_so_accumulation_never_writes_into_the_gradient_argument(bool createGraph)
    {
        // Regression: under createGraph the first gradient used to be stored as the very tensor
        // that arrived, so x.Grad aliased the user's g and the next plain backward added into g.
        var expected = s_engine.GetProperty(createGraph ? "grad_arg_copy_create_graph" : "grad_arg_copy_plain");
        var x = Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true);
        var g = Torch.Tensor(new[] { 1f, 1f });
        (x + 0).Backward(g, createGraph: createGraph);
        Assert.False(expected.GetProperty("is_g").GetBoolean());
        Assert.NotSame(g, x.Grad);
        Assert.Equal(expected.GetProperty("requires_grad").GetBoolean(), x.Grad!.RequiresGrad);
        (x + 0).Backward(g);
        Close(Golden.Doubles(expected.GetProperty("g_after")), g);
        Close(Golden.Doubles(expected.GetProperty("x_grad")), x.Grad!);
    }

    [Fact]
    public void Second_backward_through_saved_tensors_needs_retainGraph()
    {
        var x = Torch.Tensor(new[] { 1f, 2f, 3f }, requiresGrad: true);
        var s = (x * x).Sum();
        s.Backward(retainGraph: true);
        s.Backward();
        Close(Golden.Doubles(s_special.GetProperty("retain_graph_twice")), x.Grad!);
        var error = Fixture.GetProperty("errors").GetProperty("second_backward").GetString();
        Assert.Equal(error, Message<InvalidOperationException>(() => s.Backward()));
    }

    [Fact]
    public void A_graph_without_saved_tensors_can_be_run_twice()
    {
        var x = Torch.Tensor(new[] { 1f, 2f, 3f }, requiresGrad: true);
        var s = (x + 1).Sum();
        s.Backward();
        s.Backward();
        Close(Golden.Doubles(s_special.GetProperty("add_twice")), x.Grad!);
    }

    [Fact]
    public void A_vector_Jacobian_product_uses_the_gradient_argument()
    {
        // Seed 003: y doubles until large, then y.backward(v) gives v * 2^k.
        var x = Torch.Tensor(new[] { 0.3f, -0.2f, 0.1f }, requiresGrad: true);
        var y = x * 2;
        for (int i = 0; i < 9; i++) y = y * 2;
        y.Backward(Torch.Tensor(new[] { 1f, 1f, 0.0001f }));
        Close(Golden.Doubles(s_engine.GetProperty("vjp_doubling")), x.Grad!);
    }

    [Fact]
    public void A_node_that_receives_no_gradient_still_releases_its_children()
    {
        // Regression: "stop" passes no gradient to e; e's count reached zero without a buffer, so
        // e never ran, a waited forever for it, and the gradient through out = stop + a was lost.
        var x = Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true);
        var a = x * 2;
        var e = a.Exp();
        var stop = LambdaNode.Apply("StopBackward", e, _ => [null], e);
        var output = stop + a;
        output.Sum().Backward();
        Close(Golden.Doubles(s_engine.GetProperty("stop_node")), x.Grad!);
    }

    [Fact]
    public void Engine_reduces_a_broadcast_gradient_and_casts_its_dtype()
    {
        var expected = Fixture.GetProperty("custom_nodes").GetProperty("reduced");
        var b = Torch.Ones(3, requiresGrad: true);
        var y = LambdaNode.Apply("_WideDoubleBackward", b * 1, _ => [Torch.Ones(2, 3, DType.Float64)], b);
        y.Sum().Backward();
        Assert.Equal(expected.GetProperty("dtype").GetString(), b.Grad!.DType.TorchName());
        Close(Golden.Doubles(expected.GetProperty("values")), b.Grad);
    }

    [Fact]
    public void A_failed_validation_leaves_leaf_gradients_untouched()
    {
        var x = Torch.Tensor(new[] { 1f, 2f, 3f }, requiresGrad: true);
        Assert.Throws<InvalidOperationException>(() => (x * 2).Backward(Torch.Ones(2)));
        Assert.Throws<InvalidOperationException>(() => (x * 2).Backward());
        Assert.Null(x.Grad);
    }
}

/// <summary>Backward passes on several threads at once, into shared leaves.</summary>
public class ConcurrentBackwardTests
{
    [Fact]
    public void Concurrent_backward_passes_into_one_leaf_lose_no_update()
    {
        var expected = Fixture.GetProperty("engine").GetProperty("concurrent");
        int threads = expected.GetProperty("threads").GetInt32(), passes = expected.GetProperty("passes").GetInt32();
        var x = Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true);
        using var barrier = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            barrier.SignalAndWait();
            for (int i = 0; i < passes; i++) (x * 3).Sum().Backward();
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        Close(Golden.Doubles(expected.GetProperty("grad")), x.Grad!);
    }
}
