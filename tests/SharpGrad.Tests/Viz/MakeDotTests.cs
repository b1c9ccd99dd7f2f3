using System.Text.Json;
using SharpGrad.Autograd;
using SharpGrad.Tests.Support;
using SharpGrad.Viz;
using static SharpGrad.Torch;
using F = SharpGrad.Torch.NN.Functional;

namespace SharpGrad.Tests.Viz;

/// <summary>
/// Torch.Viz.MakeDot draws the graphs torchviz's make_dot draws: tests/golden/viz.json holds the
/// node and edge label multisets of the same graphs built in PyTorch 1.13 (gen_viz.py).
/// </summary>
public class MakeDotTests
{
    private static (Tensor Loss, Dictionary<string, Tensor> Params) Seed002()
    {
        var x = Ones(5);
        var y = Zeros(3);
        var w = Randn(5, 3, requiresGrad: true);
        var b = Randn(3, requiresGrad: true);
        var z = Matmul(x, w) + b;
        var loss = F.BinaryCrossEntropyWithLogits(z, y);
        return (loss, new() { ["w"] = w, ["b"] = b });
    }

    /// <summary>The graph as sorted (label, fill) nodes and (from label, to label, attributes) edges.</summary>
    private static (List<string> Nodes, List<string> Edges) Shape(Digraph dot)
    {
        var labels = dot.Nodes.ToDictionary(n => n.Id, n => n.Label);
        Assert.Equal(labels.Count, dot.Nodes.Count()); // each id is declared once
        var nodes = dot.Nodes.Select(n => n.Label + " | " + Fill(n.Attributes)).Order(StringComparer.Ordinal).ToList();
        var edges = dot.Edges.Select(e => $"{labels[e.From]} -> {labels[e.To]} | {Attrs(e.Attributes)}").Order(StringComparer.Ordinal).ToList();
        return (nodes, edges);
    }

    private static string Fill(IReadOnlyList<(string Name, string Value)> attributes) =>
        attributes.FirstOrDefault(a => a.Name == "fillcolor").Value ?? "";

    private static string Attrs(IReadOnlyList<(string Name, string Value)> attributes) =>
        string.Join(" ", attributes.Select(a => $"{a.Name}={a.Value}"));

    private static (List<string> Nodes, List<string> Edges) GoldenShape(string name)
    {
        var g = Golden.Load("viz").GetProperty(name);
        var nodes = g.GetProperty("nodes").EnumerateArray()
            .Select(n => n[0].GetString() + " | " + n[1].GetString()).Order(StringComparer.Ordinal).ToList();
        var edges = g.GetProperty("edges").EnumerateArray()
            .Select(e => $"{e[0].GetString()} -> {e[1].GetString()} | {e[2].GetString()}").Order(StringComparer.Ordinal).ToList();
        return (nodes, edges);
    }

    private static void AssertSameGraph(string golden, Digraph dot)
    {
        var (wantNodes, wantEdges) = GoldenShape(golden);
        var (nodes, edges) = Shape(dot);
        Assert.Equal(wantNodes, nodes);
        Assert.Equal(wantEdges, edges);
    }

    [Fact]
    public void Seed002_graph_has_torchviz_nodes_names_shapes_and_edges()
    {
        var (loss, ps) = Seed002();
        var dot = Torch.Viz.MakeDot(loss, ps);
        AssertSameGraph("seed002", dot);
        var w = dot.Nodes.Single(n => n.Label == "w\n (5, 3)");
        Assert.Equal("lightblue", Fill(w.Attributes));
        Assert.Equal("darkolivegreen1", Fill(dot.Nodes.First().Attributes)); // the output is drawn first
        Assert.Equal("\n ()", dot.Nodes.First().Label);
    }

    [Fact]
    public void Seed002_show_saved_draws_saved_tensors_with_their_names_and_shapes()
    {
        var (loss, ps) = Seed002();
        AssertSameGraph("seed002_saved", Torch.Viz.MakeDot(loss, ps, showSaved: true));
    }

    [Fact]
    public void Show_attrs_lists_saved_attributes_as_torchviz_does()
    {
        var (loss, ps) = Seed002();
        var dot = Torch.Viz.MakeDot(loss, ps, showAttrs: true);
        string want = Golden.Load("viz").GetProperty("squeeze_attr_label").GetString()!;
        Assert.Contains(dot.Nodes, n => n.Label == want);
        // Without showAttrs a node is labelled with its name alone.
        Assert.Contains(Torch.Viz.MakeDot(loss, ps).Nodes, n => n.Label == "SqueezeBackward3");
    }

