using System.Text.Json;
using SharpGrad.Tests.Support;
using F = SharpGrad.Torch.NN.Functional;

namespace SharpGrad.Tests.NN;

/// <summary>
/// Torch.NN.Functional against PyTorch 1.13 (tests/golden/gen_functional.py): every fixture case is
/// replayed, comparing output values, shape, dtype and grad_fn, leaf gradients (and second-order
/// gradients where recorded), warnings, and error types and texts.
/// </summary>
[Collection("WarningTests")] // swaps the process-wide warning sink: run alone
public class FunctionalTests
{
    private static readonly JsonElement s_fixture = Golden.Load("functional");

    public static TheoryData<string> CaseNames() => GoldenCases.CaseNames(s_fixture);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Matches_pytorch(string name)
    {
        var spec = GoldenCases.Case(s_fixture, name);
        string op = spec.GetProperty("op").GetString()!;

        // Only these ops warn; the global sink is swapped for them alone, so tests elsewhere keep theirs.
        var warnings = new List<string>();
        GoldenCases.Replay(spec, (tensors, args) =>
        {
            if (!WarningOps.Contains(op)) return Call(op, tensors, args);
            var previousSink = Torch.WarningSink;
            F.ResetWarnings();
            Torch.WarningSink = warnings.Add;
            try { return Call(op, tensors, args); }
            finally { Torch.WarningSink = previousSink; }
        });
        if (spec.TryGetProperty("error", out _)) return; // the fixture keeps no warnings of a failing call
        var expectedWarnings = spec.TryGetProperty("warnings", out var w) ? w.EnumerateArray().Select(e => e.GetString()!).ToList() : [];
        foreach (var expected in expectedWarnings) Assert.Contains(expected, warnings);
        if (expectedWarnings.Count == 0) Assert.Empty(warnings);
    }

    [Fact]
    public void Every_op_has_golden_cases()
    {
        var ops = s_fixture.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("op").GetString()!).ToHashSet();
        string[] expected = ["softmax", "log_softmax", "tensor_softmax", "tensor_log_softmax", "nll_loss", "cross_entropy", "bce_with_logits", "mse_loss",
            "logsigmoid", "relu", "sigmoid", "tanh"];
        Assert.True(ops.SetEquals(expected), string.Join(", ", ops));
    }

    public static TheoryData<string> GraphNames()
    {
        var data = new TheoryData<string>();
        foreach (var g in s_fixture.GetProperty("graphs").EnumerateObject()) data.Add(g.Name);
        return data;
    }

    /// <summary>
    /// The whole grad_fn graph of a composite loss matches PyTorch's node by node (depth-first): the
    /// inner nodes name the C++ scalar overloads (MulBackward1, AddBackward1, DivBackward1) and
    /// IndexPutBackward0 / MaskedSelectBackward0. For BCE with logits the graphs of the gradients
    /// (create_graph) are compared too; the cross-entropy gradients differ (PyTorch has fused
    /// LogSoftmaxBackwardDataBackward0 / NllLossBackwardBackward0 nodes there).
    /// </summary>
    [Theory]
    [MemberData(nameof(GraphNames))]
    public void Loss_graph_matches_pytorch(string name)
    {
        var g = s_fixture.GetProperty("graphs").GetProperty(name);
        var inputs = g.GetProperty("inputs").EnumerateArray().Select(GoldenCases.Build).ToArray();
        foreach (var t in inputs) t.RequiresGrad = true;
        var t3 = Torch.Tensor(new[] { 1L, -100, 4 });
        var w5 = Torch.Tensor(new[] { 1.0f, 2.0f, 0.5f, 1.5f, 3.0f });
        string reduction = name.Split('_')[^1];
        var loss = name switch
        {
            _ when name.StartsWith("ce_ls_ignore_") => F.CrossEntropy(inputs[0], t3, reduction: reduction, labelSmoothing: 0.2),
            _ when name.StartsWith("ce_prob_ls_") => F.CrossEntropy(inputs[0], inputs[1], reduction: reduction, labelSmoothing: 0.3),
            _ when name.StartsWith("bce_pos_weight_") => F.BinaryCrossEntropyWithLogits(inputs[0], inputs[1], reduction: reduction, posWeight: w5),
            "ce_ls_weight_mean" => F.CrossEntropy(inputs[0], Torch.Tensor(new[] { 1L, 2, 4 }), w5, ignoreIndex: 2, labelSmoothing: 0.25),
            "bce_mean" => F.BinaryCrossEntropyWithLogits(inputs[0], inputs[1]),
            _ => throw new ArgumentException(name),
        };
        Assert.Equal(Names(g.GetProperty("loss")), Chain(loss.GradFn));
        if (!name.StartsWith("bce_")) return;
        var grads = Torch.Autograd.Grad([loss], inputs, [Torch.OnesLike(loss)], createGraph: true);
        var expected = g.GetProperty("grads").EnumerateArray().ToArray();
        for (int i = 0; i < inputs.Length; i++) Assert.Equal(Names(expected[i]), Chain(grads[i]!.GradFn));

        static List<string> Names(JsonElement e) => e.EnumerateArray().Select(n => n.GetString()!).ToList();
    }

    [Fact]
    public void Activation_wrappers_are_the_tensor_methods()
    {
        var x = Torch.Tensor(new[] { -1.5f, 0.25f, 2.0f }, requiresGrad: true);
        var warnings = new List<string>();
        var previousSink = Torch.WarningSink;
        F.ResetWarnings();
        Torch.WarningSink = warnings.Add;
        try
        {
            foreach (var (wrapper, method) in new (Func<Tensor, Tensor>, Func<Tensor, Tensor>)[]
                     { (F.Relu, t => t.Relu()), (F.Sigmoid, t => t.Sigmoid()), (F.Tanh, t => t.Tanh()) })
            {
                var (a, b) = (wrapper(x), method(x));
                Assert.Equal(b.ToArray<float>(), a.ToArray<float>());
                Assert.Equal(b.GradFn!.Name, a.GradFn!.Name);
            }
            F.Sigmoid(x);
            F.Tanh(x);
        }
        finally
        {
            Torch.WarningSink = previousSink;
        }
        // PyTorch's deprecation warnings, once each (Python's default filter).
        Assert.Equal([F.SigmoidDeprecatedText, F.TanhDeprecatedText], warnings);
    }

    private static List<string> Chain(SharpGrad.Autograd.Node? root)
    {
        var names = new List<string>();
        Visit(root);
        return names;

        void Visit(SharpGrad.Autograd.Node? node)
        {
            if (node is null) return;
            names.Add(node.Name);
            foreach (var (next, _) in node.NextFunctions) Visit(next);
        }
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
        var x = GoldenCases.Values([4, 3], 0.37, 11, 5, DType.Float64);
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
        DType? dtype = args.TryGetProperty("dtype", out var d) ? GoldenCases.ParseDType(d.GetString()!) : null;
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
            "logsigmoid" => F.LogSigmoid(t["input"]),
            "relu" => F.Relu(t["input"]),
            "sigmoid" => F.Sigmoid(t["input"]),
            "tanh" => F.Tanh(t["input"]),
            _ => throw new ArgumentException($"unknown op {op}"),
        };
    }

    private static readonly HashSet<string> WarningOps = ["mse_loss", "sigmoid", "tanh"];
}
