using System.Diagnostics;
using System.Reflection;
using static SharpGrad.Torch;

namespace SharpGrad.Tests.Tensors;

/// <summary>What a debugger shows for a tensor: the DebuggerDisplay line and the TensorDebugView proxy.</summary>
public class TensorDebugViewTests
{
    [Fact]
    public void Tensor_carries_the_display_and_proxy_attributes()
    {
        var display = typeof(Tensor).GetCustomAttribute<DebuggerDisplayAttribute>();
        Assert.Equal("{DebuggerSummary,nq}", display!.Value);
        var proxy = typeof(Tensor).GetCustomAttribute<DebuggerTypeProxyAttribute>();
        Assert.Equal(typeof(TensorDebugView).AssemblyQualifiedName, proxy!.ProxyTypeName);
        // The debugger builds the proxy through a constructor taking the tensor.
        Assert.NotNull(typeof(TensorDebugView).GetConstructor([typeof(Tensor)]));
        var items = typeof(TensorDebugView).GetProperty(nameof(TensorDebugView.Items))!.GetCustomAttribute<DebuggerBrowsableAttribute>();
        Assert.Equal(DebuggerBrowsableState.RootHidden, items!.State);
    }

    [Fact]
    public void Display_line_shows_shape_dtype_requires_grad_and_grad_fn()
    {
        var w = Ones(2, 3, requiresGrad: true);
        Assert.Equal("tensor [2, 3] torch.float32 requires_grad", w.DebuggerSummary);
        Assert.Equal("tensor [2, 3] torch.float32 requires_grad grad_fn=MulBackward0", (w * w).DebuggerSummary);
        Assert.Equal("tensor [] torch.int64", Tensor(7L).DebuggerSummary);
    }

    [Fact]
    public void Proxy_shows_layout_and_autograd_state()
    {
        var w = Tensor(new[,] { { 1.0, 2.0, 3.0 }, { 4.0, 5.0, 6.0 } }, requiresGrad: true);
        var y = w * 2;
        var leaf = new TensorDebugView(w);
        Assert.Equal([2, 3], leaf.Shape);
        Assert.Equal([3, 1], leaf.Strides);
        Assert.Equal(DType.Float64, leaf.DType);
        Assert.True(leaf.RequiresGrad);
        Assert.True(leaf.IsLeaf);
        Assert.Null(leaf.GradFn);
        Assert.Null(leaf.Grad);
        Assert.Equal(6, leaf.Numel);
        Assert.True(leaf.IsContiguous);
        Assert.False(leaf.IsTruncated);

        var node = new TensorDebugView(y);
        Assert.Equal("MulBackward0", node.GradFn);
        Assert.False(node.IsLeaf);
        Assert.Null(node.Grad); // read without the non-leaf .grad warning

        y.Sum().Backward();
        Assert.Same(w.Grad, leaf.Grad);

        var plain = Zeros(3);
        int before = new TensorDebugView(plain).Version;
        plain.AddInPlace(1);
        Assert.Equal(before + 1, new TensorDebugView(plain).Version);
    }

    [Fact]
    public void Values_and_items_follow_logical_order_of_any_view()
    {
        var a = Arange(12L).Reshape(3, 4);
        var t = a.T.Narrow(0, 1, 2); // shape (2, 3), strides (1, 4), offset 1
        var view = new TensorDebugView(t);
        Assert.Equal([2, 3], view.Shape);
        Assert.Equal([1, 4], view.Strides);
        Assert.Equal(1, view.StorageOffset);
        Assert.False(view.IsContiguous);
        Assert.Equal(t.ToArray<long>(), Assert.IsType<long[]>(view.Values));
        var rows = Assert.IsType<object[]>(view.Items);
        Assert.Equal(2, rows.Length);
        Assert.Equal(new long[] { 1, 5, 9 }, Assert.IsType<long[]>(rows[0]));
        Assert.Equal(new long[] { 2, 6, 10 }, Assert.IsType<long[]>(rows[1]));
    }

    [Fact]
    public void Every_dtype_and_zero_dim_tensors_are_shown()
    {
        Assert.Equal(new[] { true, false }, new TensorDebugView(Tensor(new[] { true, false })).Values);
        Assert.Equal(new[] { 3, 4 }, new TensorDebugView(Tensor(new[] { 3, 4 })).Items);
        Assert.Equal(new[] { 1f }, new TensorDebugView(Ones(1)).Items);
        var scalar = new TensorDebugView(Tensor(2.5));
        Assert.Equal(new[] { 2.5 }, scalar.Values);
        Assert.Equal(new[] { 2.5 }, scalar.Items);
        Assert.Empty(new TensorDebugView(Zeros(0, 3)).Values);
        Assert.Empty(new TensorDebugView(Zeros(0, 3)).Items);
    }

    [Fact]
    public void Large_tensors_show_a_bounded_prefix_and_corner()
    {
        var big = Arange(2000.0f).Reshape(50, 40);
        var view = new TensorDebugView(big);
        Assert.True(view.IsTruncated);
        var values = Assert.IsType<float[]>(view.Values);
        Assert.Equal(TensorDebugView.MaxElements, values.Length);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (float)i), values);
        // The corner keeps whole rows: 25 rows of 40 is the most that fits in 1,000 elements.
        var rows = Assert.IsType<object[]>(view.Items);
        Assert.Equal(25, rows.Length);
        var row24 = Assert.IsType<float[]>(rows[24]);
        Assert.Equal(Enumerable.Range(24 * 40, 40).Select(i => (float)i), row24);

        var wide = new TensorDebugView(Zeros(3, 5000));
        var wideRows = Assert.IsType<object[]>(wide.Items);
        Assert.Single(wideRows);
        Assert.Equal(1000, Assert.IsType<float[]>(wideRows[0]).Length);
    }
}
