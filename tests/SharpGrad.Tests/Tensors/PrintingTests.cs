using System.Text.Json;
using SharpGrad.Tests.Support;

namespace SharpGrad.Tests.Tensors;

/// <summary>
/// Print options are process-wide, so the tests that change them run alone, never beside a test
/// that prints.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PrintOptionsCollection
{
    public const string Name = "Print options";
}

/// <summary>Tensor.ToString() against repr(tensor) of PyTorch 1.13 (tests/golden/gen_printing.py).</summary>
[Collection(PrintOptionsCollection.Name)]
public class PrintingTests
{
    private static readonly Lazy<JsonElement> Fixture = new(() => Golden.Load("printing"));

    private static IEnumerable<JsonElement> Cases => Fixture.Value.GetProperty("cases").EnumerateArray();

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ToString_matches_pytorch(string name)
    {
        var c = Cases.Single(e => e.GetProperty("name").GetString() == name);
        var tensor = Build(c);
        string expected = c.GetProperty("expected").GetString()!;
        if (c.TryGetProperty("options", out var options)) SetOptions(options);
        try
        {
            Assert.Equal(expected, tensor.ToString());
        }
        finally
        {
            Torch.SetPrintOptions(profile: "default");
        }
    }

    [Fact]
    public void Fixture_has_enough_cases() => Assert.True(Cases.Count() >= 80);

    [Fact]
    public void Float_formatting_matches_python()
    {
        var failures = new List<string>();
        foreach (var f in Fixture.Value.GetProperty("float_formats").EnumerateArray())
        {
            double v = f.GetProperty("value").GetDouble();
            int p = f.GetProperty("precision").GetInt32();
            string fixedText = PyFloatFormat.Fixed(v, p), sci = PyFloatFormat.Scientific(v, p);
            if (fixedText != f.GetProperty("fixed").GetString()) failures.Add($"{v:R} .{p}f: {fixedText}");
            if (sci != f.GetProperty("sci").GetString()) failures.Add($"{v:R} .{p}e: {sci}");
        }
        Assert.Empty(failures);
    }

    [Fact]
    public void Negative_zero_survives_the_json_round_trip()
    {
        // The fixtures rely on "-0.0" parsing to negative zero.
        Assert.True(double.IsNegative(JsonDocument.Parse("-0.0").RootElement.GetDouble()));
    }

    [Fact]
    public void Omitting_sci_mode_in_SetPrintOptions_resets_it_like_pytorch()
    {
        var t = Torch.Tensor(new[] { 1.0f, 2.5f });
        try
        {
            Torch.SetPrintOptions(sciMode: true);
            Assert.Equal("tensor([1.0000e+00, 2.5000e+00])", t.ToString());
            Torch.SetPrintOptions(precision: 2);
            Assert.Equal("tensor([1.00, 2.50])", t.ToString());
        }
        finally
        {
            Torch.SetPrintOptions(profile: "default");
        }
        Assert.Equal("tensor([1.0000, 2.5000])", t.ToString());
    }

    private static void SetOptions(JsonElement o)
    {
        int? Int(string key) => o.TryGetProperty(key, out var v) ? v.GetInt32() : null;
        Torch.SetPrintOptions(
            precision: Int("precision"),
            threshold: o.TryGetProperty("threshold", out var th) ? th.GetDouble() : null,
            edgeItems: Int("edgeitems"),
            lineWidth: Int("linewidth"),
            profile: o.TryGetProperty("profile", out var pr) ? pr.GetString() : null,
            sciMode: o.TryGetProperty("sci_mode", out var sm) ? sm.GetBoolean() : null);
    }

    /// <summary>Rebuilds the case's tensor: the leaf from its values, then the op if any.</summary>
    private static Tensor Build(JsonElement c)
    {
        int[] shape = Golden.Ints(c.GetProperty("shape"));
        bool requiresGrad = c.GetProperty("requires_grad").GetBoolean();
        string dtype = c.GetProperty("dtype").GetString()!;
        var leaf = dtype switch
        {
            "float32" => Torch.Tensor<float>(Floats(c).Select(v => (float)v).ToArray(), shape, DType.Float32, requiresGrad),
            "float64" => Torch.Tensor<double>(Floats(c), shape, DType.Float64, requiresGrad),
            "int64" => Torch.Tensor<long>(Longs(c), shape, DType.Int64),
            "int32" => Torch.Tensor<int>(Longs(c).Select(v => checked((int)v)).ToArray(), shape, DType.Int32),
            "bool" => Torch.Tensor<bool>(c.GetProperty("values").EnumerateArray().Select(e => e.GetBoolean()).ToArray(), shape, DType.Bool),
            _ => throw new ArgumentException(dtype),
        };
        return c.TryGetProperty("op", out var op) ? Apply(leaf, op) : leaf;
    }

    private static double[] Floats(JsonElement c)
    {
        if (c.TryGetProperty("arange", out var a))
        {
            int n = a.GetProperty("n").GetInt32();
            double scale = a.GetProperty("scale").GetDouble(), offset = a.GetProperty("offset").GetDouble();
            return Enumerable.Range(0, n).Select(i => i * scale + offset).ToArray();
        }
        return c.GetProperty("values").EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String
            ? e.GetString() switch
            {
                "nan" => double.NaN,
                "inf" => double.PositiveInfinity,
                "-inf" => double.NegativeInfinity,
                var s => throw new FormatException(s),
            }
            : e.GetDouble()).ToArray();
    }

    private static long[] Longs(JsonElement c)
    {
        if (c.TryGetProperty("arange", out var a))
        {
            int n = a.GetProperty("n").GetInt32();
            long scale = a.GetProperty("scale").GetInt64(), offset = a.GetProperty("offset").GetInt64();
            return Enumerable.Range(0, n).Select(i => i * scale + offset).ToArray();
        }
        return c.GetProperty("values").EnumerateArray().Select(e => e.GetInt64()).ToArray();
    }

    private static Tensor Apply(Tensor x, JsonElement op)
    {
        double Scalar() => op.GetProperty("scalar").GetDouble();
        int[] Shape() => Golden.Ints(op.GetProperty("shape"));
        return op.GetProperty("name").GetString() switch
        {
            "add" => x + Scalar(),
            "add_self" => x + x,
            "sub" => x - Scalar(),
            "rsub" => Scalar() - x,
            "mul" => x * Scalar(),
            "mul_self" => x * x,
            "div" => x / Scalar(),
            "neg" => -x,
            "exp" => x.Exp(),
            "sum" => x.Sum(),
            "sum_dim" => x.Sum(op.GetProperty("dim").GetInt32()),
            "mean" => x.Mean(),
            "mean_dim" => x.Mean(op.GetProperty("dim").GetInt32()),
            "view" => x.View(Shape()),
            "expand" => x.Expand(Shape()),
            "to" => x.To(op.GetProperty("dtype").GetString() == "float64" ? DType.Float64 : DType.Float32),
            "clone" => x.Clone(),
            "tutorial" => Tutorial(x),
            "tutorial_mean" => Tutorial(x).Mean(),
            var other => throw new ArgumentException($"unknown op {other}"),
        };

        static Tensor Tutorial(Tensor x)
        {
            var y = x + 2;
            return y * y * 3;
        }
    }
}
