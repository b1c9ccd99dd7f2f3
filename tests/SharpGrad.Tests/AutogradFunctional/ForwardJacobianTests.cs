using SharpGrad.Autograd;
using SharpGrad.Tests.ForwardMode;
using SharpGrad.Tests.Support;
using F = SharpGrad.Torch.Autograd.Functional;

namespace SharpGrad.Tests.AutogradFunctional;

/// <summary>
/// <c>strategy: "forward-mode"</c> (Note [Forward-mode Jacobian]): it runs forward-mode AD, not reverse
/// mode (a function whose only derivative is a forward rule), and its Jacobians equal the reverse-mode
/// ones on every op-table row and layout, on functions of several inputs and outputs with broadcast and
/// non-contiguous inputs, and (forward-over-reverse) for Hessians. PyTorch's shapes, dtypes, flags and
/// texts are pinned by the golden cases (FunctionalGoldenTests, the <c>*_forward_mode*</c> cases).
/// </summary>
public class ForwardJacobianTests
{
    private const string Forward = "forward-mode";

    /// <summary>x^3 whose only derivative is its forward rule: its backward throws; counts its Jvp calls.</summary>
    private sealed class CubeWithoutBackward(int[] jvpCalls) : Function
    {
        public override Tensor[] Forward(FunctionContext ctx, params Tensor?[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return [inputs[0]! * inputs[0]! * inputs[0]!];
        }

        public override Tensor?[] Backward(FunctionContext ctx, params Tensor?[] gradOutputs) =>
            throw new NotSupportedException("CubeWithoutBackward has no backward");

        public override Tensor?[]? Jvp(FunctionContext ctx, params Tensor?[] tangents)
        {
            jvpCalls[0]++;
            var x = ctx.SavedTensors[0]!;
            return [3 * x * x * tangents[0]!];
        }
    }

    [Fact]
    public void Forward_mode_uses_the_forward_rule_and_never_a_backward()
    {
        var x = Torch.Tensor(new[] { 0.5, -1.0, 2.0 });
        var jvpCalls = new int[1];
        Func<Tensor, Tensor> cube = t => new CubeWithoutBackward(jvpCalls).Apply(t) + t.Sin();

        var jacobian = F.Jacobian(cube, x, vectorize: true, strategy: Forward);

        // d/dx (x^3 + sin x) = 3 x^2 + cos x on the diagonal; one forward pass (one Jvp) per column.
        var expected = Torch.Eye(3, dtype: DType.Float64) * (3 * x * x + x.Cos());
        Assert.Equal(expected.ToArray<double>(), jacobian.ToArray<double>());
        Assert.Equal(3, jvpCalls[0]);
        // Reverse mode needs the backward, which the function does not have.
        var e = Assert.Throws<NotSupportedException>(() => F.Jacobian(cube, x, vectorize: true));
        Assert.Equal("CubeWithoutBackward has no backward", e.Message);
    }

    [Fact]
    public void Func_runs_once_per_input_element_and_once_for_an_empty_input()
    {
        int calls = 0;
        Func<Tensor[], Tensor> f = t => { calls++; return t[0].Exp() * t[1]; };
        F.Jacobian(f, [Torch.Ones([2, 3], DType.Float64), Torch.Ones(3, DType.Float64)], vectorize: true, strategy: Forward);
        Assert.Equal(9, calls);

        calls = 0;
        var empty = F.Jacobian(t => { calls++; return t.Sum() * Torch.Ones(2); }, Torch.Zeros(0), vectorize: true, strategy: Forward);
        Assert.Equal(1, calls);
        Assert.Equal([2, 0], empty.Shape);
    }

    public static TheoryData<string, Layouts.Layout> Rows()
    {
        var data = new TheoryData<string, Layouts.Layout>();
        foreach (var row in OpTable.All.Where(r => !ForwardVsReverseTests.NotForwardDifferentiable.Contains(r.Name)))
            foreach (var layout in row.Layouts ?? Layouts.All)
                data.Add(row.Name, layout);
        return data;
    }

