using System.Text.Json;
using SharpGrad.Tests.Support;

namespace SharpGrad.Tests;

/// <summary>
/// Runs the cases of <c>tests/golden/reductions.json</c> (from gen_reductions.py): each names an op
/// and its arguments, the inputs, and PyTorch's forward value, indices, grad_fn name, gradients of
/// <c>(op(x) * w).sum()</c> and, for some, second derivatives.
/// </summary>
public static class ReductionGolden
{
    public static readonly JsonElement Root = Golden.Load("reductions");

    public static readonly HashSet<string> LinalgOps = ["mm", "bmm", "mv", "dot", "matmul"];

    public static IEnumerable<JsonElement> Cases(bool linalg) =>
        Root.GetProperty("cases").EnumerateArray().Where(c => LinalgOps.Contains(c.GetProperty("op").GetString()!) == linalg);

    public static IEnumerable<JsonElement> Errors(bool linalg) =>
        Root.GetProperty("errors").EnumerateArray().Where(c => LinalgOps.Contains(c.GetProperty("op").GetString()!) == linalg);

    public static TheoryData<string> Names(IEnumerable<JsonElement> cases)
    {
        var data = new TheoryData<string>();
        foreach (var c in cases) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    public static JsonElement Find(string section, string name) =>
        Root.GetProperty(section).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch
        {
            "nan" => double.NaN,
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            var s => throw new FormatException(s),
        }
        : e.GetDouble();

    public static DType ParseDType(string name) => GoldenCases.ParseDType(name);

    public static Tensor ParseTensor(JsonElement e)
    {
        var values = e.GetProperty("values").EnumerateArray().Select(Number).ToArray();
        return Torch.Tensor<double>(values, Golden.Ints(e.GetProperty("shape")), ParseDType(e.GetProperty("dtype").GetString()!));
    }

    private static int[]? Dims(JsonElement args, string key) =>
        !args.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number ? [v.GetInt32()] : Golden.Ints(v);

    private static bool Flag(JsonElement args, string key, bool fallback = false) =>
        args.TryGetProperty(key, out var v) ? v.GetBoolean() : fallback;

    /// <summary>Calls the SharpGrad op a case names; returns the value and, for max/min over a dim, the indices.</summary>
    public static (Tensor Values, Tensor? Indices) Apply(string op, JsonElement args, Tensor[] x)
    {
        bool keep = Flag(args, "keepdim");
        int? dim = args.TryGetProperty("dim", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetInt32() : null;
        switch (op)
        {
            case "max": return (x[0].Max(), null);
            case "min": return (x[0].Min(), null);
            case "max_dim": { var (v, i) = x[0].Max(dim!.Value, keep); return (v, i); }
            case "min_dim": { var (v, i) = Torch.Min(x[0], dim!.Value, keep); return (v, i); }
            case "argmax": return (x[0].ArgMax(dim, keep), null);
            case "argmin": return (Torch.ArgMin(x[0], dim, keep), null);
            case "sum": return (x[0].Sum(), null);
            case "prod":
                if (dim is { } pd) return (x[0].Prod(pd, keep), null);
                return (x[0].Prod(args.TryGetProperty("dtype", out var dt) ? ParseDType(dt.GetString()!) : null), null);
            case "norm":
            {
                double p = Number(args.GetProperty("p"));
                var dims = Dims(args, "dim");
                return (dims is null ? x[0].Norm(p) : x[0].Norm(p, dims, keep), null);
            }
            case "vector_norm":
                return (Torch.Linalg.VectorNorm(x[0], Number(args.GetProperty("ord")), Dims(args, "dim"), keep), null);
            case "var" or "std":
            {
                bool std = op == "std";
                bool unbiased = Flag(args, "unbiased", true);
                if (args.TryGetProperty("correction", out var c))
                {
                    int correction = c.GetInt32();
                    return (std ? x[0].Std(Dims(args, "dims"), correction, keep) : x[0].Var(Dims(args, "dims"), correction, keep), null);
                }
                if (dim is { } vd) return (std ? x[0].Std(vd, unbiased, keep) : x[0].Var(vd, unbiased, keep), null);
                if (Dims(args, "dims") is { } vds) return (std ? x[0].Std(vds, unbiased, keep) : x[0].Var(vds, unbiased, keep), null);
                return (std ? x[0].Std(unbiased) : x[0].Var(unbiased), null);
            }
            case "logsumexp":
            {
                var dims = Dims(args, "dims")!;
                return (dims.Length == 1 ? x[0].LogSumExp(dims[0], keep) : Torch.LogSumExp(x[0], dims, keep), null);
            }
            case "mm": return (x[0].Mm(x[1]), null);
            case "bmm": return (Torch.Bmm(x[0], x[1]), null);
            case "mv": return (x[0].Mv(x[1]), null);
            case "dot": return (Torch.Dot(x[0], x[1]), null);
            case "matmul": return (Torch.Matmul(x[0], x[1]), null);
            default: throw new ArgumentException(op);
        }
    }

    /// <summary>Asserts shape, dtype and values (NaN and infinities exact; float32 to 1e-5 relative).</summary>
    public static void AssertTensor(JsonElement expected, Tensor? actual, string what)
    {
        Assert.True(actual is not null, $"{what}: missing");
        Assert.Equal(Golden.Ints(expected.GetProperty("shape")), actual!.Shape);
        Assert.Equal(ParseDType(expected.GetProperty("dtype").GetString()!), actual.DType);
        AssertValues(expected, actual, what);
    }

    public static void AssertValues(JsonElement expected, Tensor actual, string what)
    {
        var want = expected.GetProperty("values").EnumerateArray().Select(Number).ToArray();
        var got = actual.ToArray<double>();
        Assert.Equal(want.Length, got.Length);
        double tol = actual.DType == DType.Float32 ? 1e-5 : 1e-10;
        for (int i = 0; i < want.Length; i++)
        {
            double w = want[i], g = got[i];
            bool ok = double.IsNaN(w) ? double.IsNaN(g)
                : double.IsInfinity(w) ? w == g
                : Math.Abs(w - g) <= tol * (1 + Math.Abs(w));
            Assert.True(ok, $"{what}[{i}]: expected {w}, got {g}");
        }
    }

    /// <summary>Runs one golden case end to end: forward, grad_fn, first and second derivatives.</summary>
    public static void Run(string name)
    {
        var c = Find("cases", name);
        var expectGrads = c.TryGetProperty("grads", out var grads);
        var inputs = c.GetProperty("inputs").EnumerateArray().Select(ParseTensor).ToArray();
        foreach (var t in inputs) if (expectGrads && t.DType.IsFloatingPoint()) t.RequiresGrad = true;
        var (values, indices) = Apply(c.GetProperty("op").GetString()!, c.GetProperty("args"), inputs);

        AssertTensor(c.GetProperty("out"), values, "out");
        if (c.TryGetProperty("indices", out var idx)) AssertTensor(idx, indices, "indices");
        var gradFn = c.GetProperty("grad_fn");
        Assert.Equal(gradFn.ValueKind == JsonValueKind.Null ? null : gradFn.GetString(), values.GradFn?.Name);
        if (!expectGrads) return;

        bool second = c.TryGetProperty("gradgrads", out var gradgrads);
        var diff = inputs.Where(t => t.RequiresGrad).ToArray();
        var w = ParseTensor(c.GetProperty("weight"));
        var actual = Torch.Autograd.Grad([(values * w).Sum()], diff, allowUnused: true, createGraph: second);
        var expected = grads.EnumerateArray().ToArray();
        for (int i = 0; i < diff.Length; i++)
        {
            if (expected[i].ValueKind == JsonValueKind.Null)
                Assert.True(actual[i] is null || actual[i]!.ToArray<double>().All(v => v == 0), $"grad {i}: expected none");
            else AssertTensor(expected[i], actual[i], $"grad {i}");
        }
        if (!second) return;

        var v = c.GetProperty("v").EnumerateArray().Select(ParseTensor).ToArray();
        var terms = actual.Select((g, i) => g is { RequiresGrad: true } ? (g * v[i]).Sum() : null).OfType<Tensor>().ToArray();
        var total = terms.Length == 0 ? null : terms.Aggregate((a, b) => a + b);
        var secondGrads = total is null ? new Tensor?[diff.Length] : Torch.Autograd.Grad([total], diff, allowUnused: true);
        var expectedSecond = gradgrads.EnumerateArray().ToArray();
        for (int i = 0; i < diff.Length; i++)
            AssertValues(expectedSecond[i], secondGrads[i] ?? Torch.ZerosLike(diff[i]), $"second derivative {i}");
    }

    /// <summary>Runs one golden error case: same exception message as PyTorch, and a matching .NET type.</summary>
    public static void RunError(string name)
    {
        var c = Find("errors", name);
        var inputs = c.GetProperty("inputs").EnumerateArray().Select(ParseTensor).ToArray();
        var ex = Record.Exception(() => Apply(c.GetProperty("op").GetString()!, c.GetProperty("args"), inputs));
        Assert.NotNull(ex);
        Assert.Equal(c.GetProperty("error").GetString(), ex!.Message);
        switch (c.GetProperty("type").GetString())
        {
            case "IndexError": Assert.IsType<IndexOutOfRangeException>(ex); break;
            // RuntimeError: InvalidOperationException; "not implemented for" dtype errors are
            // NotSupportedException and shape/argument errors of the core are ArgumentException.
            default: Assert.True(ex is InvalidOperationException or NotSupportedException or ArgumentException, ex.GetType().Name); break;
        }
    }
}
