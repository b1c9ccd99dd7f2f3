using static SharpGrad.Tests.Autograd.AutogradTestUtil;

namespace SharpGrad.Tests.Autograd;

/// <summary>
/// Every autograd error text of gen_autograd.py, copied from PyTorch 1.13's <c>str(exception)</c>
/// (all RuntimeError, so InvalidOperationException here).
/// </summary>
public class GoldenErrorTests
{
    private static Tensor X() => Torch.Tensor(new[] { 1f, 2f, 3f }, requiresGrad: true);

    private static readonly Dictionary<string, Action> s_cases = new()
    {
        ["implicit_scalar"] = () => (X() * 2).Backward(),
        ["no_grad_fn_0"] = () => Torch.Ones(3).Sum().Backward(),
        ["no_grad_fn_1"] = () => Torch.Autograd.Backward([(X() * 2).Sum(), Torch.Ones(2).Sum()]),
        ["shape_mismatch"] = () => (X() * 2).Backward(Torch.Ones(2)),
        ["shape_mismatch_scalar"] = () => (X() * 2).Sum().Backward(Torch.Ones(1)),
        ["too_few_gradients"] = () =>
        {
            var x = X();
            Torch.Autograd.Backward([(x * 2).Sum(), (x * 3).Sum()], [Torch.Tensor(1f)]);
        },
        ["second_backward"] = () =>
        {
            var x = X();
            var s = (x * x).Sum();
            s.Backward();
            s.Backward();
        },
        ["unused"] = () =>
        {
            var x = X();
            Torch.Autograd.Grad((x * 2).Sum(), [x, Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true)]);
        },
        ["input_not_requiring_grad"] = () =>
        {
            var x = X();
            Torch.Autograd.Grad((x * 2).Sum(), [x, Torch.Ones(2)]);
        },
        ["grad_implicit_scalar"] = () =>
        {
            var x = X();
            Torch.Autograd.Grad(x * 2, [x]);
        },
        ["grad_no_outputs"] = () => Torch.Autograd.Grad(Array.Empty<Tensor>(), [X()]),
        ["non_leaf_requires_grad_false"] = () => (X() * 2).RequiresGrad = false,
        ["non_leaf_requires_grad_true"] = () => (X() * 2).RequiresGrad = true,
        ["non_leaf_requires_grad_method_false"] = () => (X() * 2).SetRequiresGrad(false),
        ["int_requires_grad_attribute"] = () => Torch.Ones(2, DType.Int64).RequiresGrad = true,
        ["int32_requires_grad_attribute"] = () => Torch.Ones(2, DType.Int32).RequiresGrad = true,
        ["bool_requires_grad_attribute"] = () => Torch.Ones(2, DType.Bool).RequiresGrad = true,
        ["int_requires_grad_method"] = () => Torch.Ones(2, DType.Int64).SetRequiresGrad(),
        ["bool_requires_grad_method"] = () => Torch.Ones(2, DType.Bool).SetRequiresGrad(),
        ["int_requires_grad_factory"] = () => Torch.Zeros(2, DType.Int64, requiresGrad: true),
        ["int32_requires_grad_factory"] = () => Torch.Ones(2, DType.Int32, requiresGrad: true),
        ["retain_grad_no_grad"] = () => Torch.Ones(2).RetainGrad(),
        ["grad_setter_size"] = () => Torch.Ones(2, requiresGrad: true).Grad = Torch.Zeros(3),
        ["grad_setter_size_2d"] = () => Torch.Ones(2, requiresGrad: true).Grad = Torch.Zeros(1, 2),
        ["grad_setter_size_0d"] = () => Torch.Ones(2, requiresGrad: true).Grad = Torch.Zeros([]),
        ["grad_setter_type"] = () => Torch.Ones(2, requiresGrad: true).Grad = Torch.Zeros(2, DType.Float64),
        ["grad_setter_type_int"] = () => Torch.Ones(2, requiresGrad: true).Grad = Torch.Zeros(2, DType.Int64),
        ["grad_setter_type_and_size"] = () => Torch.Ones(2, requiresGrad: true).Grad = Torch.Zeros(3, DType.Float64),
        ["grad_setter_self"] = () =>
        {
            var a = Torch.Ones(2, requiresGrad: true);
            a.Grad = a;
        },
    };

    /// <summary>
    /// Messages that differ from PyTorch in code outside this area (TensorAutograd.cs,
    /// Factories.cs): each is pinned by a skipped test below and listed in the report.
    /// </summary>
    private static readonly HashSet<string> s_pending =
    [
        "non_leaf_requires_grad_true",
        "int_requires_grad_method",
        "bool_requires_grad_method",
        "int_requires_grad_factory",
        "int32_requires_grad_factory",
        "grad_setter_self",
    ];

    public static TheoryData<string> Matching()
    {
        var data = new TheoryData<string>();
        foreach (var e in Fixture.GetProperty("errors").EnumerateObject())
            if (!s_pending.Contains(e.Name)) data.Add(e.Name);
        return data;
    }

    [Fact]
    public void Every_fixture_error_has_a_CSharp_case_and_back()
    {
        var names = Fixture.GetProperty("errors").EnumerateObject().Select(e => e.Name);
        Assert.Equal(names.Order(), s_cases.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(Matching))]
    public void Message_matches_PyTorch(string name) => Check(name);


    [Fact]
    public void Setting_requires_grad_true_on_a_non_leaf_fails() => Check("non_leaf_requires_grad_true");

    [Fact]
    public void Requires_grad_method_on_int64_uses_the_method_text() => Check("int_requires_grad_method");

    [Fact]
    public void Requires_grad_method_on_bool_uses_the_method_text() => Check("bool_requires_grad_method");

    [Fact]
    public void Factory_requires_grad_on_int64_uses_the_factory_text() => Check("int_requires_grad_factory");

    [Fact]
    public void Factory_requires_grad_on_int32_uses_the_factory_text() => Check("int32_requires_grad_factory");

    [Fact]
    public void Assigning_a_tensor_as_its_own_grad_fails() => Check("grad_setter_self");

    [Fact]
    public void Grad_with_no_inputs_is_an_argument_error()
    {
        var x = X();
        Assert.Equal(Fixture.GetProperty("value_errors").GetProperty("grad_empty_inputs").GetString(),
            Message<ArgumentException>(() => Torch.Autograd.Grad((x * 2).Sum(), Array.Empty<Tensor>())));
    }

    [Fact]
    public void Engine_rejects_a_gradient_that_cannot_be_summed_to_the_input_shape()
    {
        var expected = Fixture.GetProperty("custom_nodes").GetProperty("invalid_shape").GetString();
        var a = Torch.Ones(3, requiresGrad: true);
        var y = LambdaNode.Apply("_BadShapeBackward", a * 1, _ => [Torch.Ones(2, 4)], a);
        Assert.Equal(expected, Message<InvalidOperationException>(() => y.Sum().Backward()));
    }

    private static void Check(string name)
    {
        var expected = Fixture.GetProperty("errors").GetProperty(name).GetString();
        Assert.Equal(expected, Message<InvalidOperationException>(s_cases[name]));
    }
}
