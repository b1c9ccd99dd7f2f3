using SharpGrad.Autograd;
using SharpGrad.Tests.ForwardMode;
using SharpGrad.Tests.Support;
using F = SharpGrad.Torch.Autograd.Functional;

namespace SharpGrad.Tests.AutogradFunctional;

/// <summary>
/// Note [Forward-mode jvp]: Functional.Jvp takes one forward-mode pass unless createGraph or strict
/// asks for the double-backward trick; both give the same products (PyTorch's structures and texts
/// are pinned by the golden <c>jvp_*</c> cases in FunctionalGoldenTests).
/// </summary>
public class ForwardJvpTests
{
    /// <summary>sin(x) * 2 whose only derivative is its forward rule: its backward throws.</summary>
    private sealed class DoubleSineWithoutBackward(int[] jvpCalls) : Function
    {
        public override Tensor[] Forward(FunctionContext ctx, params Tensor?[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return [inputs[0]!.Sin() * 2];
        }

        public override Tensor?[] Backward(FunctionContext ctx, params Tensor?[] gradOutputs) =>
            throw new NotSupportedException("DoubleSineWithoutBackward has no backward");

        public override Tensor?[]? Jvp(FunctionContext ctx, params Tensor?[] tangents)
        {
            jvpCalls[0]++;
            return [2 * ctx.SavedTensors[0]!.Cos() * tangents[0]!];
        }
    }

    [Fact]
    public void Jvp_runs_one_forward_pass_and_no_backward()
    {
        var x = Torch.Tensor(new[] { 0.5, -1.0, 2.0 });
        var v = Torch.Tensor(new[] { 1.0, 2.0, -3.0 });
        var jvpCalls = new int[1];
        Func<Tensor, Tensor> f = t => new DoubleSineWithoutBackward(jvpCalls).Apply(t);

        var (output, jvp) = F.Jvp(f, x, v);

        Assert.Equal((x.Sin() * 2).ToArray<double>(), output.ToArray<double>());
        Assert.Equal((2 * x.Cos() * v).ToArray<double>(), jvp.ToArray<double>());
        Assert.Equal(1, jvpCalls[0]);
        Assert.False(output.RequiresGrad);
        Assert.False(jvp.RequiresGrad);
        // createGraph keeps PyTorch's double-backward trick, which needs the missing backward.
        var e = Assert.Throws<NotSupportedException>(() => F.Jvp(f, x, v, createGraph: true));
        Assert.Equal("DoubleSineWithoutBackward has no backward", e.Message);
    }

    [Fact]
    public void An_output_independent_of_the_inputs_gets_zeros()
    {
        var x = Torch.Tensor(new[] { 1.0, 2.0 });
        var (outputs, jvp) = F.Jvp(t => new[] { t * 3, Torch.Ones(4, dtype: DType.Float64) }, x, Torch.Tensor(new[] { 1.0, -1.0 }));
        Assert.Equal([3.0, -3.0], jvp[0].ToArray<double>());
        Assert.Equal(new double[4], jvp[1].ToArray<double>());
        Assert.Equal([1.0, 1.0, 1.0, 1.0], outputs[1].ToArray<double>());
    }

    /// <summary>Every op-table row in every layout (float64): the forward pass equals the double-backward trick.</summary>
    [Theory]
    [MemberData(nameof(ForwardJacobianTests.Rows), MemberType = typeof(ForwardJacobianTests))]
    public void Forward_jvp_equals_the_double_backward_trick_on_the_op_table(string op, Layouts.Layout layout)
    {
        var row = OpTable.All.Single(r => r.Name == op);
        var (inputs, fn) = Layouts.Prepare(row.Fn, row.Shapes, layout, row.Lo, row.Hi, row.Name.GetHashCode() & 0xffff);
        var rng = new Random(op.Length * 31 + (int)layout);
        var v = Array.ConvertAll(inputs, x => Torch.Tensor(Enumerable.Range(0, x.Numel).Select(_ => rng.NextDouble() * 2 - 1).ToArray()).Reshape(x.Shape));
        var (forwardOut, forward) = F.Jvp(fn, inputs, v);
        // J v from the reverse-mode Jacobian, one input at a time.
        var jacobian = F.Jacobian(fn, inputs);
        var expected = Torch.Zeros(forwardOut.Numel, dtype: DType.Float64);
        for (int k = 0; k < inputs.Length; k++)
            expected = expected + jacobian[k].Reshape(forwardOut.Numel, inputs[k].Numel).Mv(v[k].Reshape(-1));
        AssertClose(fn(inputs), forwardOut, $"{op} ({layout}) output");
        AssertClose(expected.Reshape(forwardOut.Shape), forward, $"{op} ({layout}) jvp");
        // The trick differentiates the backward graph, so only twice-differentiable rows take it.
        if (!row.SecondOrder) return;
        var (_, trick) = F.Jvp(fn, inputs, v, createGraph: true);
        AssertClose(trick, forward, $"{op} ({layout}) jvp against the double-backward trick");
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what) =>
        ForwardJacobianTests.AssertClose(expected, actual, what);
}