    /// <summary>Every op-table row in every layout (float64): the forward-mode Jacobian is the reverse-mode one.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void Forward_and_reverse_Jacobians_agree_on_the_op_table(string op, Layouts.Layout layout)
    {
        var row = OpTable.All.Single(r => r.Name == op);
        var (inputs, fn) = Layouts.Prepare(row.Fn, row.Shapes, layout, row.Lo, row.Hi, row.Name.GetHashCode() & 0xffff);
        var forward = F.Jacobian(fn, inputs, vectorize: true, strategy: Forward);
        var reverse = F.Jacobian(fn, inputs);
        for (int k = 0; k < inputs.Length; k++) AssertClose(reverse[k], forward[k], $"{op} ({layout}) input {k}");
    }

    [Fact]
    public void Forward_and_reverse_agree_with_several_inputs_and_outputs_broadcast_and_non_contiguous()
    {
        var rng = new Random(7);
        var x = Layouts.Leaf([2, 3], Layouts.Layout.Contiguous, -1, 1, rng);
        var y = Layouts.Leaf([3], Layouts.Layout.Sliced, -1, 1, rng);          // strided view, broadcast against x
        var w = Layouts.Leaf([3, 2], Layouts.Layout.Transposed, -1, 1, rng);   // transposed in memory
        var s = Torch.Tensor(0.7, DType.Float64);                             // 0-dim
        Func<Tensor[], Tensor[]> f = t =>
        [
            t[0] * t[1].Sin() + t[3],                    // broadcast [2, 3]
            t[0].Mm(t[2]).Tanh().Sum(0),                 // [2]
            (t[1].Unsqueeze(1) * t[2]).T.Exp(),          // non-contiguous output [2, 3]
            (t[0] * t[0]).Sum() * t[3],                  // 0-dim
            t[1] * 2,                                    // independent of x, w and s
        ];
        Tensor[] inputs = [x, y, w, s];
        var forward = F.Jacobian(f, inputs, vectorize: true, strategy: Forward);
        var reverse = F.Jacobian(f, inputs);
        var reverseVectorized = F.Jacobian(f, inputs, vectorize: true);
        for (int i = 0; i < forward.Length; i++)
            for (int k = 0; k < inputs.Length; k++)
            {
                AssertClose(reverse[i][k], forward[i][k], $"output {i} input {k}");
                AssertClose(reverseVectorized[i][k], forward[i][k], $"output {i} input {k} (vectorized)");
            }
        Assert.All(forward[4].Where((_, k) => k != 1), j => Assert.True(j.Eq(0).All().Item<bool>()));
    }

    [Fact]
    public void Forward_over_reverse_Hessians_equal_reverse_over_reverse()
    {
        var rng = new Random(11);
        var x = Layouts.Leaf([2, 3], Layouts.Layout.Transposed, -1, 1, rng);
        var y = Layouts.Leaf([3], Layouts.Layout.Sliced, 0.5, 1.5, rng);
        Func<Tensor[], Tensor> f = t =>
            (t[0].Exp() * t[1].Sin()).Sum() + t[0].Mm(t[0].T).Pow(2).Sum() * t[1].Log().Mean()
            + (t[0] / t[1]).Tanh().Sum() + t[0].Softmax(1).Max();
        var forward = F.Hessian(f, [x, y], vectorize: true, outerJacobianStrategy: Forward);
        var reverse = F.Hessian(f, [x, y]);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++) AssertClose(reverse[i][j], forward[i][j], $"H[{i}][{j}]");
    }

