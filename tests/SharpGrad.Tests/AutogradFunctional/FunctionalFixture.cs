using System.Runtime.CompilerServices;
using System.Text.Json;
using SharpGrad.Tests.Support;

namespace SharpGrad.Tests.AutogradFunctional;

/// <summary>
/// tests/golden/functional_api.json (gen_functional_api.py, PyTorch 1.13): its inputs, the C# twin of
/// every named function, and a structural comparison of results with their Python encoding.
/// </summary>
internal static class FunctionalFixture
{
    private static readonly Lazy<JsonElement> s_golden = new(() => Golden.Load("functional_api"));

    public static JsonElement Root => s_golden.Value;

    /// <summary>A function of the fixture as a tuple-to-tuple function, and whether it returns a tuple.</summary>
    public sealed record Fn(Func<Tensor[], Tensor[]> Apply, bool ReturnsTuple);

    private static Fn One(Func<Tensor[], Tensor> f) => new(xs => [f(xs)], false);

    private static Fn Many(Func<Tensor[], Tensor[]> f) => new(f, true);

    public static readonly IReadOnlyDictionary<string, Fn> Funcs = new Dictionary<string, Fn>
    {
        ["exp_reducer"] = One(x => x[0].Exp().Sum(1)),
        ["exp_adder"] = One(x => 2 * x[0].Exp() + 3 * x[1]),
        ["two_outputs"] = Many(x => [x[0].Exp(), (x[0] * x[0]).Sum()]),
        ["tuple_tuple"] = Many(x => [x[0].Unsqueeze(1) * x[1], x[0].Sin().Sum() * x[1].Cos()]),
        ["one_tuple"] = Many(x => [x[0] * 2]),
        ["independent"] = One(x => x[0].Exp()),
        ["constant"] = One(_ => Torch.Ones(3)),
        ["cubic64"] = One(x => x[0].Pow(2) * 3 + x[0]),
        ["mixed"] = One(x => x[0] * x[1].Double().Sum() + x[1].Sum()),
        ["scalar_out"] = One(x => (x[0] * x[0]).Sum()),
        ["linear"] = One(x => 2 * x[0]),
        ["matmul"] = One(x => x[0].Mm(x[0]).Sum(1)),
        ["select"] = One(x => x[0].Select(0, 1) * x[0]),
        ["pow_reducer"] = One(x => x[0].Pow(3).Sum()),
        ["pow_adder_reducer"] = One(x => (2 * x[0].Pow(2) + 3 * x[1].Pow(2)).Sum()),
        ["exp_sin"] = One(x => (x[0].Exp() * x[0].Sin()).Sum()),
        ["cross"] = One(x => (x[0].Sum() * x[1].Exp()).Sum() + (x[0] * x[0]).Sum()),
        ["linear_sum"] = One(x => (2 * x[0]).Sum()),
        ["not_scalar"] = One(x => x[0] * 2),
        ["pow_independent"] = One(x => x[0].Pow(2).Sum()),
        ["exp_one"] = One(x => x[0].Exp() * 2),
        ["exp_sum_one"] = One(x => (x[0].Exp() * x[0]).Sum()),
        ["do_some_doubling"] = One(x => DoSomeDoubling(x[0])),
        ["none"] = One(_ => null!),
        ["none_in_tuple"] = Many(x => [x[0] * 2, null!]),
        ["identity"] = One(x => x[0]),
        ["argmax"] = One(x => x[0].ArgMax()),
    };

    /// <summary>Seed 003's <c>do_some_doubling</c>: doubles until the norm reaches 1000.</summary>
    public static Tensor DoSomeDoubling(Tensor x)
    {
        var y = x * 2;
        while (y.Data.Norm().Item<double>() < 1000) y = y * 2;
        return y;
    }

