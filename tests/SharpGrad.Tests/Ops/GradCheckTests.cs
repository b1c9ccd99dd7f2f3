using SharpGrad.Autograd;
using SharpGrad.Tests.Support;

namespace SharpGrad.Tests;

/// <summary>Every row of the op table is gradchecked in float64 on every layout.</summary>
public class GradCheckTests
{
    public static TheoryData<string, Layouts.Layout> Cases()
    {
        var data = new TheoryData<string, Layouts.Layout>();
        foreach (var row in OpTable.All)
            foreach (var layout in row.Layouts ?? Layouts.All)
                data.Add(row.Name, layout);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradients_match_finite_differences(string op, Layouts.Layout layout)
    {
        var row = OpTable.All.Single(r => r.Name == op);
        var (inputs, fn) = Layouts.Prepare(row.Fn, row.Shapes, layout, row.Lo, row.Hi, seed: op.GetHashCode() & 0xffff);
        var error = GradCheck.Check(fn, inputs);
        Assert.True(error is null, $"{op} ({layout}): {error}");
    }

    public static TheoryData<string, Layouts.Layout> SecondOrderCases()
    {
        var data = new TheoryData<string, Layouts.Layout>();
        foreach (var row in OpTable.All.Where(r => r.SecondOrder))
            foreach (var layout in row.Layouts ?? Layouts.All)
                data.Add(row.Name, layout);
        return data;
    }

    /// <summary>Every op is twice differentiable: its backward, recorded with createGraph, is gradchecked too.</summary>
    [Theory]
    [MemberData(nameof(SecondOrderCases))]
    public void Second_derivatives_match_finite_differences(string op, Layouts.Layout layout)
    {
        var row = OpTable.All.Single(r => r.Name == op);
        var (inputs, fn) = Layouts.Prepare(row.Fn, row.Shapes, layout, row.Lo, row.Hi, seed: op.GetHashCode() & 0xffff);
        var error = GradCheck.CheckSecondOrder(fn, inputs);
        Assert.True(error is null, $"{op} ({layout}): {error}");
    }

    [Fact]
    public void Op_names_in_the_table_are_unique()
    {
        var dupes = OpTable.All.GroupBy(r => r.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(dupes);
    }

    /// <summary>Fails when a backward node exists that no row of the table produces: every op needs a row.</summary>
    [Fact]
    public void Every_backward_node_has_a_row()
    {
        var seen = new HashSet<string>();
        foreach (var row in OpTable.All)
            foreach (var layout in row.Layouts ?? Layouts.All)
            {
                var (inputs, fn) = Layouts.Prepare(row.Fn, row.Shapes, layout, row.Lo, row.Hi, seed: 1);
                Collect(fn(inputs).GradFn, seen);
            }
        var nodeTypes = typeof(Node).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Node)) && !t.IsAbstract && t != typeof(AccumulateGrad) && !ExemptNodes.Contains(t.Name))
            .Select(t => t.Name)
            .ToList();
        var missing = nodeTypes.Where(n => !seen.Contains(n)).OrderBy(n => n).ToList();
        Assert.True(missing.Count == 0, "backward nodes without an op-table row: " + string.Join(", ", missing));
    }

    /// <summary>Nodes that are not ops of their own (the engine's and user-function machinery).</summary>
    /// <remarks>
    /// ToCopyBackward0 is a dtype cast, which finite differences in float32 cannot check: see ConversionTests.
    /// DelayedError only raises the once-differentiable error: see CustomFunctionTests.
    /// </remarks>
    private static readonly HashSet<string> ExemptNodes = ["ToCopyBackward0", "DelayedError"];

    private static void Collect(Node? root, HashSet<string> seen)
    {
        var stack = new Stack<Node>();
        if (root is not null) stack.Push(root);
        var visited = new HashSet<Node>();
        while (stack.TryPop(out var node))
        {
            if (!visited.Add(node)) continue;
            seen.Add(node.GetType().Name);
            foreach (var (next, _) in node.NextFunctions) if (next is not null) stack.Push(next);
        }
    }
}
