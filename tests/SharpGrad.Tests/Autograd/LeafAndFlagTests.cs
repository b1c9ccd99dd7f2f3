using System.Text.Json;
using System.Text.RegularExpressions;
using SharpGrad.Autograd;
using SharpGrad.Tests.Support;
using static SharpGrad.Tests.Autograd.AutogradTestUtil;

namespace SharpGrad.Tests.Autograd;

/// <summary>Leaves and flags: RequiresGrad, IsLeaf, Detach / Data, GradFn, NextFunctions, RetainGrad, the Grad setter.</summary>
public class LeafAndFlagTests
{
    private static readonly JsonElement s_flags = Fixture.GetProperty("flags");

    private static string Error(string name) => Fixture.GetProperty("errors").GetProperty(name).GetString()!;

    public static TheoryData<string> FlagCases() =>
        ["leaf", "plain", "result", "plain_result", "no_grad_result", "detach", "data", "leaf_detach", "leaf_data"];

    [Theory]
    [MemberData(nameof(FlagCases))]
    public void Flags_match_PyTorch(string name)
    {
        var x = Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true);
        var plain = Torch.Tensor(new[] { 1f, 2f });
        var y = x * 2;
        var t = name switch
        {
            "leaf" => x,
            "plain" => plain,
            "result" => y,
            "plain_result" => plain * 2,
            "no_grad_result" => Torch.NoGrad(() => x * 2),
            "detach" => y.Detach(),
            "data" => y.Data,
            "leaf_detach" => x.Detach(),
            _ => x.Data,
        };
        var expected = s_flags.GetProperty(name);
        Assert.Equal(expected.GetProperty("is_leaf").GetBoolean(), t.IsLeaf);
        Assert.Equal(expected.GetProperty("requires_grad").GetBoolean(), t.RequiresGrad);
        Assert.Equal(expected.GetProperty("retains_grad").GetBoolean(), t.RetainsGrad);
        var fn = expected.GetProperty("grad_fn");
        Assert.Equal(fn.ValueKind == JsonValueKind.Null ? null : fn.GetString(), t.GradFn?.Name);
    }

    [Fact]
    public void RequiresGrad_can_be_switched_on_a_leaf()
    {
        var x = Torch.Ones(2);
        x.RequiresGrad = true;
        Assert.True(x.RequiresGrad);
        Assert.Same(x, x.SetRequiresGrad(false));
        var expected = s_flags.GetProperty("leaf_after_requires_grad_false");
        Assert.Equal(expected.GetProperty("requires_grad").GetBoolean(), x.RequiresGrad);
        Assert.Equal(expected.GetProperty("is_leaf").GetBoolean(), x.IsLeaf);
        Assert.Null((x * 2).GradFn);
    }

    [Fact]
    public void RequiresGrad_false_on_a_non_leaf_fails_and_changes_nothing()
    {
        var y = Torch.Ones(2, requiresGrad: true) * 2;
        Assert.Equal(Error("non_leaf_requires_grad_false"), Message<InvalidOperationException>(() => y.RequiresGrad = false));
        Assert.Equal(Error("non_leaf_requires_grad_method_false"), Message<InvalidOperationException>(() => y.SetRequiresGrad(false)));
        Assert.True(y.RequiresGrad);
        Assert.NotNull(y.GradFn);
    }

    [Fact]
    public void SetRequiresGrad_true_on_a_non_leaf_is_allowed()
    {
        // PyTorch: y.requires_grad_(True) on a non-leaf that requires grad is a no-op.
        var y = Torch.Ones(2, requiresGrad: true) * 2;
        Assert.Same(y, y.SetRequiresGrad(true));
        Assert.Equal(s_flags.GetProperty("result").GetProperty("grad_fn").GetString(), y.GradFn!.Name);
    }

    [Theory]
    [InlineData(DType.Int64, "int_requires_grad_attribute")]
    [InlineData(DType.Int32, "int32_requires_grad_attribute")]
    [InlineData(DType.Bool, "bool_requires_grad_attribute")]
    public void Integer_and_bool_tensors_cannot_require_grad(DType dtype, string error)
    {
        var t = Torch.Ones(2, dtype);
        Assert.Equal(Error(error), Message<InvalidOperationException>(() => t.RequiresGrad = true));
        Assert.False(t.RequiresGrad);
        t.RequiresGrad = false; // switching it off is always fine
    }

    [Fact]
    public void Detach_and_Data_share_storage_with_the_original()
    {
        var s = Torch.Tensor(new[] { 1f, 2f, 3f }, requiresGrad: true);
        s.Detach().Storage.As<float>()[s.Detach().StorageOffset] = 10f;
        var data = s.Data;
        data.Storage.As<float>()[data.StorageOffset + 2] = 30f;
        Close(Golden.Doubles(s_flags.GetProperty("storage_shared")), s);
        Assert.Same(s.Storage, s.Detach().Storage);
        Assert.Same(s.Storage, s.Data.Storage);
    }

    [Fact]
    public void Detach_shares_the_version_counter_and_Data_does_not()
    {
        var expected = Fixture.GetProperty("special").GetProperty("version");
        var v = Torch.Ones(3, requiresGrad: true);
        v.Detach().AddInPlaceUnchecked(Torch.Ones(3));
        Assert.Equal(expected.GetProperty("after_detach_write").GetInt32(), v.VersionNumber);
        v.Data.AddInPlaceUnchecked(Torch.Ones(3));
        Assert.Equal(expected.GetProperty("after_data_write").GetInt32(), v.VersionNumber);
        Close(Golden.Doubles(expected.GetProperty("values")), v);
    }

    [Fact]
    public void NextFunctions_reach_leaves_through_their_AccumulateGrad()
    {
        var x = Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true);
        var y = x * 2;
        var (acc, nr) = y.GradFn!.NextFunctions[0];
        Assert.Equal(0, nr);
        var accumulate = Assert.IsType<AccumulateGrad>(acc);
        Assert.Same(x, accumulate.Variable);
        Assert.Empty(accumulate.NextFunctions);
        Assert.Equal((null, 0), y.GradFn.NextFunctions[1]); // the wrapped number 2
        // One AccumulateGrad per leaf, shared by every use.
        Assert.Same(acc, (x + 1).GradFn!.NextFunctions[0].Function);
    }

    [Fact]
    public void Node_ToString_is_PyTorchs_repr()
    {
        var x = Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true);
        var y = x * x;
        Assert.Matches(new Regex("^<MulBackward0 object at 0x[0-9a-f]{12}>$"), y.GradFn!.ToString());
        Assert.Matches(new Regex("^<AccumulateGrad object at 0x[0-9a-f]{12}>$"), y.GradFn.NextFunctions[0].Function!.ToString());
        Assert.Matches(new Regex("^<SumBackward0 object at 0x[0-9a-f]{12}>$"), y.Sum().GradFn!.ToString());
    }

    [Fact]
    public void RetainGrad_keeps_a_non_leaf_gradient_and_accumulates_it()
    {
        var expected = s_flags.GetProperty("retained");
        var z = Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true);
        var q = z * 3;
        Assert.False(q.RetainsGrad);
        q.RetainGrad();
        q.RetainGrad(); // idempotent
        Assert.Equal(s_flags.GetProperty("result_after_retain_grad").GetProperty("retains_grad").GetBoolean(), q.RetainsGrad);
        (q * q).Sum().Backward(retainGraph: true);
        Close(Golden.Doubles(expected.GetProperty("once")), q.Grad!);
        (q * q).Sum().Backward();
        Close(Golden.Doubles(expected.GetProperty("twice")), q.Grad!);
        Close(Golden.Doubles(expected.GetProperty("leaf")), z.Grad!);
    }

    [Fact]
    public void RetainGrad_on_a_leaf_is_a_no_op_and_needs_requires_grad()
    {
        var z = Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true);
        z.RetainGrad();
        Assert.Equal(s_flags.GetProperty("leaf_after_retain_grad").GetProperty("retains_grad").GetBoolean(), z.RetainsGrad);
        Assert.Equal(Error("retain_grad_no_grad"), Message<InvalidOperationException>(() => Torch.Ones(2).RetainGrad()));
    }

    [Fact]
    public void Grad_of_a_non_leaf_can_be_assigned()
    {
        var w = Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true) * 2;
        w.Grad = Torch.Tensor(new[] { 5f, 6f });
        Close(Golden.Doubles(s_flags.GetProperty("non_leaf_grad_assigned")), w.Grad!);
    }

    [Fact]
    public void The_Grad_setter_checks_dtype_before_shape_and_changes_nothing_on_failure()
    {
        var a = Torch.Ones(2, requiresGrad: true);
        var kept = Torch.Tensor(new[] { 7f, 8f });
        a.Grad = kept;
        Assert.Equal(Error("grad_setter_size"), Message<InvalidOperationException>(() => a.Grad = Torch.Zeros(3)));
        Assert.Equal(Error("grad_setter_size_2d"), Message<InvalidOperationException>(() => a.Grad = Torch.Zeros(1, 2)));
        Assert.Equal(Error("grad_setter_size_0d"), Message<InvalidOperationException>(() => a.Grad = Torch.Zeros([])));
        Assert.Equal(Error("grad_setter_type"), Message<InvalidOperationException>(() => a.Grad = Torch.Zeros(2, DType.Float64)));
        Assert.Equal(Error("grad_setter_type_int"), Message<InvalidOperationException>(() => a.Grad = Torch.Zeros(2, DType.Int64)));
        Assert.Equal(Error("grad_setter_type_and_size"), Message<InvalidOperationException>(() => a.Grad = Torch.Zeros(3, DType.Float64)));
        Assert.Same(kept, a.Grad);
    }
}
