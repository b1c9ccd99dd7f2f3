using System.Globalization;
using System.Text.Json;
using SharpGrad.Tests.Support;

namespace SharpGrad.Tests;

/// <summary>
/// The pointwise ops against PyTorch 1.13 (tests/golden/gen_pointwise.py): forward values, result
/// dtypes and shapes, grad_fn names, gradients of <c>(op(...) * w).sum()</c>, second derivatives and
/// error texts, case by case.
/// </summary>
public class PointwiseTests
{
    private static readonly JsonElement Fixture = Golden.Load("pointwise");

    public static TheoryData<string> Cases() => Names("cases");

    public static TheoryData<string> DoubleCases() => Names("double");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_pytorch(string name)
    {
        var c = Find("cases", name);
        var operands = c.GetProperty("operands").EnumerateArray().Select(Operand).ToArray();
        var kwargs = c.GetProperty("kwargs");
        string op = c.GetProperty("op").GetString()!;
        if (c.TryGetProperty("error", out var error))
        {
            var ex = Assert.ThrowsAny<Exception>(() => Run(op, operands, kwargs));
            AssertError(error, ex);
            return;
        }
        var result = Run(op, operands, kwargs);
        AssertTensor(c.GetProperty("out"), result, "result");
        var gradFn = c.GetProperty("grad_fn");
        Assert.Equal(gradFn.ValueKind == JsonValueKind.Null ? null : gradFn.GetString(), result.GradFn?.Name);
        if (!c.TryGetProperty("grads", out var grads)) return;
        var weight = Torch.Tensor<double>(Values(c.GetProperty("weight")), result.Shape, result.DType);
        (result * weight).Sum().Backward();
        int k = 0;
        foreach (var expected in grads.EnumerateArray())
        {
            if (operands[k] is Tensor t && t.RequiresGrad)
            {
                if (expected.ValueKind == JsonValueKind.Null) Assert.Null(t.Grad);
                else AssertTensor(expected, t.Grad ?? throw new Xunit.Sdk.XunitException($"operand {k} got no gradient"), $"grad {k}");
            }
            k++;
        }
    }

    [Theory]
    [MemberData(nameof(DoubleCases))]
    public void Second_derivatives_match_pytorch(string name)
    {
        var c = Find("double", name);
        var operands = c.GetProperty("operands").EnumerateArray().Select(Operand).ToArray();
        var result = Run(c.GetProperty("op").GetString()!, operands, c.GetProperty("kwargs"));
        var weights = Golden.Doubles(Fixture.GetProperty("weights"));
        var weights2 = Golden.Doubles(Fixture.GetProperty("weights2"));
        var inputs = operands.OfType<Tensor>().Where(t => t.RequiresGrad).ToArray();
        var firsts = Torch.Autograd.Grad([(result * Cycle(weights, result)).Sum()], inputs, createGraph: true);
        var expectedFirsts = c.GetProperty("first").EnumerateArray().ToArray();
        for (int i = 0; i < inputs.Length; i++) AssertTensor(expectedFirsts[i], firsts[i]!, $"first {i}");
        Tensor total = firsts.Select(g => (g! * Cycle(weights2, g!)).Sum()).Aggregate((a, b) => a + b);
        if (c.TryGetProperty("error", out var error))
        {
            var ex = Assert.ThrowsAny<Exception>(() => Torch.Autograd.Grad([total], inputs, allowUnused: true));
            AssertError(error, ex);
            return;
        }
        var seconds = Torch.Autograd.Grad([total], inputs, allowUnused: true);
        var expectedSeconds = c.GetProperty("second").EnumerateArray().ToArray();
        for (int i = 0; i < inputs.Length; i++) AssertTensor(expectedSeconds[i], seconds[i]!, $"second {i}");
    }

