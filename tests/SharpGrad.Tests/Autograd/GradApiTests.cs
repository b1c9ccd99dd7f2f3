using SharpGrad.Tests.Support;
using static SharpGrad.Tests.Autograd.AutogradTestUtil;

namespace SharpGrad.Tests.Autograd;

/// <summary><c>Torch.Autograd.Grad</c>: returns gradients without touching <c>.Grad</c> (values from PyTorch 1.13).</summary>
public class GradApiTests
{
    private static readonly System.Text.Json.JsonElement s_special = Fixture.GetProperty("special");

    private static Tensor X() => Torch.Tensor(new[] { 1f, 2f, 3f }, requiresGrad: true);

    [Fact]
    public void Grad_returns_gradients_and_leaves_Grad_alone()
    {
        var x = X();
        var result = Torch.Autograd.Grad([(x * 3).Sum()], [x]);
        Assert.Single(result);
        Close(Golden.Doubles(s_special.GetProperty("allow_unused")[0]), result[0]!);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void AllowUnused_returns_null_for_an_input_the_graph_does_not_use()
    {
        var x = X();
        var u = Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true);
        var result = Torch.Autograd.Grad((x * 3).Sum(), [x, u], allowUnused: true);
        var expected = s_special.GetProperty("allow_unused");
        Close(Golden.Doubles(expected[0]), result[0]!);
        Assert.True(expected[1].GetBoolean());
        Assert.Null(result[1]);
        Assert.Null(x.Grad);
        Assert.Null(u.Grad);
    }

    [Fact]
    public void Unused_input_without_allowUnused_fails_with_PyTorchs_text()
    {
        var x = X();
        var u = Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true);
        Assert.Equal(Fixture.GetProperty("errors").GetProperty("unused").GetString(),
            Message<InvalidOperationException>(() => Torch.Autograd.Grad((x * 2).Sum(), [x, u])));
    }

    [Fact]
    public void An_input_that_does_not_require_grad_fails_with_PyTorchs_text()
    {
        var x = X();
        Assert.Equal(Fixture.GetProperty("errors").GetProperty("input_not_requiring_grad").GetString(),
            Message<InvalidOperationException>(() => Torch.Autograd.Grad((x * 2).Sum(), [x, Torch.Ones(2)])));
    }

    [Fact]
    public void Grad_with_respect_to_a_non_leaf()
    {
        var x = X();
        var z = x * 2;
        var w = (z.Exp() * z).Sum();
        var result = Torch.Autograd.Grad(w, [z]);
        Close(Golden.Doubles(s_special.GetProperty("grad_non_leaf")), result[0]!);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Grad_of_an_output_with_respect_to_itself_is_the_gradient_argument()
    {
        var x = X();
        var y = x * 2;
        var ofSelf = Torch.Autograd.Grad([y], [y], [Torch.Tensor(new[] { 1f, 2f, 3f })]);
        Close(Golden.Doubles(s_special.GetProperty("grad_of_self")), ofSelf[0]!);
        var ofLeaf = Torch.Autograd.Grad([x], [x], [Torch.Tensor(new[] { 4f, 5f, 6f })]);
        Close(Golden.Doubles(s_special.GetProperty("grad_of_leaf_self")), ofLeaf[0]!);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Grad_fills_retained_grads_of_non_leaves_but_not_leaf_grads()
    {
        var expected = s_special.GetProperty("grad_retained");
        var x = X();
        var y = x * 2;
        y.RetainGrad();
        var result = Torch.Autograd.Grad((y * y).Sum(), [x]);
        Close(Golden.Doubles(expected.GetProperty("result")), result[0]!);
        Assert.True(expected.GetProperty("x_grad_is_none").GetBoolean());
        Assert.Null(x.Grad);
        Close(Golden.Doubles(expected.GetProperty("y_grad")), y.Grad!);
    }

    [Fact]
    public void Grad_frees_the_graph_unless_retained()
    {
        var x = X();
        var s = (x * x).Sum();
        Torch.Autograd.Grad(s, [x], retainGraph: true);
        Torch.Autograd.Grad(s, [x]);
        Assert.Equal(Fixture.GetProperty("errors").GetProperty("second_backward").GetString(),
            Message<InvalidOperationException>(() => Torch.Autograd.Grad(s, [x])));
    }

    [Fact]
    public void CreateGraph_makes_the_result_differentiable()
    {
        var expected = s_special.GetProperty("double_backward");
        var x = X();
        var first = Torch.Autograd.Grad((x * x * x).Sum(), [x], createGraph: true)[0]!;
        Close(Golden.Doubles(expected.GetProperty("first")), first);
        Assert.Equal(expected.GetProperty("first_requires_grad").GetBoolean(), first.RequiresGrad);
        var second = Torch.Autograd.Grad(first.Sum(), [x])[0]!;
        Close(Golden.Doubles(expected.GetProperty("second")), second);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Gradients_of_several_outputs_are_summed()
    {
        var v = Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true);
        var result = Torch.Autograd.Grad([(v * 2).Sum(), (v * 3).Sum()], [v]);
        Close(Golden.Doubles(s_special.GetProperty("grad_two_outputs")), result[0]!);
    }

    [Fact]
    public void An_input_listed_twice_gets_its_gradient_twice()
    {
        var v = Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true);
        var result = Torch.Autograd.Grad([(v * 2).Sum()], [v, v]);
        var expected = s_special.GetProperty("grad_input_twice");
        Close(Golden.Doubles(expected[0]), result[0]!);
        Close(Golden.Doubles(expected[1]), result[1]!);
    }

    [Fact]
    public void A_non_leaf_and_its_leaf_together()
    {
        var v = Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true);
        var w = v * 2;
        var result = Torch.Autograd.Grad([w.Sum()], [w, v]);
        var expected = s_special.GetProperty("grad_non_leaf_and_leaf");
        Close(Golden.Doubles(expected[0]), result[0]!);
        Close(Golden.Doubles(expected[1]), result[1]!);
    }

    [Fact]
    public void Grad_needs_a_gradient_argument_for_non_scalar_outputs()
    {
        var x = X();
        Assert.Equal(Fixture.GetProperty("errors").GetProperty("grad_implicit_scalar").GetString(),
            Message<InvalidOperationException>(() => Torch.Autograd.Grad(x * 2, [x])));
    }
}
