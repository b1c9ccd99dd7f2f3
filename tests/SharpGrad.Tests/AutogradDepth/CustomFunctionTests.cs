using SharpGrad.Autograd;
using static SharpGrad.Tests.AutogradDepth.HookTests;

namespace SharpGrad.Tests.AutogradDepth;

public class CustomFunctionTests
{
    private static readonly System.Text.Json.JsonElement F = G.GetProperty("functions");

    private sealed class Cube : Function
    {
        public override Tensor[] Forward(FunctionContext ctx, params Tensor?[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return [inputs[0]!.Pow(3)];
        }

        public override Tensor?[] Backward(FunctionContext ctx, params Tensor?[] g)
        {
            var x = ctx.SavedTensors[0]!;
            return [3 * x.Pow(2) * g[0]!];
        }
    }

    private sealed class TwoOut : Function
    {
        public override Tensor[] Forward(FunctionContext ctx, params Tensor?[] inputs) => [inputs[0]! + inputs[1]!, inputs[0]! * inputs[1]!];
        public override Tensor?[] Backward(FunctionContext ctx, params Tensor?[] g) => [g[0]! + g[1]! * 2, g[0]! - g[1]!];
    }

    private sealed class WrongCount : Function
    {
        public override Tensor[] Forward(FunctionContext ctx, params Tensor?[] inputs) => [inputs[0]! * 2];
        public override Tensor?[] Backward(FunctionContext ctx, params Tensor?[] g) => [g[0], g[0]];
    }

    private sealed class WrongShape : Function
    {
        public override Tensor[] Forward(FunctionContext ctx, params Tensor?[] inputs) => [inputs[0]! * 2];
        public override Tensor?[] Backward(FunctionContext ctx, params Tensor?[] g) => [Torch.Ones(5, DType.Float64)];
    }

    private sealed class Once : Function
    {
        protected override bool OnceDifferentiable => true;

        public override Tensor[] Forward(FunctionContext ctx, params Tensor?[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return [inputs[0]!.Pow(2)];
        }

        public override Tensor?[] Backward(FunctionContext ctx, params Tensor?[] g) => [2 * ctx.SavedTensors[0]! * g[0]!];
    }

    private sealed class Dirty : Function
    {
        public override Tensor[] Forward(FunctionContext ctx, params Tensor?[] inputs)
        {
            inputs[0]!.MulInPlace(2);
            ctx.MarkDirty(inputs[0]!);
            return [inputs[0]!];
        }

        public override Tensor?[] Backward(FunctionContext ctx, params Tensor?[] g) => [g[0]! * 2];
    }

    private sealed class ArgMaxAndValue : Function
    {
        public override Tensor[] Forward(FunctionContext ctx, params Tensor?[] inputs)
        {
            var index = inputs[0]!.ArgMax();
            ctx.MarkNonDifferentiable(index);
            ctx.SetMaterializeGrads(false);
            ctx.Items["n"] = inputs[0]!.Numel;
            return [inputs[0]!.Max(), index];
        }

        public override Tensor?[] Backward(FunctionContext ctx, params Tensor?[] g)
        {
            Assert.Null(g[1]); // not materialized
            Assert.Equal(3, ctx.Items["n"]);
            Assert.Equal([true], ctx.NeedsInputGrad);
            return [g[0]! * Torch.Ones(3, DType.Float64)];
        }
    }

    [Fact]
    public void Custom_function_is_named_recorded_and_twice_differentiable()
    {
        var x = X3();
        var y = new Cube().Apply(x);
        Assert.Equal(F.GetProperty("cube_name").GetString(), y.GradFn!.Name);
        var g = Torch.Autograd.Grad(y.Sum(), [x], createGraph: true)[0]!;
        Assert.Equal(D(F.GetProperty("cube_grad")), g.ToArray<double>());
        var gg = Torch.Autograd.Grad(g.Sum(), [x])[0]!;
        Assert.Equal(D(F.GetProperty("cube_gradgrad")), gg.ToArray<double>());
    }

    [Fact]
    public void Several_outputs_get_one_gradient_each()
    {
        var (a, b) = (X3(), X3());
        var outs = new TwoOut().ApplyMany(a, b);
        (outs[0] * 2 + outs[1] * 3).Sum().Backward();
        var want = F.GetProperty("two_out_grads");
        Assert.Equal(D(want[0]), a.Grad!.ToArray<double>());
        Assert.Equal(D(want[1]), b.Grad!.ToArray<double>());
    }

    [Fact]
    public void Wrong_gradient_count_shape_and_dirty_leaf_errors_name_the_function()
    {
        var e = F.GetProperty("errors");
        Assert.Equal(e.GetProperty("wrong_count").GetString(), Record.Exception(() => new WrongCount().Apply(X3()).Sum().Backward())!.Message);
        Assert.Equal(e.GetProperty("wrong_shape").GetString(), Record.Exception(() => new WrongShape().Apply(X3()).Sum().Backward())!.Message);
        Assert.Equal(e.GetProperty("dirty_leaf").GetString(), Record.Exception(() => new Dirty().Apply(X3()))!.Message);
    }

    [Fact]
    public void Once_differentiable_backward_refuses_a_second_differentiation()
    {
        var x = X3();
        var y = new Once().Apply(x);
        var g = Torch.Autograd.Grad((y * x).Sum(), [x], createGraph: true)[0]!;
        Assert.Equal(D(F.GetProperty("once_grad")), g.ToArray<double>());
        var error = Record.Exception(() => g.Sum().Backward());
        Assert.Equal(F.GetProperty("errors").GetProperty("once_twice").GetString(), error!.Message);
    }

    [Fact]
    public void Mark_dirty_makes_the_modified_input_the_output()
    {
        var x = X3();
        var input = x * 1;
        var d = new Dirty().Apply(input);
        Assert.Same(input, d);
        Assert.Equal(1, d.VersionNumber);
        Assert.Equal(F.GetProperty("dirty_name").GetString(), d.GradFn!.Name);
        d.Sum().Backward();
        Assert.Equal(D(F.GetProperty("dirty_grad")), x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Non_differentiable_outputs_items_and_unmaterialized_grads()
    {
        var x = X3();
        var outs = new ArgMaxAndValue().ApplyMany(x);
        Assert.False(outs[1].RequiresGrad);
        Assert.True(outs[0].RequiresGrad);
        outs[0].Backward();
        Assert.Equal([1.0, 1.0, 1.0], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Saved_tensors_are_version_checked()
    {
        var x = X3();
        var input = x * 1;
        var y = new Cube().Apply(input);
        input.AddInPlace(1);
        var e = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.StartsWith("one of the variables needed for gradient computation has been modified by an inplace operation", e.Message);
    }

    [Fact]
    public void Without_grad_no_node_is_recorded_and_an_input_returned_as_is_becomes_an_alias()
    {
        var x = Torch.Ones(3, DType.Float64);
        var y = new Cube().Apply(x);
        Assert.Null(y.GradFn);
        var passthrough = new PassThrough().Apply(x);
        Assert.NotSame(x, passthrough);
        Assert.Same(x.Storage, passthrough.Storage);
    }

    private sealed class PassThrough : Function
    {
        public override Tensor[] Forward(FunctionContext ctx, params Tensor?[] inputs) => [inputs[0]!];
        public override Tensor?[] Backward(FunctionContext ctx, params Tensor?[] g) => [g[0]];
    }
}
