using SharpGrad.Tests.Support;
using static SharpGrad.Tests.Autograd.AutogradTestUtil;

namespace SharpGrad.Tests.Autograd;

/// <summary>
/// Note [Broadcast reduction]: gradients come back in each input's dtype and shape, whatever the
/// op's broadcast shape and result dtype (values from PyTorch 1.13).
/// </summary>
public class TypeAndBroadcastTests
{
    private static Tensor Input(string name) =>
        FromJson(Fixture.GetProperty("inputs").GetProperty(name), requiresGrad: true);

    private static void CheckGrad(string expression, string leaf, Tensor grad)
    {
        var expected = Fixture.GetProperty("expressions").GetProperty(expression).GetProperty("grads").GetProperty(leaf);
        Assert.Equal(expected.GetProperty("dtype").GetString(), grad.DType.TorchName());
        Assert.Equal(Golden.Ints(expected.GetProperty("shape")), grad.Shape);
        Close(Golden.Doubles(expected.GetProperty("values")), grad, $"{expression}: d/d{leaf}");
    }

    private static Tensor GradOutput(string expression, Tensor result) =>
        Torch.Tensor<double>(Golden.Doubles(Fixture.GetProperty("expressions").GetProperty(expression).GetProperty("grad_output")),
            result.Shape, result.DType);

    [Theory]
    [InlineData("x * d")]
    [InlineData("x / d")]
    public void Mixed_float32_float64_gradients_follow_each_input_dtype(string expression)
    {
        var x = Input("x");
        var d = Input("d");
        var result = expression == "x * d" ? x * d : x / d;
        Assert.Equal(DType.Float64, result.DType);
        result.Backward(GradOutput(expression, result));
        Assert.Equal(DType.Float32, x.Grad!.DType);
        Assert.Equal(DType.Float64, d.Grad!.DType);
        CheckGrad(expression, "x", x.Grad);
        CheckGrad(expression, "d", d.Grad);
    }

    [Fact]
    public void A_float64_copy_sends_a_float32_gradient_back()
    {
        var x = Input("x");
        var result = x.To(DType.Float64);
        result.Backward(GradOutput("x.to(torch.float64)", result));
        CheckGrad("x.to(torch.float64)", "x", x.Grad!);
    }

    [Theory]
    [InlineData("c + r")]
    [InlineData("c * r")]
    public void Column_and_row_broadcast_gradients_sum_back_to_each_shape(string expression)
    {
        var c = Input("c");
        var r = Input("r");
        var result = expression == "c + r" ? c + r : c * r;
        Assert.Equal([3, 4], result.Shape);
        result.Backward(GradOutput(expression, result));
        Assert.Equal([3, 1], c.Grad!.Shape);
        Assert.Equal([1, 4], r.Grad!.Shape);
        CheckGrad(expression, "c", c.Grad);
        CheckGrad(expression, "r", r.Grad);
    }

    [Fact]
    public void A_lower_rank_operand_gets_a_gradient_of_its_own_rank()
    {
        var x = Input("x");
        var b = Input("b");
        var result = x + b;
        result.Backward(GradOutput("x + b", result));
        CheckGrad("x + b", "b", b.Grad!);
        CheckGrad("x + b", "x", x.Grad!);
    }

    [Fact]
    public void Grad_with_respect_to_a_broadcast_input_has_its_shape_and_dtype()
    {
        var c = Input("c");
        var r = Input("r").Double();
        var result = c * r;
        var grads = Torch.Autograd.Grad([result], [c], [GradOutput("c * r", result)]);
        Assert.Equal(DType.Float32, grads[0]!.DType);
        CheckGrad("c * r", "c", grads[0]!);
    }
}
