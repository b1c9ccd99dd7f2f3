namespace SharpGrad.Tests;

public class ConversionTests
{
    [Fact]
    public void To_casts_and_the_gradient_comes_back_in_the_input_dtype()
    {
        var x = Torch.Tensor(new[] { 1.5, -2.0, 3.25 }, requiresGrad: true);
        var y = x.To(DType.Float32);
        Assert.Equal(DType.Float32, y.DType);
        Assert.Equal("ToCopyBackward0", y.GradFn!.Name);
        (y * 3).Sum().Backward();
        Assert.Equal(DType.Float64, x.Grad!.DType);
        Assert.Equal([3.0, 3.0, 3.0], x.Grad.ToArray<double>());
    }

    [Fact]
    public void To_the_same_dtype_returns_the_tensor_itself()
    {
        var x = Torch.Ones(2);
        Assert.Same(x, x.To(DType.Float32));
    }

    [Fact]
    public void Integer_conversion_truncates_toward_zero()
    {
        var x = Torch.Tensor(new[] { 1.7f, -1.7f, 0.2f });
        Assert.Equal([1L, -1L, 0L], x.To(DType.Int64).ToArray<long>());
        Assert.Equal([true, true, true], x.To(DType.Bool).ToArray<bool>());
    }
}
