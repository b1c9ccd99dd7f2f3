using System.Text.Json;

namespace SharpGrad.Tests.Support;

/// <summary>
/// Replays the op cases written by <c>record()</c> in tests/golden/gen_functional.py (also used by
/// gen_indexing.py): builds the named input tensors, runs the op and compares the output (values,
/// shape, dtype, grad_fn), the leaf gradients (and second-order gradients where recorded), or the
/// error's type and text.
/// </summary>
public static class GoldenCases
{
    /// <summary>The names of a fixture's <c>cases</c>, as theory data.</summary>
    public static TheoryData<string> CaseNames(JsonElement fixture)
    {
        var data = new TheoryData<string>();
        foreach (var c in fixture.GetProperty("cases").EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    /// <summary>The case called <paramref name="name"/>.</summary>
    public static JsonElement Case(JsonElement fixture, string name) =>
        fixture.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    /// <summary>Runs one case; <paramref name="call"/> applies the op to the named tensors with the case's args.</summary>
    public static void Replay(JsonElement spec, Func<Dictionary<string, Tensor>, JsonElement, Tensor> call)
    {
        string name = spec.GetProperty("name").GetString()!;
        var tensors = new Dictionary<string, Tensor>();
        foreach (var t in spec.GetProperty("tensors").EnumerateObject()) tensors[t.Name] = Build(t.Value);
        var args = spec.GetProperty("args");
        if (spec.TryGetProperty("error", out var error))
        {
            var ex = Assert.ThrowsAny<Exception>(() => call(tensors, args));
            Assert.Equal(error.GetProperty("message").GetString(), ex.Message);
            Assert.IsType(ExpectedException(error), ex);
            return;
        }
        var output = call(tensors, args);

        // Float64 results computed partly from float32 operands are only float32-accurate.
        bool float32Inputs = tensors.Values.Any(t => t.DType == DType.Float32);
        AssertTensor(spec.GetProperty("out"), output, name + " output", float32Inputs);
        var gradFn = spec.GetProperty("grad_fn");
        Assert.Equal(gradFn.ValueKind == JsonValueKind.Null ? null : gradFn.GetString(), output.GradFn?.Name);

        var leaves = tensors.Where(kv => kv.Value.RequiresGrad).ToList();
        if (spec.TryGetProperty("backward_error", out _))
        {
            // PyTorch 1.13 fails this backward; SharpGrad runs it, casting each gradient to its input's dtype.
            output.Backward(Torch.OnesLike(output));
            foreach (var (_, leaf) in leaves) Assert.Equal(leaf.DType, leaf.Grad!.DType);
            return;
        }
        if (!spec.TryGetProperty("grad_output", out var gradOutputSpec)) return;
        var gradOutput = Build(gradOutputSpec);
        var grads = spec.GetProperty("grads");

        if (spec.TryGetProperty("double_grads", out var doubleGrads))
        {
            var inputs = leaves.Select(kv => kv.Value).ToArray();
            var firsts = Torch.Autograd.Grad([output], inputs, [gradOutput], createGraph: true, allowUnused: true);
            CompareGrads(grads, leaves, firsts, name, float32Inputs);
            Tensor? total = null;
            foreach (var f in firsts)
                if (f is not null && f.RequiresGrad)
                {
                    var term = (f * Values(f.Shape, 0.3, 7, 3, f.DType)).Sum();
                    total = total is null ? term : total + term;
                }
            Assert.NotNull(total);
            var seconds = Torch.Autograd.Grad([total!], inputs, allowUnused: true);
            CompareGrads(doubleGrads, leaves, seconds, name + " (second order)", float32Inputs);
            return;
        }
        output.Backward(gradOutput);
        CompareGrads(grads, leaves, leaves.Select(kv => kv.Value.Grad).ToArray(), name, float32Inputs);
    }

    /// <summary>Python's exception type to SharpGrad's (RuntimeError splits as the core's errors do).</summary>
    public static Type ExpectedException(JsonElement error)
    {
        string message = error.GetProperty("message").GetString()!;
        return error.GetProperty("type").GetString() switch
        {
            "ValueError" => typeof(ArgumentException),
            "IndexError" => typeof(IndexOutOfRangeException),
            "RuntimeError" when message.Contains("not implemented for") => typeof(NotSupportedException),
            "RuntimeError" when message.StartsWith("The size of tensor a") => typeof(ArgumentException),
            "RuntimeError" => typeof(InvalidOperationException),
            var other => throw new ArgumentException($"unmapped Python exception {other}"),
        };
    }

    public static DType ParseDType(string name) => name switch
    {
        "float32" => DType.Float32,
        "float64" => DType.Float64,
        "int64" => DType.Int64,
        "int32" => DType.Int32,
        "bool" => DType.Bool,
        _ => throw new ArgumentException(name),
    };

    /// <summary>A fixture number: JSON numbers and booleans, or the strings "inf", "-inf", "nan".</summary>
    public static double Number(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        JsonValueKind.String => e.GetString() switch
        {
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            _ => double.NaN,
        },
        _ => e.GetDouble(),
    };

    /// <summary>The tensor a fixture's <c>enc()</c> describes (data, shape, dtype, optional requires_grad).</summary>
    public static Tensor Build(JsonElement spec)
    {
        var data = spec.GetProperty("data").EnumerateArray().Select(Number).ToArray();
        var t = Torch.Tensor<double>(data, Golden.Ints(spec.GetProperty("shape")), ParseDType(spec.GetProperty("dtype").GetString()!));
        if (spec.TryGetProperty("requires_grad", out var rg) && rg.GetBoolean()) t.RequiresGrad = true;
        return t;
    }

    /// <summary>The generator's <c>vals</c>: <c>((i * 7) % mod - shift) * scale</c> in float64, then cast.</summary>
    public static Tensor Values(int[] shape, double scale, int mod, int shift, DType dtype)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        var data = new double[n];
        for (int i = 0; i < n; i++) data[i] = ((i * 7) % mod - shift) * scale;
        return Torch.Tensor<double>(data, shape, dtype);
    }

    private static void CompareGrads(JsonElement expected, List<KeyValuePair<string, Tensor>> leaves, Tensor?[] actual, string what,
        bool float32Inputs)
    {
        for (int i = 0; i < leaves.Count; i++)
        {
            string leaf = leaves[i].Key;
            if (expected.TryGetProperty(leaf, out var e))
            {
                Assert.True(actual[i] is not null, $"{what}: no gradient for {leaf}");
                AssertTensor(e, actual[i]!, $"{what} grad of {leaf}", float32Inputs);
            }
            else if (actual[i] is { } g)
                Assert.True(g.ToArray<double>().All(v => v == 0), $"{what}: PyTorch has no gradient for {leaf}, SharpGrad a nonzero one");
        }
    }

    private static void AssertTensor(JsonElement expected, Tensor actual, string what, bool float32Inputs)
    {
        Assert.Equal(Golden.Ints(expected.GetProperty("shape")), actual.Shape);
        Assert.Equal(ParseDType(expected.GetProperty("dtype").GetString()!), actual.DType);
        var want = expected.GetProperty("data").EnumerateArray().Select(Number).ToArray();
        var got = actual.ToArray<double>();
        (double atol, double rtol) = actual.DType == DType.Float64 && !float32Inputs ? (1e-10, 1e-9) : (1e-5, 1e-4);
        for (int i = 0; i < want.Length; i++)
        {
            double a = got[i], b = want[i];
            bool ok = double.IsNaN(b) ? double.IsNaN(a) : double.IsInfinity(b) ? a == b : Math.Abs(a - b) <= atol + rtol * Math.Abs(b);
            Assert.True(ok, $"{what}: element {i} is {a}, PyTorch gives {b}");
        }
    }
}
