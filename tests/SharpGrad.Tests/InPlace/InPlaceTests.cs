namespace SharpGrad.Tests.InPlace;

public class InPlaceTests
{
    private static Tensor Vec(params double[] v) => Torch.Tensor(v);

    [Fact]
    public void Compound_operator_mutates_the_tensor_and_bumps_its_version()
    {
        var x = Torch.Tensor(new[] { 1f, 2f, 3f });
        var alias = x;
        x += 1;
        Assert.Same(alias, x);
        Assert.Equal([2f, 3f, 4f], x.ToArray<float>());
        Assert.Equal(1, x.VersionNumber);
        x *= Torch.Tensor(new[] { 2f, 2f, 2f });
        x -= 1.5;
        x /= 2;
        Assert.Equal([1.25f, 2.25f, 3.25f], x.ToArray<float>());
        Assert.Equal(4, x.VersionNumber);
    }

    [Fact]
    public void Leaf_that_requires_grad_cannot_be_modified_in_place_but_can_under_no_grad()
    {
        var x = Torch.Ones(3, requiresGrad: true);
        var e = Assert.Throws<InvalidOperationException>(() => x.AddInPlace(1));
        Assert.Equal("a leaf Variable that requires grad is being used in an in-place operation.", e.Message);
        Assert.Equal([1f, 1f, 1f], x.ToArray<float>());
        Assert.Equal(0, x.VersionNumber);
        var v = x.View(3, 1);
        e = Assert.Throws<InvalidOperationException>(() => v.MulInPlace(2));
        Assert.Equal("a view of a leaf Variable that requires grad is being used in an in-place operation.", e.Message);
        using (Torch.NoGrad()) x.SubInPlace(0.5);
        Assert.Equal([0.5f, 0.5f, 0.5f], x.ToArray<float>());
        Assert.True(x.IsLeaf);
    }

    [Fact]
    public void Shape_and_dtype_errors_leave_the_tensor_unchanged()
    {
        var y = Torch.Ones(3) * 2;
        var e = Assert.Throws<InvalidOperationException>(() => y.AddInPlace(Torch.Ones(2, 3)));
        Assert.Equal("output with shape [3] doesn't match the broadcast shape [2, 3]", e.Message);
        var i = Torch.Ones(3, DType.Int64);
        e = Assert.Throws<InvalidOperationException>(() => i.AddInPlace(1.5));
        Assert.Equal("result type Float can't be cast to the desired output type Long", e.Message);
        Assert.Equal([2f, 2f, 2f], y.ToArray<float>());
        Assert.Equal([1L, 1L, 1L], i.ToArray<long>());
        Assert.Equal(0, i.VersionNumber);
    }