    [Fact]
    public void The_fixture_checks_a_gradient_for_every_backward_node()
    {
        // Guards the fixture itself: the differentiable ops must be exercised with gradients.
        var withGrads = Fixture.GetProperty("cases").EnumerateArray()
            .Where(c => c.TryGetProperty("grads", out _)).Select(c => c.GetProperty("grad_fn").GetString()).ToHashSet();
        string[] nodes = ["SqrtBackward0", "RsqrtBackward0", "LogBackward0", "SinBackward0", "CosBackward0", "TanhBackward0",
            "SigmoidBackward0", "ReluBackward0", "AbsBackward0", "SignBackward0", "PowBackward0", "PowBackward1", "PowBackward2",
            "Log1PBackward0", "Expm1Backward0", "FloorBackward0", "CeilBackward0", "RoundBackward0", "ClampBackward0",
            "ClampBackward1", "ClampMinBackward0", "ClampMaxBackward0", "MaximumBackward0", "MinimumBackward0", "WhereBackward0"];
        var missing = nodes.Where(n => !withGrads.Contains(n)).ToList();
        Assert.True(missing.Count == 0, "no gradient case for " + string.Join(", ", missing));
    }

    [Fact]
    public void A_saved_result_is_checked_for_in_place_writes()
    {
        // Sigmoid saves its result (isOutput): writing it before backward must fail.
        var x = Torch.Tensor(new[] { 0.5f, -1f }, requiresGrad: true);
        var y = x.Sigmoid();
        var z = y * 2;
        y.AddInPlaceUnchecked(Torch.Ones(2));
        var ex = Assert.Throws<InvalidOperationException>(() => z.Sum().Backward());
        Assert.Contains("[torch.FloatTensor [2]], which is output 0 of SigmoidBackward0, is at version 1; expected version 0 instead.", ex.Message);
    }

    [Fact]
    public void A_saved_input_is_checked_for_in_place_writes()
    {
        var x = Torch.Tensor(new[] { 0.5, -1.0 }, requiresGrad: true);
        var y = x.Sin();
        x.Detach().AddInPlaceUnchecked(Torch.Ones(2, DType.Float64));
        var ex = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.Contains("[torch.DoubleTensor [2]] is at version 1; expected version 0 instead.", ex.Message);
    }

    [Fact]
    public void Nothing_is_recorded_without_grad_mode()
    {
        var x = Torch.Tensor(new[] { 0.5f, 2f }, requiresGrad: true);
        using (Torch.NoGrad())
        {
            Tensor[] results = [x.Sqrt(), x.Tanh(), x.Relu(), x.Clamp(0, 1), x.Maximum(x), x.Pow(2), x.Pow(x), Torch.Pow(2, x),
                Torch.Where(x > 1, x, 0), x.Clamp(x, null)];
            Assert.All(results, r => Assert.Null(r.GradFn));
        }
    }

    [Fact]
    public void Operators_are_the_named_ops()
    {
        var a = Torch.Tensor(new[] { true, true, false, false });
        var b = Torch.Tensor(new[] { true, false, true, false });
        Assert.Equal(a.LogicalAnd(b).ToArray<bool>(), (a & b).ToArray<bool>());
        Assert.Equal(a.LogicalOr(b).ToArray<bool>(), (a | b).ToArray<bool>());
        Assert.Equal(a.LogicalXor(b).ToArray<bool>(), (a ^ b).ToArray<bool>());
        Assert.Equal(a.LogicalNot().ToArray<bool>(), (~a).ToArray<bool>());
        var x = Torch.Tensor(new[] { -1.0f, 0.5f, 2f });
        Assert.Equal(x.Lt(0.5).ToArray<bool>(), (x < 0.5).ToArray<bool>());
        Assert.Equal(x.Gt(0.5).ToArray<bool>(), (0.5 < x).ToArray<bool>());
        Assert.Equal(x.Ge(0.5).ToArray<bool>(), (0.5 <= x).ToArray<bool>());
    }

    // ---- the fixture's ops, called through SharpGrad ----