    /// <summary>A fresh tensor for a named fixture input; the suffix <c>_rg</c> makes it require grad.</summary>
    public static Tensor Input(string name)
    {
        if (name.EndsWith("_rg", StringComparison.Ordinal)) return Input(name[..^3]).SetRequiresGrad();
        var e = Root.GetProperty("inputs").GetProperty(name);
        var dtype = e.GetProperty("dtype").GetString() switch { "float64" => DType.Float64, "int64" => DType.Int64, _ => DType.Float32 };
        var values = e.GetProperty("values");
        if (values.ValueKind == JsonValueKind.Number) return Torch.Tensor(values.GetDouble(), dtype);
        var flat = new List<double>();
        var shape = new List<int>();
        void Walk(JsonElement v, int depth)
        {
            if (v.ValueKind == JsonValueKind.Number)
            {
                flat.Add(v.GetDouble());
                return;
            }
            if (shape.Count == depth) shape.Add(v.GetArrayLength());
            foreach (var item in v.EnumerateArray()) Walk(item, depth + 1);
        }
        Walk(values, 0);
        return Torch.Tensor<double>(flat.ToArray(), shape.ToArray(), dtype);
    }

    /// <summary>Asserts that <paramref name="actual"/> has the nesting and tensors the fixture encodes.</summary>
    /// <remarks>
    /// A Python tuple must be an array (or a C# tuple) and a Python list a <c>List</c>. Without
    /// <paramref name="checkGraph"/>, requires_grad and grad_fn are not compared.
    /// </remarks>
    public static void AssertMatches(JsonElement expected, object? actual, string path = "result", bool checkGraph = true)
    {
        bool isList = expected.ValueKind == JsonValueKind.Object && expected.TryGetProperty("list", out _);
        if (isList) expected = expected.GetProperty("list");
        if (expected.ValueKind == JsonValueKind.Array)
        {
            var items = isList ? (actual as List<object?>)?.ToList() : actual is IList<object?> and not Array ? null : Items(actual);
            Assert.True(items is not null, $"{path}: expected a {(isList ? "list" : "tuple")}, got {actual?.GetType().Name ?? "null"}");
            Assert.True(expected.GetArrayLength() == items!.Count, $"{path}: tuple of {items.Count}, expected {expected.GetArrayLength()}");
            int i = 0;
            foreach (var e in expected.EnumerateArray()) AssertMatches(e, items[i], $"{path}[{i++}]", checkGraph);
            return;
        }
        var t = expected.GetProperty("t");
        var tensor = Assert.IsType<Tensor>(actual);
        Assert.True(Golden.Ints(t.GetProperty("shape")).SequenceEqual(tensor.Shape),
            $"{path}: shape [{string.Join(", ", tensor.Shape)}], expected {t.GetProperty("shape")}");
        Assert.Equal(t.GetProperty("dtype").GetString(), tensor.DType.TorchName().Replace("torch.", ""));
        if (checkGraph)
        {
            Assert.True(t.GetProperty("requires_grad").GetBoolean() == tensor.RequiresGrad, $"{path}: requires_grad {tensor.RequiresGrad}");
            var gradFn = t.GetProperty("grad_fn");
            Assert.Equal(gradFn.ValueKind == JsonValueKind.Null ? null : gradFn.GetString(), tensor.GradFn?.Name);
        }
        var want = Golden.Doubles(t.GetProperty("values"));
        var got = tensor.ToArray<double>();
        double tol = tensor.DType == DType.Float64 ? 1e-12 : 2e-6;
        for (int i = 0; i < want.Length; i++)
            Assert.True(Math.Abs(got[i] - want[i]) <= tol * Math.Max(1, Math.Abs(want[i])),
                $"{path}[{i}]: {got[i]}, expected {want[i]}");
    }

    private static IReadOnlyList<object?>? Items(object? value) => value switch
    {
        ITuple tuple => Enumerable.Range(0, tuple.Length).Select(i => tuple[i]).ToList(),
        Array array => array.Cast<object?>().ToList(),
        _ => null,
    };

    /// <summary>The .NET exception type a Python exception type maps to.</summary>
    public static Type ExceptionType(string pythonType) => pythonType switch
    {
        "RuntimeError" => typeof(InvalidOperationException),
        "GradcheckError" => typeof(SharpGrad.Autograd.GradcheckException),
        "NotImplementedError" => typeof(NotSupportedException),
        _ => typeof(ArgumentException), // TypeError, ValueError, AssertionError
    };
}