    [Fact]
    public void A_view_output_draws_its_base_with_a_dotted_edge_and_non_float32_dtypes()
    {
        var a = Arange(6.0, dtype: DType.Float64).Reshape(2, 3).SetRequiresGrad();
        AssertSameGraph("view_output", Torch.Viz.MakeDot((a * a).Transpose(), new Dictionary<string, Tensor> { ["a"] = a }));
    }

    private sealed class Sq : Function
    {
        public override Tensor[] Forward(FunctionContext ctx, params Tensor?[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return [inputs[0]! * inputs[0]!];
        }

        public override Tensor?[] Backward(FunctionContext ctx, params Tensor?[] g) => [2 * ctx.SavedTensors[0]! * g[0]!];
    }

    [Fact]
    public void A_custom_function_always_shows_the_tensors_it_saved()
    {
        var c = Tensor(new[] { 1f, 2f, 3f }, requiresGrad: true);
        AssertSameGraph("custom_function", Torch.Viz.MakeDot(new Sq().Apply(c * 3), new Dictionary<string, Tensor> { ["c"] = c }));
    }

    [Fact]
    public void Source_is_dot_text_in_the_python_graphviz_layout()
    {
        var (loss, ps) = Seed002();
        string source = Torch.Viz.MakeDot(loss, ps).Source;
        var lines = source.Split('\n');
        Assert.Equal("digraph {", lines[0]);
        Assert.Equal("\tgraph [size=\"12,12\"]", lines[1]);
        Assert.Equal("\tnode [align=left fontname=monospace fontsize=10 height=0.2 ranksep=0.1 shape=box style=filled]", lines[2]);
        Assert.Equal("\t0 [label=\"\\n ()\" fillcolor=darkolivegreen1]", lines[3]);
        Assert.Equal("\t1 [label=BinaryCrossEntropyWithLogitsBackward0]", lines[4]);
        Assert.Equal("\t2 -> 1", lines[5]); // AddBackward0 feeds the loss node
        Assert.Contains("\t6 [label=\"w\\n (5, 3)\" fillcolor=lightblue]", lines);
        Assert.Equal("}", lines[^2]);
        Assert.Equal("", lines[^1]);
        // 9 nodes and 8 edges, one statement a line.
        Assert.Equal(3 + 9 + 8 + 1, lines.Length - 1);
    }

    [Fact]
    public void Output_is_deterministic_across_calls_and_graphs()
    {
        var (loss, ps) = Seed002();
        string first = Torch.Viz.MakeDot(loss, ps, showAttrs: true, showSaved: true).Source;
        Assert.Equal(first, Torch.Viz.MakeDot(loss, ps, showAttrs: true, showSaved: true).Source);
        var (loss2, ps2) = Seed002(); // new objects at new addresses, same structure
        Assert.Equal(first, Torch.Viz.MakeDot(loss2, ps2, showAttrs: true, showSaved: true).Source);
    }

    [Fact]
    public void A_10000_op_chain_is_drawn_without_deep_recursion()
    {
        var x = Tensor(new[] { 1.0 }, requiresGrad: true);
        var y = x;
        for (int i = 0; i < 10_000; i++) y = y * 1.0001;
        Digraph? dot = null;
        // A small stack: a recursive walk of 10,000 nodes would overflow it.
        var thread = new Thread(() => dot = Torch.Viz.MakeDot(y, new Dictionary<string, Tensor> { ["x"] = x }), 256 * 1024);
        thread.Start();
        thread.Join();
        Assert.NotNull(dot);
        Assert.Equal(10_000 + 3, dot.Nodes.Count()); // output, 10,000 MulBackward0 (PyTorch names a tensor-times-number node so), AccumulateGrad, x
        Assert.Equal(10_000 + 2, dot.Edges.Count());
        Assert.Equal(10_000, dot.Nodes.Count(n => n.Label == "MulBackward0"));
        string source = dot.Source;
        Assert.Contains("graph [size=\"3000.75,3000.75\"]", source); // torchviz's resize: 0.15 inch per statement
        Assert.Contains("[label=\"x\\n (1)\\n float64\" fillcolor=lightblue]", source); // non-float32 dtypes get a line
    }

    [Fact]
    public void Several_outputs_share_one_picture()
    {
        var a = Tensor(new[] { 1f, 2f }, requiresGrad: true);
        var h = a.Exp();
        var dot = Torch.Viz.MakeDot([h.Sum(), h.Mean()], new Dictionary<string, Tensor> { ["a"] = a });
        Assert.Single(dot.Nodes, n => n.Label == "ExpBackward0");
        Assert.Single(dot.Nodes, n => n.Label == "a\n (2)");
        Assert.Equal(2, dot.Nodes.Count(n => Fill(n.Attributes) == "darkolivegreen1"));
        Assert.Equal(2, dot.Edges.Count(e => dot.Nodes.Single(n => n.Id == e.From).Label == "ExpBackward0"));
    }

