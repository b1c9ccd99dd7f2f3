using System.Text.Json;
using SharpGrad.Tests.Support;
using static SharpGrad.Tests.AutogradFunctional.FunctionalFixture;
using F = SharpGrad.Torch.Autograd.Functional;

namespace SharpGrad.Tests.AutogradFunctional;

/// <summary>
/// <see cref="Torch.Repr"/> (Python's repr) and <see cref="Torch.Pretty"/> (IPython's display) against
/// the texts PyTorch 1.13 + IPython produce, and seed 003's functional-API cells with literal inputs.
/// </summary>
public class PythonReprTests
{
    public static TheoryData<string> Structures()
    {
        var data = new TheoryData<string>();
        foreach (var c in Root.GetProperty("printer").EnumerateObject()) data.Add(c.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Structures))]
    public void Structure_prints_as_Python_and_IPython_print_it(string name)
    {
        var c = Root.GetProperty("printer").GetProperty(name);
        var value = Decode(c.GetProperty("value"));
        Assert.Equal(c.GetProperty("repr").GetString(), Torch.Repr(value));
        int maxWidth = c.TryGetProperty("max_width", out var width) ? width.GetInt32() : 79;
        Assert.Equal(c.GetProperty("pretty").GetString(), Torch.Pretty(value, maxWidth));
    }

    [Fact]
    public void Seed003_exp_adder_jacobian_of_one_element_inputs()
    {
        var cell = Root.GetProperty("seed003").GetProperty("exp_adder_1");
        var inputs = Inputs(cell);
        Assert.Equal(cell.GetProperty("print_inputs").GetString(), Torch.Repr(inputs));
        var jacobian = F.Jacobian(xs => ExpAdder(xs[0], xs[1]), inputs);
        Assert.Equal(cell.GetProperty("out").GetString(), Torch.Pretty(jacobian));
    }

    [Fact]
    public void Seed003_exp_adder_jacobian_of_vectors_prints_one_tensor_per_line()
    {
        var cell = Root.GetProperty("seed003").GetProperty("exp_adder_3");
        var inputs = Inputs(cell);
        Assert.Equal(cell.GetProperty("print_inputs").GetString(), Torch.Repr(inputs));
        var jacobian = F.Jacobian(xs => ExpAdder(xs[0], xs[1]), inputs);
        Assert.Equal(cell.GetProperty("out").GetString(), Torch.Pretty(jacobian));
    }

    [Fact]
    public void Seed003_hessian_is_a_tuple_of_tuples()
    {
        var cell = Root.GetProperty("seed003").GetProperty("hessian");
        var inputs = Inputs(cell);
        Assert.Equal(cell.GetProperty("print_inputs").GetString(), Torch.Repr(inputs));
        Tensor[][] hessian = F.Hessian(xs => ExpAdder(xs[0], xs[1]), inputs);
        Assert.Equal(cell.GetProperty("out").GetString(), Torch.Pretty(hessian));
    }

    [Fact]
    public void Seed003_vjp_of_do_some_doubling()
    {
        var cell = Root.GetProperty("seed003").GetProperty("vjp_doubling");
        var result = F.Vjp(DoSomeDoubling, Input("seed_v"), v: Input(cell.GetProperty("v").GetString()!));
        Assert.Equal(cell.GetProperty("out").GetString(), Torch.Pretty(result));
    }

    private static Tensor ExpAdder(Tensor x, Tensor y) => 2 * x.Exp() + 3 * y;

    private static Tensor[] Inputs(JsonElement cell) =>
        [.. cell.GetProperty("inputs").EnumerateArray().Select(n => Input(n.GetString()!))];

    /// <summary>Rebuilds a value the generator encoded: a JSON list is a tuple (an array).</summary>
    private static object? Decode(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Array) return e.EnumerateArray().Select(Decode).ToArray();
        var p = e.EnumerateObject().Single();
        switch (p.Name)
        {
            case "t":
            {
                var t = p.Value;
                var dtype = Enum.GetValues<DType>().Single(d => d.TorchName() == "torch." + t.GetProperty("dtype").GetString());
                var values = t.GetProperty("values").EnumerateArray()
                    .Select(v => v.ValueKind is JsonValueKind.True or JsonValueKind.False ? (v.GetBoolean() ? 1.0 : 0.0) : v.GetDouble()).ToArray();
                return Torch.Tensor<double>(values, Golden.Ints(t.GetProperty("shape")), dtype, t.GetProperty("requires_grad").GetBoolean());
            }
            case "list": return p.Value.EnumerateArray().Select(Decode).ToList();
            case "none": return null;
            case "bool": return p.Value.GetBoolean();
            case "int": return p.Value.GetInt64();
            case "str": return p.Value.GetString();
            case "float":
                return p.Value.ValueKind == JsonValueKind.String
                    ? p.Value.GetString() switch { "inf" => double.PositiveInfinity, "-inf" => double.NegativeInfinity, _ => double.NaN }
                    : p.Value.GetDouble();
            default: throw new ArgumentException(p.Name);
        }
    }
}