    private static Tensor Run(string op, object?[] a, JsonElement kwargs) => op switch
    {
        "sqrt" => Torch.Sqrt(T(a[0])),
        "rsqrt" => Torch.Rsqrt(T(a[0])),
        "log" => T(a[0]).Log(),
        "sin" => T(a[0]).Sin(),
        "cos" => Torch.Cos(T(a[0])),
        "tanh" => T(a[0]).Tanh(),
        "sigmoid" => Torch.Sigmoid(T(a[0])),
        "relu" => T(a[0]).Relu(),
        "abs" => Torch.Abs(T(a[0])),
        "sign" => T(a[0]).Sign(),
        "square" => Torch.Square(T(a[0])),
        "log1p" => T(a[0]).Log1p(),
        "expm1" => T(a[0]).Expm1(),
        "floor" => T(a[0]).Floor(),
        "ceil" => Torch.Ceil(T(a[0])),
        "round" => T(a[0]).Round(),
        "clamp" when a[1] is Tensor || a[2] is Tensor => T(a[0]).Clamp((Tensor?)a[1], (Tensor?)a[2]),
        "clamp" => Torch.Clamp(T(a[0]), (Scalar?)a[1], (Scalar?)a[2]),
        "clamp_min" => T(a[0]).ClampMin((Scalar)a[1]!),
        "clamp_max" => Torch.ClampMax(T(a[0]), (Scalar)a[1]!),
        "maximum" => T(a[0]).Maximum(T(a[1])),
        "minimum" => Torch.Minimum(T(a[0]), T(a[1])),
        "where" => (a[1], a[2]) switch
        {
            (Tensor x, Tensor y) => Torch.Where(T(a[0]), x, y),
            (Tensor x, Scalar y) => Torch.Where(T(a[0]), x, y),
            (Scalar x, Tensor y) => Torch.Where(T(a[0]), x, y),
            _ => Torch.Where(T(a[0]), (Scalar)a[1]!, (Scalar)a[2]!),
        },
        "where_method" => a[2] is Tensor other ? T(a[0]).Where(T(a[1]), other) : T(a[0]).Where(T(a[1]), (Scalar)a[2]!),
        "pow" => (a[0], a[1]) switch
        {
            (Tensor x, Tensor e) => x.Pow(e),
            (Tensor x, Scalar e) => x.Pow(e),
            _ => Torch.Pow((Scalar)a[0]!, T(a[1])),
        },
        "eq" => a[1] is Tensor t ? T(a[0]).Eq(t) : Torch.Eq(T(a[0]), (Scalar)a[1]!),
        "ne" => a[1] is Tensor t ? Torch.Ne(T(a[0]), t) : T(a[0]).Ne((Scalar)a[1]!),
        "lt" => (a[0], a[1]) switch { (Tensor x, Tensor y) => x < y, (Tensor x, Scalar s) => x < s, _ => (Scalar)a[0]! < T(a[1]) },
        "le" => (a[0], a[1]) switch { (Tensor x, Tensor y) => x <= y, (Tensor x, Scalar s) => x <= s, _ => (Scalar)a[0]! <= T(a[1]) },
        "gt" => (a[0], a[1]) switch { (Tensor x, Tensor y) => x > y, (Tensor x, Scalar s) => x > s, _ => (Scalar)a[0]! > T(a[1]) },
        "ge" => (a[0], a[1]) switch { (Tensor x, Tensor y) => x >= y, (Tensor x, Scalar s) => x >= s, _ => (Scalar)a[0]! >= T(a[1]) },
        "logical_and" => T(a[0]).LogicalAnd(T(a[1])),
        "logical_or" => Torch.LogicalOr(T(a[0]), T(a[1])),
        "logical_xor" => T(a[0]).LogicalXor(T(a[1])),
        "logical_not" => !T(a[0]),
        "bitwise_and" => T(a[0]) & T(a[1]),
        "bitwise_or" => T(a[0]) | T(a[1]),
        "bitwise_xor" => T(a[0]) ^ T(a[1]),
        "bitwise_not" => ~T(a[0]),
        "all" => kwargs.TryGetProperty("dim", out var dim)
            ? T(a[0]).All(dim.GetInt32(), kwargs.TryGetProperty("keepdim", out var kd) && kd.GetBoolean())
            : Torch.All(T(a[0])),
        "any" => kwargs.TryGetProperty("dim", out var dim)
            ? Torch.Any(T(a[0]), dim.GetInt32(), kwargs.TryGetProperty("keepdim", out var kd) && kd.GetBoolean())
            : T(a[0]).Any(),
        _ => throw new ArgumentException($"unknown op {op}"),
    };

    private static Tensor T(object? operand) => (Tensor)operand!;