    [Fact]
    public void Freed_and_modified_saved_tensors_are_labelled_instead_of_failing()
    {
        var x = Tensor(new[] { 1.0, 2.0 }, requiresGrad: true);
        var v = x.Clone();
        var outModified = (x * v).Sum();
        v.AddInPlace(1); // MulBackward0's saved "other" is now stale
        var modified = Torch.Viz.MakeDot(outModified, showSaved: true);
        Assert.Contains(modified.Nodes, n => n.Label == "other\n [modified in place]");

        var y = (x * x).Sum();
        y.Backward();
        var freed = Torch.Viz.MakeDot(y, showSaved: true);
        Assert.Equal(2, freed.Nodes.Count(n => n.Label == "self\n [freed]" || n.Label == "other\n [freed]"));
    }

    [Fact]
    public void A_tensor_saved_twice_is_one_box_and_a_leaf_output_has_no_history()
    {
        var x = Tensor(new[] { 1f, 2f }, requiresGrad: true);
        var dot = Torch.Viz.MakeDot(x * x, new Dictionary<string, Tensor> { ["x"] = x }, showSaved: true);
        // MulBackward0 saved x as self and other; x is also the leaf: one box, two undirected edges.
        Assert.Single(dot.Nodes, n => n.Label.EndsWith("\n (2)") && n.Label != "\n (2)");
        Assert.Equal(2, dot.Edges.Count(e => e.Attributes.Contains(("dir", "none"))));
        Assert.Equal(2, dot.Edges.Count(e => dot.Nodes.Single(n => n.Id == e.From).Label == "AccumulateGrad"));

        var leaf = Torch.Viz.MakeDot(x, new Dictionary<string, Tensor> { ["x"] = x });
        Assert.Equal("x\n (2)", Assert.Single(leaf.Nodes).Label);
        Assert.Empty(leaf.Edges);
    }

    [Fact]
    public void Names_with_quotes_and_backslashes_are_escaped()
    {
        var x = Tensor(new[] { 1f }, requiresGrad: true);
        string source = Torch.Viz.MakeDot(x * 2, new Dictionary<string, Tensor> { ["a\"b\\c"] = x }).Source;
        Assert.Contains("[label=\"a\\\"b\\\\c\\n (1)\" fillcolor=lightblue]", source);
        Assert.Throws<ArgumentException>(() => Torch.Viz.MakeDot(x, new Dictionary<string, Tensor> { ["n"] = null! }));
    }

    [Fact]
    public void Attribute_names_and_values_follow_pytorch_conventions()
    {
        Assert.Equal("self_sizes", NodeFields.SnakeName("<selfSizes>P"));
        Assert.Equal("self", NodeFields.SnakeName("SelfSaved"));
        Assert.Equal("pos_weight", NodeFields.SnakeName("_posWeight"));
        Assert.Equal("result", NodeFields.SnakeName("Result"));
        Assert.Equal("(3,)", NodeFields.Format(new[] { 3 }));
        Assert.Equal("(1, 3)", NodeFields.Format(new[] { 1, 3 }));
        Assert.Equal("()", NodeFields.Format(Array.Empty<int>()));
        Assert.Equal("(True, False)", NodeFields.Format(new[] { true, false }));
        Assert.Equal("None", NodeFields.Format(null));
        Assert.Equal("2.0", NodeFields.Format(2.0));
        Assert.Equal("1e-05", NodeFields.Format(1e-5));
        Assert.Equal("1", NodeFields.Format((Scalar)1));
        Assert.Equal("0.5", NodeFields.Format((Scalar)0.5));
    }

    [Fact]
    public void Save_writes_the_source()
    {
        var (loss, ps) = Seed002();
        var dot = Torch.Viz.MakeDot(loss, ps);
        string dir = Directory.CreateTempSubdirectory("sharpgrad-viz").FullName;
        try
        {
            string path = dot.Save(Path.Combine(dir, "graph.dot"));
            Assert.Equal(Path.Combine(dir, "graph.dot"), path);
            Assert.Equal(dot.Source, File.ReadAllText(path));
            Assert.Equal(dot.Source, dot.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Graph_size_grows_as_torchviz_resizes_it()
    {
        Assert.Equal("12,12", Digraph.GraphSize(17));
        Assert.Equal("12,12", Digraph.GraphSize(80));
        Assert.Equal("12.15,12.15", Digraph.GraphSize(81));
        // Python's str() of the float: 100 * 0.15 and 120 * 0.15 print as 15.0 and 18.0.
        Assert.Equal("15.0,15.0", Digraph.GraphSize(100));
        Assert.Equal("18.0,18.0", Digraph.GraphSize(120));
    }
}
