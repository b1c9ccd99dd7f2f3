using SharpGrad.Autograd;
using static SharpGrad.Torch.Autograd;

namespace SharpGrad.Tests.ForwardMode;

/// <summary>Forward-mode behaviour beyond the fixtures: graphs, modes, threads, levels, custom functions.</summary>
public class ForwardADTests
{
    private static Tensor X() => Torch.Tensor(new[] { 0.5, -1.0, 2.0 });
    private static Tensor U() => Torch.Tensor(new[] { 1.0, 2.0, -0.5 });

    private static void AssertClose(double[] expected, Tensor? actual)
    {
        Assert.NotNull(actual);
        var a = actual!.ToArray<double>();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(expected[i] - a[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"[{i}]: {a[i]} vs {expected[i]}");
    }

    private static double[] Map(Func<double, double, double> f) => X().ToArray<double>().Zip(U().ToArray<double>(), f).ToArray();

    [Fact]
    public void Ops_on_dual_tensors_that_need_no_gradient_record_no_graph()
    {
        using var level = ForwardAD.DualLevel();
        var y = ForwardAD.MakeDual(X(), U()).Exp() * 2;
        Assert.Null(y.GradFn);
        Assert.False(y.RequiresGrad);
        AssertClose(Map((x, u) => 2 * Math.Exp(x) * u), ForwardAD.UnpackDual(y).Tangent);
    }

    [Fact]
    public void Tangents_propagate_under_no_grad_without_recording()
    {
        using var level = ForwardAD.DualLevel();
        var d = ForwardAD.MakeDual(X().SetRequiresGrad(), U());
        var y = Torch.NoGrad(() => d.Sin());
        Assert.Null(y.GradFn);
        AssertClose(Map((x, u) => Math.Cos(x) * u), ForwardAD.UnpackDual(y).Tangent);
    }

    [Fact]
    public void Dual_levels_are_per_thread()
    {
        using var level = ForwardAD.DualLevel();
        var d = ForwardAD.MakeDual(X(), U());
        Tensor? otherWithout = null, otherWithin = null;
        var thread = new Thread(() =>
        {
            otherWithout = ForwardAD.UnpackDual(d).Tangent;
            using var own = ForwardAD.DualLevel(); // no nesting error: this thread has no level yet
            otherWithin = ForwardAD.UnpackDual(d * 2).Tangent;
        });
        thread.Start();
        thread.Join();
        Assert.Null(otherWithout);
        Assert.Null(otherWithin);
        Assert.NotNull(ForwardAD.UnpackDual(d * 2).Tangent);
    }

    [Fact]
    public void Tangents_of_an_exited_level_are_released_when_next_seen()
    {
        Tensor y;
        using (ForwardAD.DualLevel()) y = ForwardAD.MakeDual(X(), U()) * 3;
        Assert.NotNull(y.TangentValue);
        using (ForwardAD.DualLevel()) Assert.Null(ForwardAD.UnpackDual(y).Tangent);
        Assert.Null(y.TangentValue);
    }

    [Fact]
    public void Enter_and_exit_functions_manage_the_level()
    {
        Assert.Equal(0, ForwardAD.EnterDualLevel());
        var d = ForwardAD.MakeDual(X(), U());
        ForwardAD.ExitDualLevel(0);
        Assert.Null(ForwardAD.UnpackDual(d).Tangent);
        var scope = ForwardAD.DualLevel();
        scope.Dispose();
        scope.Dispose(); // idempotent
        using (ForwardAD.DualLevel()) { } // the level was left once
    }

    [Fact]
    public void A_tangent_is_kept_as_is_when_its_layout_matches_and_copied_otherwise()
    {
        using var level = ForwardAD.DualLevel();
        var u = Torch.Tensor(new[,] { { 1.0, 2.0, 3.0 }, { 4.0, 5.0, 6.0 } });
        Assert.Same(u, ForwardAD.UnpackDual(ForwardAD.MakeDual(Torch.Zeros([2, 3], DType.Float64), u)).Tangent);
        var transposed = Torch.Tensor(new[,] { { 1.0, 4.0 }, { 2.0, 5.0 }, { 3.0, 6.0 } }).Transpose();
        var copied = ForwardAD.UnpackDual(ForwardAD.MakeDual(Torch.Zeros([2, 3], DType.Float64), transposed)).Tangent!;
        Assert.NotSame(transposed, copied);
        Assert.Equal(new[] { 3, 1 }, copied.Stride());
        Assert.Equal(u.ToArray<double>(), copied.ToArray<double>());
    }

    [Fact]
    public void The_tangent_of_a_view_is_the_same_view_of_the_tangent()
    {
        using var level = ForwardAD.DualLevel();
        var u = Torch.Tensor(new[,] { { 1.0, 2.0, 3.0 }, { 4.0, 5.0, 6.0 } });
        var d = ForwardAD.MakeDual(Torch.Zeros([2, 3], DType.Float64), u);
        var column = d.Transpose()[1];
        var tangent = ForwardAD.UnpackDual(column).Tangent!;
        Assert.Equal(new[] { 2.0, 5.0 }, tangent.ToArray<double>());
        Assert.Same(u.Storage, tangent.Storage);
        // A result of a broadcasting op gets a tangent of its own shape and layout.
        var sum = ForwardAD.MakeDual(Torch.Zeros([3], DType.Float64), Torch.Tensor(new[] { 1.0, 2.0, 3.0 })) + Torch.Zeros([2, 3], DType.Float64);
        Assert.Equal(new[] { 3, 1 }, ForwardAD.UnpackDual(sum).Tangent!.Stride());
    }

    /// <summary>x * sin(y) with a differentiable Backward and no Jvp: the generic rule applies.</summary>
    private sealed class MulSin : Function
    {
        public override Tensor[] Forward(FunctionContext ctx, params Tensor?[] inputs)
        {
            ctx.SaveForBackward(inputs[0], inputs[1]);
            Assert.Null(inputs[0]!.Tangent); // Forward sees no tangents
            return [inputs[0]! * inputs[1]!.Sin()];
        }

        public override Tensor?[] Backward(FunctionContext ctx, params Tensor?[] g)
        {
            var (x, y) = (ctx.SavedTensors[0]!, ctx.SavedTensors[1]!);
            Assert.True(ctx.NeedsInputGrad[0] && ctx.NeedsInputGrad[1]);
            return [g[0]! * y.Sin(), g[0]! * x * y.Cos()];
        }
    }

    private sealed class SumAndProduct : Function
    {
        public override Tensor[] Forward(FunctionContext ctx, params Tensor?[] inputs)
        {
            ctx.SaveForBackward(inputs[0], inputs[1]);
            return [inputs[0]! + inputs[1]!, inputs[0]! * inputs[1]!];
        }

        public override Tensor?[] Backward(FunctionContext ctx, params Tensor?[] g) =>
            [g[0]! + g[1]! * ctx.SavedTensors[1]!, g[0]! + g[1]! * ctx.SavedTensors[0]!];
    }

    private sealed class OnceSquare : Function
    {
        protected override bool OnceDifferentiable => true;

        public override Tensor[] Forward(FunctionContext ctx, params Tensor?[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return [inputs[0]! * inputs[0]!];
        }

        public override Tensor?[] Backward(FunctionContext ctx, params Tensor?[] g) => [2 * ctx.SavedTensors[0]! * g[0]!];
    }

    /// <summary>A Backward that is not differentiable (it detaches), without Jvp.</summary>
    private sealed class Detaching : Function
    {
        public override Tensor[] Forward(FunctionContext ctx, params Tensor?[] inputs) => [inputs[0]! * 3];
        public override Tensor?[] Backward(FunctionContext ctx, params Tensor?[] g) => [g[0]!.Detach() * 3];
    }

    [Fact]
    public void Custom_functions_without_jvp_use_the_generic_rule()
    {
        using var level = ForwardAD.DualLevel();
        var y = Torch.Tensor(new[] { 1.0, 0.5, -2.0 });
        var w = Torch.Tensor(new[] { 0.25, -1.0, 1.0 });
        var result = new MulSin().Apply(ForwardAD.MakeDual(X(), U()), ForwardAD.MakeDual(y, w));
        var x = X().ToArray<double>();
        var u = U().ToArray<double>();
        var expected = Enumerable.Range(0, 3).Select(i =>
            u[i] * Math.Sin(y.ToArray<double>()[i]) + x[i] * Math.Cos(y.ToArray<double>()[i]) * w.ToArray<double>()[i]).ToArray();
        AssertClose(expected, ForwardAD.UnpackDual(result).Tangent);
        Assert.Null(result.GradFn);

        var outputs = new SumAndProduct().ApplyMany(ForwardAD.MakeDual(X(), U()), y);
        AssertClose(U().ToArray<double>(), ForwardAD.UnpackDual(outputs[0]).Tangent);
        AssertClose(Enumerable.Range(0, 3).Select(i => u[i] * y.ToArray<double>()[i]).ToArray(), ForwardAD.UnpackDual(outputs[1]).Tangent);
    }

    [Fact]
    public void Custom_functions_whose_backward_is_not_differentiable_need_a_jvp()
    {
        const string message = "You must implement the jvp function for custom autograd.Function to use it with forward mode AD.";
        using var level = ForwardAD.DualLevel();
        Assert.Equal(message, Assert.Throws<NotSupportedException>(() => new OnceSquare().Apply(ForwardAD.MakeDual(X(), U()))).Message);
        Assert.Equal(message, Assert.Throws<NotSupportedException>(() => new Detaching().Apply(ForwardAD.MakeDual(X(), U()))).Message);
    }

    [Fact]
    public void Checkpointed_functions_carry_tangents()
    {
        using var level = ForwardAD.DualLevel();
        var y = Torch.Utils.Checkpoint(t => (t[0] * t[0]).Exp(), ForwardAD.MakeDual(X(), U()));
        AssertClose(Map((x, u) => Math.Exp(x * x) * 2 * x * u), ForwardAD.UnpackDual(y).Tangent);
    }
}