    [Fact]
    public void In_place_on_a_non_leaf_takes_the_op_node_and_keeps_gradients_right()
    {
        var x = Torch.Tensor(new[] { 1.0, 2.0, 3.0 }, requiresGrad: true);
        var w = Torch.Tensor(new[] { 0.5, -1.0, 2.0 }, requiresGrad: true);
        var y = x * 2;
        y.MulInPlace(w);        // y = 2x * w
        Assert.Equal("MulBackward0", y.GradFn!.Name);
        y.ExpInPlace();         // y = exp(2xw)
        Assert.Equal("ExpBackward0", y.GradFn!.Name);
        y.AddInPlace(x, alpha: 3); // y = exp(2xw) + 3x
        Assert.Equal("AddBackward0", y.GradFn!.Name);
        y.Sum().Backward();
        var xs = new[] { 1.0, 2.0, 3.0 };
        var ws = new[] { 0.5, -1.0, 2.0 };
        var gx = x.Grad!.ToArray<double>();
        var gw = w.Grad!.ToArray<double>();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(2 * ws[i] * Math.Exp(2 * xs[i] * ws[i]) + 3, gx[i], 9);
            Assert.Equal(2 * xs[i] * Math.Exp(2 * xs[i] * ws[i]), gw[i], 9);
        }
    }

    [Fact]
    public void Zero_fill_and_copy_have_PyTorch_node_names_and_gradients()
    {
        var x = Torch.Tensor(new[] { 1.0, 2.0 }, requiresGrad: true);
        var y = x * 2;
        y.ZeroInPlace();
        Assert.Equal("ZeroBackward0", y.GradFn!.Name);
        y = x * 2;
        y.FillInPlace(7);
        Assert.Equal("FillBackward2", y.GradFn!.Name);
        Assert.Equal([7.0, 7.0], y.ToArray<double>());
        var src = Torch.Tensor(new[] { 5.0 }, requiresGrad: true);
        var z = x * 3;
        z.CopyInPlace(src);
        Assert.Equal("CopyBackwards", z.GradFn!.Name);
        (z * Vec(1, 2)).Sum().Backward();
        Assert.Equal([0.0, 0.0], x.Grad!.ToArray<double>());
        Assert.Equal([3.0], src.Grad!.ToArray<double>());
    }

    [Fact]
    public void Modifying_a_saved_output_is_detected_with_versions_and_the_saving_node()
    {
        var x = Torch.Tensor(new[] { 1f, 2f, 3f }, requiresGrad: true);
        var a = x.Exp();
        a.MulInPlace(2);
        Assert.Equal("MulBackward0", a.GradFn!.Name);
        var e = Assert.Throws<InvalidOperationException>(() => a.Sum().Backward());
        Assert.Equal(
            "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).",
            e.Message);
    }

    [Fact]
    public void Modifying_a_saved_input_is_detected()
    {
        var x = Torch.Tensor(new[] { 1f, 2f, 3f }, requiresGrad: true);
        var w = Torch.Tensor(new[] { 1f, 2f, 3f });
        var z = x * w;
        w.AddInPlace(1);
        var e = Assert.Throws<InvalidOperationException>(() => z.Sum().Backward());
        Assert.StartsWith("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]] is at version 1; expected version 0 instead.", e.Message);

        var y = x * 1;
        var b = y.Exp();
        var prod = y * b;
        y.AddInPlace(1);
        e = Assert.Throws<InvalidOperationException>(() => prod.Sum().Backward());
        Assert.Contains("[torch.FloatTensor [3]], which is output 0 of MulBackward0, is at version 1; expected version 0 instead.", e.Message);
    }

    [Fact]
    public void In_place_through_a_view_of_a_non_leaf_routes_gradients_through_CopySlices()
    {
        var x = Torch.Tensor(new[] { 1.0, 2.0, 3.0, 4.0 }, requiresGrad: true);
        var y = x * 2;
        var v = y.View(2, 2);
        v.MulInPlace(v.Detach() + 1); // y = 2x * (2x + 1) elementwise, written through the view
        Assert.Equal("CopySlices", y.GradFn!.Name);
        Assert.Equal("AsStridedBackward0", v.GradFn!.Name);
        y.Sum().Backward();
        var g = x.Grad!.ToArray<double>();
        double[] xs = [1, 2, 3, 4];
        for (int i = 0; i < 4; i++) Assert.Equal(2 * (2 * xs[i] + 1), g[i], 9);
    }

    [Fact]
    public void A_sibling_view_sees_in_place_writes_to_the_base()
    {
        var x = Torch.Tensor(new[] { 1.0, 2.0 }, requiresGrad: true);
        var y = x * 2;
        var v = y.View(2, 1);
        Assert.Equal("ViewBackward0", v.GradFn!.Name);
        y.MulInPlace(3);
        Assert.Equal("AsStridedBackward0", v.GradFn!.Name);
        v.Sum().Backward();
        Assert.Equal([6.0, 6.0], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Writing_a_tensor_that_requires_grad_into_a_plain_buffer_makes_the_buffer_part_of_the_graph()
    {
        var x = Torch.Tensor(new[] { 3.0, 4.0 }, requiresGrad: true);
        var buffer = Torch.Zeros(2, 2, DType.Float64);
        var row = buffer.View(4).Expand(1, 4).View(2, 2); // a view of the buffer
        row.CopyInPlace(x * x);
        Assert.True(buffer.RequiresGrad);
        Assert.Equal("CopySlices", buffer.GradFn!.Name);
        buffer.Sum().Backward();
        Assert.Equal([12.0, 16.0], x.Grad!.ToArray<double>());
    }
}
