using F = SharpGrad.Torch.Autograd.Functional;

namespace SharpGrad.Tests.AutogradFunctional;

/// <summary>
/// <c>vectorize: true</c> (one batched backward, Note [Batched backward]) against the row-by-row
/// path for functions that reach every kind of node: pointwise nodes run batched, shape nodes by
/// rule, the rest once per batch entry. Hessians send the batch through double-backward graphs; with
/// createGraph the batched result must differentiate like the row-by-row one.
/// </summary>
public class VectorizeTests
{
    private static Tensor X() => Torch.Tensor(new[,] { { 0.3, -0.8, 1.2 }, { 0.5, 0.9, -0.4 } });
    private static readonly Tensor s_y = Torch.Tensor(new[,] { { 1.1, 0.7, -0.6 }, { 0.2, -1.3, 0.8 } });

    private static readonly Dictionary<string, Func<Tensor, Tensor>> s_functions = new()
    {
        ["exp"] = x => x.Exp(),
        ["t"] = x => x.T.Exp() * 2,
        ["transpose"] = x => x.Transpose(0, 1).Sin(),
        ["permute"] = x => x.Permute(1, 0).Cos() * x.T,
        ["mean"] = x => x.Mean(),
        ["mean_dim"] = x => x.Mean(0) * x,
        ["sum_keepdim"] = x => x.Sum(1, keepDim: true) * x,
        ["expand"] = x => x.Unsqueeze(0).Expand(2, 2, 3) * x,
        ["view"] = x => x.View(3, 2).Exp(),
        ["reshape_copy"] = x => x.T.Reshape(6) * x.Flatten(),
        ["squeeze"] = x => x.Unsqueeze(1).Squeeze(1).Sin() * x.Unsqueeze(0).Squeeze(),
        ["cat"] = x => Torch.Cat([x, x * x], 0),
        ["stack"] = x => Torch.Stack([x, x.Exp()], 1),
        ["select"] = x => x.Select(1, 2) * x.Sum(1),
        ["narrow"] = x => x.Narrow(1, 0, 2).Exp(),
        ["slice"] = x => x.Slice(1, step: 2) * x.Slice(1, 1),
        ["clamp"] = x => x.Clamp(-0.5, 0.5) * x,
        ["relu"] = x => x.Relu() * x,
        ["sigmoid"] = x => x.Sigmoid(),
        ["tanh"] = x => x.Tanh() * x,
        ["abs"] = x => x.Abs() * x,
        ["sqrt"] = x => (x.Abs() + 0.5).Sqrt(),
        ["log"] = x => (x * x + 1).Log(),
        ["pow_scalar"] = x => (x.Abs() + 0.5).Pow(2.5),
        ["pow_zero"] = x => x.Pow(0) * x,
        ["pow_tensor"] = x => (x.Abs() + 0.5).Pow(s_y),
        ["pow_tensor_exponent"] = x => s_y.Abs().Pow(x),
        ["pow_scalar_base"] = x => Torch.Pow(2.0, x),
        ["where"] = x => Torch.Where(x.Gt(0), x * 2, x.Exp()),
        ["maximum"] = x => x.Maximum(s_y) * x,
        ["div"] = x => x / (x * x + 1),
        ["rsub"] = x => 1 - x * x,
        ["reciprocal"] = x => (x * x + 1).Reciprocal(),
        ["mm"] = x => x.Mm(x.T),
        ["mv"] = x => x.Matmul(x.Select(0, 0)),
        ["max"] = x => x.Max() * x,
        ["max_dim"] = x => x.Max(1).Values * x.Sum(),
        ["norm"] = x => x.Norm() * x,
        ["prod"] = x => x.Prod(1),
        ["var"] = x => x.Var(1),
        ["logsumexp"] = x => x.LogSumExp(1),
        ["softmax"] = x => x.Softmax(1),
        ["log_softmax"] = x => x.LogSoftmax(0),
        ["split"] = x => x.Split(1, 1)[2] * x.Split(1, 1)[0],
        ["unbind"] = x => x.Unbind(0)[1] * x.Unbind(0)[0],
        ["index_select"] = x => x.IndexSelect(1, Torch.Tensor(new long[] { 2, 0, 2 })) * 2,
        ["to_float32"] = x => x.Float().Exp(),
        ["in_place"] = x =>
        {
            var c = x * 1;
            c.MulInPlace(2);
            c.AddInPlace(x.Sin());
            return c.Exp();
        },
    };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in s_functions.Keys) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Vectorized_jacobian_equals_row_by_row(string name)
    {
        var f = s_functions[name];
        var loop = F.Jacobian(f, X());
        var batched = F.Jacobian(f, X(), vectorize: true);
        AssertClose(loop, batched, name);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Vectorized_hessian_equals_row_by_row(string name)
    {
        var f = s_functions[name];
        Tensor Scalar(Tensor x)
        {
            var y = f(x);
            return (y * y).Sum();
        }
        AssertClose(F.Hessian(Scalar, X()), F.Hessian(Scalar, X(), vectorize: true), name);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Vectorized_jacobian_with_createGraph_differentiates_like_row_by_row(string name)
    {
        var f = s_functions[name];
        Tensor GradOfJacobianNorm(bool vectorize)
        {
            var x = X().SetRequiresGrad(true);
            var j = F.Jacobian(f, x, createGraph: true, vectorize: vectorize);
            // A Jacobian that does not depend on x (a linear f) does not require grad, either way.
            var norm = (j * j).Sum();
            return norm.RequiresGrad ? Torch.Autograd.Grad(norm, [x], allowUnused: true)[0] ?? Torch.ZerosLike(x) : Torch.ZerosLike(x);
        }
        AssertClose(GradOfJacobianNorm(false), GradOfJacobianNorm(true), name);
    }

    [Fact]
    public void Vectorized_jacobian_through_an_in_place_write_into_a_view()
    {
        static Tensor F1(Tensor x)
        {
            var c = x.Clone();
            c.Select(0, 1).MulInPlace(x.Select(0, 0));
            return c * x;
        }
        AssertClose(F.Jacobian(F1, X()), F.Jacobian(F1, X(), vectorize: true), "copy_slices");
    }

    [Fact]
    public void A_constant_jacobian_does_not_require_grad_either_way()
    {
        var x = X().SetRequiresGrad(true);
        Assert.False(F.Jacobian(t => t.Mean(), x, createGraph: true).RequiresGrad);
        Assert.False(F.Jacobian(t => t.Mean(), x, createGraph: true, vectorize: true).RequiresGrad);
        Assert.True(F.Jacobian(t => t * t, x, createGraph: true, vectorize: true).RequiresGrad);
    }

    [Fact]
    public void Vectorized_jacobian_of_tuples_matches_row_by_row()
    {
        Tensor[] Fn(Tensor[] xs) => [xs[0] * xs[1].Sum(), xs[1].Exp(), (xs[0] * xs[0]).Sum()];
        Tensor[] inputs = [X(), Torch.Tensor(new[] { 0.5, -2.0 })];
        var loop = F.Jacobian(Fn, inputs);
        var batched = F.Jacobian(Fn, inputs, vectorize: true);
        for (int i = 0; i < loop.Length; i++)
            for (int j = 0; j < loop[i].Length; j++) AssertClose(loop[i][j], batched[i][j], $"[{i}][{j}]");
    }

    [Fact]
    public void Functional_results_leave_inputs_and_their_grads_alone()
    {
        var x = X().SetRequiresGrad(true);
        F.Hessian(t => (t.Exp() * t.Sin()).Sum(), x, vectorize: true);
        F.Vjp(t => t.Exp(), x, Torch.OnesLike(x));
        Assert.Null(x.Grad);
        Assert.Equal(0, x.VersionNumber);
        Assert.True(x.IsLeaf);
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.DType, actual.DType);
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        double tol = expected.DType == DType.Float64 ? 1e-12 : 1e-5;
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tol * Math.Max(1, Math.Abs(e[i])), $"{what}[{i}]: {a[i]} vs row by row {e[i]}");
    }
}
