using System.Text.Json;
using SharpGrad.Tests.Support;
using F = SharpGrad.Torch.NN.Functional;

namespace SharpGrad.Tests.NN;

/// <summary>
/// Torch.NN.Functional against PyTorch 1.13 (tests/golden/gen_functional.py): every fixture case is
/// replayed, comparing output values, shape, dtype and grad_fn, leaf gradients (and second-order
/// gradients where recorded), warnings, and error types and texts.
/// </summary>
public class FunctionalTests
{
    private static readonly JsonElement s_fixture = Golden.Load("functional");

    private static JsonElement Case(string name) =>
        s_fixture.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in s_fixture.GetProperty("cases").EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Matches_pytorch(string name)
    {
        var spec = Case(name);
        var tensors = new Dictionary<string, Tensor>();
        foreach (var t in spec.GetProperty("tensors").EnumerateObject()) tensors[t.Name] = Build(t.Value);
        var args = spec.GetProperty("args");
        string op = spec.GetProperty("op").GetString()!;

        // Only mse_loss warns; the global sink is swapped for it alone, so tests elsewhere keep theirs.
        var warnings = new List<string>();
        var previousSink = Torch.WarningSink;
        if (op == "mse_loss")
        {
            F.ResetWarnings();
            Torch.WarningSink = warnings.Add;
        }
        Tensor output;
        try
        {
            if (spec.TryGetProperty("error", out var error))
            {
                var ex = Assert.ThrowsAny<Exception>(() => Call(op, tensors, args));
                Assert.Equal(error.GetProperty("message").GetString(), ex.Message);
                Assert.IsType(ExpectedException(error), ex);
                return;
            }
            output = Call(op, tensors, args);
        }
        finally
        {
            if (op == "mse_loss") Torch.WarningSink = previousSink;
        }

        var expectedWarnings = spec.TryGetProperty("warnings", out var w) ? w.EnumerateArray().Select(e => e.GetString()!).ToList() : [];
        foreach (var expected in expectedWarnings) Assert.Contains(expected, warnings);
        if (expectedWarnings.Count == 0) Assert.DoesNotContain(warnings, m => m.Contains("Using a target size"));

        // Float64 results computed partly from float32 operands are only float32-accurate.
        bool float32Inputs = tensors.Values.Any(t => t.DType == DType.Float32);
        AssertTensor(spec.GetProperty("out"), output, name + " output", float32Inputs);
        var gradFn = spec.GetProperty("grad_fn");
        Assert.Equal(gradFn.ValueKind == JsonValueKind.Null ? null : gradFn.GetString(), output.GradFn?.Name);

        var leaves = tensors.Where(kv => kv.Value.RequiresGrad).ToList();
        if (spec.TryGetProperty("backward_error", out _))
        {
            // PyTorch 1.13 fails this mixed-dtype backward; SharpGrad runs it, casting each gradient to its input's dtype.
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

    [Fact]
    public void Every_op_has_golden_cases()
    {
        var ops = s_fixture.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("op").GetString()!).ToHashSet();
        string[] expected = ["softmax", "log_softmax", "tensor_softmax", "tensor_log_softmax", "nll_loss", "cross_entropy", "bce_with_logits", "mse_loss"];
        Assert.True(ops.SetEquals(expected), string.Join(", ", ops));
    }

    [Fact]
    public void Torch_level_softmax_matches_the_functional_one()
    {
        var x = Torch.Tensor(new[,] { { 1.0f, 2.0f, 3.0f }, { 0.5f, -1.0f, 2.0f } });
        Assert.Equal(F.Softmax(x, 1).ToArray<float>(), Torch.Softmax(x, 1).ToArray<float>());
        Assert.Equal(F.LogSoftmax(x, 0).ToArray<float>(), Torch.LogSoftmax(x, 0).ToArray<float>());
    }

    [Fact]
    public void Softmax_on_a_strided_view_matches_the_contiguous_input()
    {
        var x = Values([4, 3], 0.37, 11, 5, DType.Float64);
        var t = new Tensor(x.Storage, 0, [3, 4], [1, 3]); // x transposed
        var expected = t.Contiguous().Softmax(0).ToArray<double>();
        Assert.Equal(expected, t.Softmax(0).ToArray<double>());
    }

    [Fact]
    public void A_second_backward_through_a_loss_fails_with_pytorchs_error()
    {
        var x = Torch.Tensor(new[,] { { 0.1, 0.2, 0.3 } }, requiresGrad: true);
        var loss = F.NllLoss(x, Torch.Tensor(new[] { 1L }));
        loss.Backward();
        var ex = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.StartsWith("Trying to backward through the graph a second time", ex.Message);
    }

    [Fact]
    public void Modifying_a_saved_input_in_place_is_detected()
    {
        var x = Torch.Tensor(new[] { 0.5, -1.0 }, requiresGrad: true);
        var y = x * 1;
        var t = Torch.Tensor(new[] { 1.0, 0.0 });
        var loss = F.MseLoss(y, t);
        y.Storage.As<double>()[0] = 3; // what an in-place op does to the data, plus the version bump
        y.Version.Value++;
        var ex = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Contains("modified by an inplace operation", ex.Message);
    }

    [Fact]
    public void No_graph_is_recorded_under_no_grad()
    {
        var x = Torch.Tensor(new[,] { { 0.1f, 0.2f, 0.3f } }, requiresGrad: true);
        var target = Torch.Tensor(new[] { 2L });
        using (Torch.NoGrad())
        {
            Assert.Null(F.CrossEntropy(x, target, labelSmoothing: 0.1).GradFn);
            Assert.Null(F.Softmax(x, 1).GradFn);
            // A weight that requires grad is only rejected while recording, as in PyTorch.
            Assert.Null(F.NllLoss(x, target, weight: Torch.Ones(3, requiresGrad: true)).GradFn);
        }
    }

    // ---- fixture replay helpers ----

    private static Tensor Call(string op, Dictionary<string, Tensor> t, JsonElement args)
    {
        string reduction = args.TryGetProperty("reduction", out var r) ? r.GetString()! : "mean";
        long ignoreIndex = args.TryGetProperty("ignore_index", out var ii) ? ii.GetInt64() : -100;
        DType? dtype = args.TryGetProperty("dtype", out var d) ? ParseDType(d.GetString()!) : null;
        int dim = args.TryGetProperty("dim", out var dm) ? dm.GetInt32() : 0;
        Tensor? Opt(string key) => t.TryGetValue(key, out var v) ? v : null;
        return op switch
        {
            "softmax" => F.Softmax(t["input"], dim, dtype),
            "log_softmax" => F.LogSoftmax(t["input"], dim, dtype),
            "tensor_softmax" => t["input"].Softmax(dim),
            "tensor_log_softmax" => t["input"].LogSoftmax(dim),
            "nll_loss" => F.NllLoss(t["input"], t["target"], Opt("weight"), ignoreIndex, reduction),
            "cross_entropy" => F.CrossEntropy(t["input"], t["target"], Opt("weight"), ignoreIndex, reduction,
                args.TryGetProperty("label_smoothing", out var ls) ? ls.GetDouble() : 0.0),
            "bce_with_logits" => F.BinaryCrossEntropyWithLogits(t["input"], t["target"], Opt("weight"), reduction, Opt("pos_weight")),
            "mse_loss" => F.MseLoss(t["input"], t["target"], reduction),
            _ => throw new ArgumentException($"unknown op {op}"),
        };
    }

    /// <summary>Python's exception type to SharpGrad's (RuntimeError splits as the core's errors do).</summary>
    private static Type ExpectedException(JsonElement error)
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

    private static DType ParseDType(string name) => name switch
    {
        "float32" => DType.Float32,
        "float64" => DType.Float64,
        "int64" => DType.Int64,
        "int32" => DType.Int32,
        "bool" => DType.Bool,
        _ => throw new ArgumentException(name),
    };

    private static double Number(JsonElement e) => e.ValueKind switch
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

    private static Tensor Build(JsonElement spec)
    {
        var data = spec.GetProperty("data").EnumerateArray().Select(Number).ToArray();
        var t = Torch.Tensor<double>(data, Golden.Ints(spec.GetProperty("shape")), ParseDType(spec.GetProperty("dtype").GetString()!));
        if (spec.TryGetProperty("requires_grad", out var rg) && rg.GetBoolean()) t.RequiresGrad = true;
        return t;
    }

    /// <summary>The generator's <c>vals</c>: <c>((i * 7) % mod - shift) * scale</c> in float64, then cast.</summary>
    private static Tensor Values(int[] shape, double scale, int mod, int shift, DType dtype)
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
