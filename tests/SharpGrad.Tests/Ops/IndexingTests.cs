using System.Text.Json;
using SharpGrad.Tests.Support;

namespace SharpGrad.Tests;

/// <summary>
/// masked_fill, masked_select, masked_scatter, index_put and index (advanced indexing) against
/// PyTorch 1.13 (tests/golden/gen_indexing.py), replayed case by case.
/// </summary>
public class IndexingTests
{
    private static readonly JsonElement s_fixture = Golden.Load("indexing");

    public static TheoryData<string> CaseNames() => GoldenCases.CaseNames(s_fixture);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Matches_pytorch(string name)
    {
        var spec = GoldenCases.Case(s_fixture, name);
        GoldenCases.Replay(spec, (t, args) => Call(spec.GetProperty("op").GetString()!, t, args));
    }

    [Fact]
    public void Every_op_has_golden_cases()
    {
        var ops = s_fixture.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("op").GetString()!).ToHashSet();
        Assert.True(ops.SetEquals(["masked_fill", "masked_select", "masked_scatter", "index_put", "index"]), string.Join(", ", ops));
    }

    [Fact]
    public void Non_bool_masks_are_rejected()
    {
        // PyTorch 1.13 reads such masks unchecked (masked_fill, masked_scatter); SharpGrad refuses them.
        var x = Torch.Zeros(3);
        var mask = Torch.Tensor(new[] { 1L, 0, 1 });
        Assert.Throws<InvalidOperationException>(() => x.MaskedFill(mask, 1));
        Assert.Throws<InvalidOperationException>(() => x.MaskedScatter(mask, Torch.Ones(3)));
    }

    [Fact]
    public void Inputs_are_not_modified()
    {
        var x = Torch.Tensor(new[] { 1.0f, 2.0f, 3.0f });
        var mask = Torch.Tensor(new[] { true, false, true });
        x.MaskedFill(mask, 0);
        x.MaskedScatter(mask, Torch.Zeros(3));
        x.IndexPut([mask], Torch.Tensor(0.0f));
        x.IndexPut([Torch.Tensor(new[] { 0L })], Torch.Tensor(5.0f), accumulate: true);
        Assert.Equal([1.0f, 2.0f, 3.0f], x.ToArray<float>());
        Assert.Equal(0, x.Version.Value);
    }

    private static Tensor Call(string op, Dictionary<string, Tensor> t, JsonElement args)
    {
        var indices = t.Keys.Where(k => k.Length > 1 && k[0] == 'i' && char.IsDigit(k[1])).Order().Select(k => t[k]).ToArray();
        return op switch
        {
            "masked_fill" => t["input"].MaskedFill(t["mask"], Value(args)),
            "masked_select" => t["input"].MaskedSelect(t["mask"]),
            "masked_scatter" => t["input"].MaskedScatter(t["mask"], t["source"]),
            "index_put" => t["input"].IndexPut(indices, t["values"],
                args.TryGetProperty("accumulate", out var acc) && acc.GetBoolean()),
            "index" => t["input"].Index(indices),
            _ => throw new ArgumentException($"unknown op {op}"),
        };
    }

    /// <summary>The case's number: an integral Scalar when PyTorch got a Python int.</summary>
    private static Scalar Value(JsonElement args) =>
        args.GetProperty("value_int").GetBoolean()
            ? args.GetProperty("value").GetInt64()
            : GoldenCases.Number(args.GetProperty("value"));
}