    // ---- fixture decoding and comparison ----

    private static TheoryData<string> Names(string section)
    {
        var data = new TheoryData<string>();
        foreach (var c in Fixture.GetProperty(section).EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    private static JsonElement Find(string section, string name) =>
        Fixture.GetProperty(section).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static object? Operand(JsonElement o)
    {
        switch (o.GetProperty("kind").GetString())
        {
            case "none": return null;
            case "scalar":
                var v = o.GetProperty("value");
                return o.GetProperty("type").GetString() == "int" ? (Scalar)v.GetInt64() : (Scalar)Number(v);
        }
        var dtype = ParseDType(o.GetProperty("dtype").GetString()!);
        var shape = Golden.Ints(o.GetProperty("shape"));
        var values = o.GetProperty("values");
        var t = dtype switch
        {
            DType.Bool => Torch.Tensor<bool>(values.EnumerateArray().Select(e => e.GetBoolean()).ToArray(), shape),
            DType.Int64 or DType.Int32 => Torch.Tensor<long>(values.EnumerateArray().Select(e => e.GetInt64()).ToArray(), shape, dtype),
            _ => Torch.Tensor<double>(Values(values), shape, dtype),
        };
        if (o.GetProperty("requires_grad").GetBoolean()) t.RequiresGrad = true;
        return t;
    }

    private static DType ParseDType(string name) => GoldenCases.ParseDType(name);

    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch
        {
            "nan" => double.NaN,
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            var s => double.Parse(s!, CultureInfo.InvariantCulture),
        }
        : e.GetDouble();

    private static double[] Values(JsonElement array) => array.EnumerateArray().Select(Number).ToArray();

    private static Tensor Cycle(double[] weights, Tensor like) =>
        Torch.Tensor<double>(Enumerable.Range(0, like.Numel).Select(i => weights[i % weights.Length]).ToArray(), like.Shape, like.DType);

    /// <summary>Dtype and shape exactly; integers and bools exactly; floats to 1e-6 (float32) or 1e-12 (float64) relative.</summary>
    private static void AssertTensor(JsonElement expected, Tensor actual, string what)
    {
        var dtype = ParseDType(expected.GetProperty("dtype").GetString()!);
        Assert.True(dtype == actual.DType, $"{what}: dtype {actual.DType}, PyTorch {dtype}");
        Assert.Equal(Golden.Ints(expected.GetProperty("shape")), actual.Shape);
        var values = expected.GetProperty("values");
        switch (dtype)
        {
            case DType.Bool:
                Assert.Equal(values.EnumerateArray().Select(e => e.GetBoolean()).ToArray(), actual.ToArray<bool>());
                break;
            case DType.Int64 or DType.Int32:
                Assert.Equal(values.EnumerateArray().Select(e => e.GetInt64()).ToArray(), actual.ToArray<long>());
                break;
            default:
                var want = Values(values);
                var got = actual.ToArray<double>();
                double rtol = dtype == DType.Float32 ? 1e-6 : 1e-12, atol = dtype == DType.Float32 ? 1e-7 : 1e-14;
                for (int i = 0; i < want.Length; i++)
                {
                    bool ok = double.IsNaN(want[i]) ? double.IsNaN(got[i])
                        : double.IsInfinity(want[i]) ? want[i] == got[i]
                        : Math.Abs(got[i] - want[i]) <= atol + rtol * Math.Abs(want[i]);
                    Assert.True(ok, $"{what}[{i}]: {got[i]:R}, PyTorch {want[i]:R}");
                }
                break;
        }
    }

    /// <summary>The message exactly; RuntimeError as InvalidOperationException, NotSupportedException or ArgumentException; IndexError as IndexOutOfRangeException.</summary>
    private static void AssertError(JsonElement error, Exception ex)
    {
        Assert.Equal(error.GetProperty("message").GetString(), ex.Message);
        switch (error.GetProperty("type").GetString())
        {
            case "IndexError": Assert.IsType<IndexOutOfRangeException>(ex); break;
            default: Assert.True(ex is InvalidOperationException or NotSupportedException or ArgumentException, ex.GetType().Name); break;
        }
    }
}