    /// <summary>Forward-over-reverse Hessians of the op-table rows differentiable twice (contiguous layout, output summed).</summary>
    [Theory]
    [MemberData(nameof(SecondOrderRows))]
    public void Forward_over_reverse_Hessians_agree_on_the_op_table(string op)
    {
        var row = OpTable.All.Single(r => r.Name == op);
        var (inputs, fn) = Layouts.Prepare(row.Fn, row.Shapes, Layouts.Layout.Contiguous, row.Lo, row.Hi, row.Name.GetHashCode() & 0xffff);
        Func<Tensor[], Tensor> scalar = t => fn(t).Sum();
        var forward = F.Hessian(scalar, inputs, vectorize: true, outerJacobianStrategy: Forward);
        var reverse = F.Hessian(scalar, inputs);
        for (int i = 0; i < inputs.Length; i++)
            for (int j = 0; j < inputs.Length; j++) AssertClose(reverse[i][j], forward[i][j], $"{op} H[{i}][{j}]");
    }

    public static TheoryData<string> SecondOrderRows()
    {
        var data = new TheoryData<string>();
        foreach (var row in OpTable.All.Where(r => r.SecondOrder && !ForwardVsReverseTests.NotForwardDifferentiable.Contains(r.Name)))
            data.Add(row.Name);
        return data;
    }

    [Fact]
    public void Other_inputs_get_zero_tangents_as_in_PyTorch()
    {
        // PyTorch 1.13: jacobian(lambda x, y: x.sqrt() + y, (tensor([0.]), tensor([1.])), vectorize=True,
        // strategy="forward-mode") is [tensor([[inf]]), tensor([[nan]])]: y's column carries x's zero
        // tangent through sqrt's rule, 0 / (2 * sqrt(0)). Reverse mode gives (tensor([[inf]]), tensor([[1.]])).
        Tensor[] inputs = [Torch.Tensor(new[] { 0f }), Torch.Tensor(new[] { 1f })];
        var forward = F.Jacobian(t => t[0].Sqrt() + t[1], inputs, vectorize: true, strategy: Forward);
        Assert.Equal(float.PositiveInfinity, forward[0].Item<float>());
        Assert.True(float.IsNaN(forward[1].Item<float>()));
        var reverse = F.Jacobian(t => t[0].Sqrt() + t[1], inputs);
        Assert.Equal(1f, reverse[1].Item<float>());
    }

    [Fact]
    public void A_Jacobian_of_inputs_that_require_grad_is_differentiable()
    {
        // As in PyTorch (forward mode does not detach): J = diag(exp(x)), so d sum(J) / dx = exp(x).
        var x = Torch.Arange(3.0).SetRequiresGrad();
        var jacobian = F.Jacobian(t => t.Exp(), x, vectorize: true, strategy: Forward);
        Assert.Equal("ReshapeAliasBackward0", jacobian.GradFn?.Name);
        jacobian.Sum().Backward();
        AssertClose(x.Detach().Exp(), x.Grad!, "x.grad");
        Assert.False(ForwardGrad.AnyLevel && ForwardGrad.Entered is not null, "no dual level is left entered");
    }

    [Fact]
    public void Inside_a_dual_level_it_is_PyTorchs_nested_level_error()
    {
        using var level = Torch.Autograd.ForwardAD.DualLevel();
        var e = Assert.Throws<InvalidOperationException>(() =>
            F.Jacobian(t => t * 2, Torch.Ones(2), vectorize: true, strategy: Forward));
        Assert.Equal("Nested forward mode AD is not supported at the moment", e.Message);
    }

    internal static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape),
            $"{what}: shape [{string.Join(", ", actual.Shape)}], expected [{string.Join(", ", expected.Shape)}]");
        var want = expected.Detach().ToArray<double>();
        var got = actual.Detach().ToArray<double>();
        for (int i = 0; i < want.Length; i++)
        {
            bool ok = Math.Abs(got[i] - want[i]) <= 1e-10 * Math.Max(1, Math.Abs(want[i])) || (double.IsNaN(want[i]) && double.IsNaN(got[i]));
            Assert.True(ok, $"{what}[{i}]: {got[i]}, expected {want[i]}");
        }
    }
}
