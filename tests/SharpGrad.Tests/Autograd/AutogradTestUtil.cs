using System.Text;
using System.Text.Json;
using SharpGrad.Autograd;
using SharpGrad.Tests.Support;

namespace SharpGrad.Tests.Autograd;

/// <summary>Helpers shared by the autograd tests: the golden fixture, tensors from it, graph rendering.</summary>
internal static class AutogradTestUtil
{
    private static readonly Lazy<JsonElement> s_golden = new(() => Golden.Load("autograd"));

    /// <summary>tests/golden/autograd.json, written by gen_autograd.py from PyTorch 1.13.</summary>
    public static JsonElement Fixture => s_golden.Value;

    public static DType ParseDType(string torchName) =>
        Enum.GetValues<DType>().Single(d => d.TorchName() == torchName);

    /// <summary>A tensor from a fixture entry {"values", "shape", "dtype"}.</summary>
    public static Tensor FromJson(JsonElement e, bool requiresGrad = false) =>
        Torch.Tensor<double>(Golden.Doubles(e.GetProperty("values")), Golden.Ints(e.GetProperty("shape")),
            ParseDType(e.GetProperty("dtype").GetString()!), requiresGrad);

    /// <summary>Elementwise closeness with a tolerance suited to the dtype (float32 or float64).</summary>
    public static void Close(double[] expected, Tensor actual, string? what = null)
    {
        var got = actual.ToArray<double>();
        Assert.True(expected.Length == got.Length, $"{what}: {got.Length} elements, expected {expected.Length}");
        double rtol = actual.DType == DType.Float64 ? 1e-12 : 1e-5;
        for (int i = 0; i < got.Length; i++)
            Assert.True(Math.Abs(got[i] - expected[i]) <= rtol * Math.Max(1, Math.Abs(expected[i])),
                $"{what}[{i}]: got {got[i]}, expected {expected[i]} (all: [{string.Join(", ", got)}])");
    }

    /// <summary>
    /// Renders a grad_fn graph as the generator does: nodes numbered in first-visit (preorder)
    /// order, one line per node with its next_functions as (id, inputNr) pairs, leaves named.
    /// </summary>
    public static string Render(Node? root, IReadOnlyDictionary<string, Tensor> leaves)
    {
        var ids = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        var lines = new List<string>();
        int? Visit(Node? f)
        {
            if (f is null) return null;
            if (ids.TryGetValue(f, out int id)) return id;
            id = ids[f] = lines.Count;
            lines.Add("");
            string name = f.Name;
            if (f is AccumulateGrad acc) name += "(" + leaves.Single(kv => ReferenceEquals(kv.Value, acc.Variable)).Key + ")";
            var next = f.NextFunctions.Select(p => $"({Visit(p.Function)?.ToString() ?? "None"}, {p.InputNr})").ToList();
            lines[id] = $"{id}: {name} -> [{string.Join(", ", next)}]";
            return id;
        }
        var rootId = Visit(root);
        return $"root {rootId?.ToString() ?? "None"}\n" + string.Join("\n", lines);
    }

    /// <summary>The same rendering for the generator's {"root", "nodes"} form.</summary>
    public static string Render(JsonElement graph)
    {
        var sb = new StringBuilder();
        var root = graph.GetProperty("root");
        sb.Append("root ").Append(root.ValueKind == JsonValueKind.Null ? "None" : root.GetInt32().ToString());
        int id = 0;
        foreach (var node in graph.GetProperty("nodes").EnumerateArray())
        {
            string name = node.GetProperty("name").GetString()!;
            if (node.TryGetProperty("variable", out var v)) name += "(" + v.GetString() + ")";
            var next = node.GetProperty("next").EnumerateArray().Select(p =>
            {
                var f = p[0];
                return $"({(f.ValueKind == JsonValueKind.Null ? "None" : f.GetInt32().ToString())}, {p[1].GetInt32()})";
            });
            sb.Append('\n').Append($"{id++}: {name} -> [{string.Join(", ", next)}]");
        }
        return sb.ToString();
    }

    /// <summary>The message of the exception <paramref name="action"/> throws, which must be a <typeparamref name="TException"/>.</summary>
    public static string Message<TException>(Action action) where TException : Exception =>
        Assert.Throws<TException>(action).Message;
}

/// <summary>A test-only node: runs <paramref name="backward"/> on the output gradient.</summary>
internal sealed class LambdaNode(string name, Func<Tensor, Tensor?[]> backward) : SingleOutputNode
{
    public override string Name => name;

    protected override Tensor?[] Backward(Tensor grad) => backward(grad);

    /// <summary>Records a node for <c>result = f(inputs)</c>, as an op would (Note [Recording]).</summary>
    public static Tensor Apply(string name, Tensor result, Func<Tensor, Tensor?[]> backward, params Tensor[] inputs)
    {
        var output = result.Detach();
        if (Graph.NeedsGrad(inputs)) Graph.Record(new LambdaNode(name, backward), output, inputs);
        return output;
    }
}
