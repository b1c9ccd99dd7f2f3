namespace SharpGrad.Tests;

public class ReductionTests
{
    public static TheoryData<string> GoldenCases() => ReductionGolden.Names(ReductionGolden.Cases(linalg: false));

    public static TheoryData<string> GoldenErrors() => ReductionGolden.Names(ReductionGolden.Errors(linalg: false));

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Matches_pytorch(string name) => ReductionGolden.Run(name);

    [Theory]
    [MemberData(nameof(GoldenErrors))]
    public void Errors_match_pytorch(string name) => ReductionGolden.RunError(name);

    [Fact]
    public void Max_over_a_dim_deconstructs_into_values_and_indices()
    {
        var x = Torch.Tensor(new[,] { { 1f, 5f, 3f }, { 5f, 2f, 0f } }, requiresGrad: true);
        var (values, indices) = x.Max(1);
        Assert.Equal([5f, 5f], values.ToArray<float>());
        Assert.Equal([1L, 0L], indices.ToArray<long>());
        Assert.Equal(DType.Int64, indices.DType);
        Assert.Null(indices.GradFn);
        Assert.False(indices.RequiresGrad);
        Assert.Equal("MaxBackward0", values.GradFn!.Name);
    }

    [Fact]
    public void Values_indices_prints_as_torch_return_types()
    {
        var x = Torch.Tensor(new[] { 1f, 2f });
        var pair = Torch.Min(x, 0);
        string text = pair.ToString();
        Assert.StartsWith("torch.return_types.min(\nvalues=", text);
        Assert.Contains(",\nindices=", text);
        Assert.StartsWith("torch.return_types.max(", x.Max(0).ToString());
    }

    [Fact]
    public void Max_gradient_is_shared_among_ties()
    {
        var x = Torch.Tensor(new[] { 3.0, 1.0, 3.0, 3.0 }, requiresGrad: true);
        x.Max().Backward();
        Assert.Equal([1.0 / 3, 0, 1.0 / 3, 1.0 / 3], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Max_over_dim_gradient_goes_to_the_first_maximum()
    {
        var x = Torch.Tensor(new[,] { { 2.0, 5.0, 5.0 }, { 7.0, 7.0, 0.0 } }, requiresGrad: true);
        x.Max(1, keepDim: true).Values.Sum().Backward();
        Assert.Equal([0.0, 1, 0, 1, 0, 0], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Reductions_of_non_contiguous_inputs_follow_the_logical_order()
    {
        // A transposed view: argmax's flat index is row-major over the logical shape.
        var storage = Torch.Tensor(new[] { 5.0, 9.0, 1.0, 2.0, 3.0, 4.0 });
        var t = new Tensor(storage.Storage, 0, [3, 2], [1, 3]);
        Assert.Equal([[5.0, 2.0], [9.0, 3.0], [1.0, 4.0]], ToRows(t));
        Assert.Equal(2L, t.ArgMax().Item<long>());
        Assert.Equal([1L, 2L], t.ArgMax(0).ToArray<long>());
        Assert.Equal(9.0, t.Max().Item<double>());
        Assert.Equal(1080.0, t.Prod().Item<double>());
        Assert.Equal([10.0, 27.0, 4.0], t.Prod(1).ToArray<double>());
    }

    [Fact]
    public void Var_of_a_single_element_is_nan_and_std_of_constant_has_zero_gradient()
    {
        Assert.True(double.IsNaN(Torch.Tensor(new[] { 2.0 }).Var().Item<double>()));
        Assert.Equal(0.0, Torch.Tensor(new[] { 2.0 }).Var(unbiased: false).Item<double>());
        var x = Torch.Tensor(new[] { 3.0, 3.0 }, requiresGrad: true);
        x.Std().Backward();
        Assert.Equal([0.0, 0.0], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Prod_double_backward_with_one_zero_matches_the_exclusive_products()
    {
        // f = prod(x) with x = (2, 0, 3): df/dx = (0, 6, 0); d2f/dx1dx0 = 3, d2f/dx1dx2 = 2.
        var x = Torch.Tensor(new[] { 2.0, 0.0, 3.0 }, requiresGrad: true);
        var g = Torch.Autograd.Grad(x.Prod(), [x], createGraph: true)[0]!;
        Assert.Equal([0.0, 6.0, 0.0], g.ToArray<double>());
        var h = Torch.Autograd.Grad((g * Torch.Tensor(new[] { 0.0, 1.0, 0.0 })).Sum(), [x]);
        Assert.Equal([3.0, 0.0, 2.0], h[0]!.ToArray<double>());
    }

    [Fact]
    public void Norm_at_a_zero_vector_has_zero_gradient()
    {
        var x = Torch.Zeros([3], requiresGrad: true);
        var n = Torch.Norm(x);
        Assert.Equal("NormBackward1", n.GradFn!.Name);
        n.Backward();
        Assert.Equal([0f, 0f, 0f], x.Grad!.ToArray<float>());
    }

    [Fact]
    public void Integer_reductions_keep_or_widen_their_dtype()
    {
        var ints = Torch.Tensor(new[] { 3, 1, 4 });
        Assert.Equal(DType.Int32, ints.Max().DType);
        Assert.Equal(DType.Int32, ints.Min(0).Values.DType);
        Assert.Equal(DType.Int64, ints.Prod().DType);
        Assert.Equal(12L, ints.Prod().Item<long>());
        Assert.Equal(DType.Int64, ints.ArgMax().DType);
        Assert.Equal(DType.Float32, ints.LogSumExp(0).DType);
        Assert.Equal(DType.Bool, Torch.Tensor(new[] { true, false }).Max().DType);
    }

    [Fact]
    public void A_failed_reduction_leaves_no_graph_behind()
    {
        var x = Torch.Zeros([0, 3], requiresGrad: true);
        Assert.Throws<IndexOutOfRangeException>(() => x.Max(0));
        Assert.Throws<InvalidOperationException>(() => x.Min());
        Assert.True(x.IsLeaf);
        Assert.Null(x.Grad);
    }

    private static double[][] ToRows(Tensor t)
    {
        var flat = t.ToArray<double>();
        return Enumerable.Range(0, t.Size(0)).Select(r => flat.Skip(r * t.Size(1)).Take(t.Size(1)).ToArray()).ToArray();
    }
}
