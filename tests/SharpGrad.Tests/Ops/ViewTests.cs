using System.Text.Json;
using SharpGrad.Autograd;
using SharpGrad.Tests.Support;

namespace SharpGrad.Tests;

/// <summary>
/// View ops, the indexer, and joining/splitting ops against PyTorch 1.13 (tests/golden/gen_views.py):
/// geometry (sizes, strides, storage offset, contiguity, storage sharing), values, gradients,
/// grad_fn chains and error texts. Ops are given as JSON lists interpreted by <see cref="Apply"/>.
/// </summary>
public class ViewTests
{
    private static readonly JsonElement Fixture = Golden.Load("views");

    private static IEnumerable<JsonElement> Section(string name) => Fixture.GetProperty(name).EnumerateArray();

    public static TheoryData<int, string> ChainCases() => Cases("chains");
    public static TheoryData<int, string> ErrorCases() => Cases("errors");
    public static TheoryData<int, string> JoiningCases() => Cases("joining");
    public static TheoryData<int, string> SplittingCases() => Cases("splitting");
    public static TheoryData<int, string> IndexingCases() => Cases("indexing");
    public static TheoryData<int, string> DoubleBackwardCases() => Cases("double_backward");

    private static TheoryData<int, string> Cases(string section)
    {
        var data = new TheoryData<int, string>();
        int i = 0;
        foreach (var c in Section(section)) data.Add(i++, Describe(c));
        return data;
    }

    private static string Describe(JsonElement c) =>
        string.Join(" ", new[] { "fn", "base", "dtype", "dim", "ops", "op", "index" }
            .Where(k => c.TryGetProperty(k, out _)).Select(k => $"{k}={JsonSerializer.Serialize(c.GetProperty(k))}"));

    [Theory]
    [MemberData(nameof(ChainCases))]
    public void View_chain_matches_pytorch(int index, string description)
    {
        var c = Section("chains").ElementAt(index);
        foreach (bool ranges in UseRanges(c.GetProperty("ops")))
        {
            var (leaf, base_) = Make(c.GetProperty("base"), c.GetProperty("dtype").GetString()!);
            var y = ApplyAll(base_, c.GetProperty("ops"), ranges);
            string where = $"{description} (ranges: {ranges})";
            Assert.True(Golden.Ints(c.GetProperty("shape")).SequenceEqual(y.Shape), where);
            Assert.True(Golden.Ints(c.GetProperty("stride")).SequenceEqual(y.Stride()), $"{where}: strides {ShapeUtil.Format(y.Stride())}");
            Assert.Equal(c.GetProperty("offset").GetInt32(), y.StorageOffset);
            Assert.Equal(c.GetProperty("contiguous").GetBoolean(), y.IsContiguous);
            Assert.Equal(c.GetProperty("shares_storage").GetBoolean(), ReferenceEquals(y.Storage, leaf.Storage));
            Assert.Equal(Golden.Doubles(c.GetProperty("values")), y.ToArray<double>());
            Assert.Equal(Strings(c.GetProperty("nodes")), NodeChain(y));
            if (c.TryGetProperty("grad", out var grad))
            {
                y.Backward(Ramp(y.Shape, y.DType));
                AssertClose(Golden.Doubles(grad), leaf.Grad!.ToArray<double>(), where);
            }
        }
    }

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void View_errors_match_pytorch(int index, string description)
    {
        var c = Section("errors").ElementAt(index);
        foreach (bool ranges in UseRanges(c.GetProperty("ops")))
        {
            var (_, base_) = Make(c.GetProperty("base"), c.GetProperty("dtype").GetString()!);
            var ex = Record.Exception(() => ApplyAll(base_, c.GetProperty("ops"), ranges));
            AssertError(c, ex, description);
        }
    }

    [Theory]
    [MemberData(nameof(JoiningCases))]
    public void Cat_and_stack_match_pytorch(int index, string description)
    {
        var c = Section("joining").ElementAt(index);
        var leaves = new List<Tensor>();
        var inputs = new List<Tensor>();
        foreach (var spec in c.GetProperty("inputs").EnumerateArray())
        {
            var (leaf, t) = Make(spec.GetProperty("shape"), spec.GetProperty("dtype").GetString()!, spec.GetProperty("grad").GetBoolean());
            leaves.Add(leaf);
            inputs.Add(ApplyAll(t, spec.GetProperty("ops"), false));
        }
        int dim = c.GetProperty("dim").GetInt32();
        Func<Tensor> run = c.GetProperty("fn").GetString() == "cat" ? () => Torch.Cat(inputs, dim) : () => Torch.Stack(inputs, dim);
        if (c.TryGetProperty("message", out _))
        {
            AssertError(c, Record.Exception(() => run()), description);
            return;
        }
        var y = run();
        Assert.Equal(Golden.Ints(c.GetProperty("shape")), y.Shape);
        Assert.Equal(c.GetProperty("dtype").GetString(), DTypeName(y.DType));
        Assert.Equal(Golden.Doubles(c.GetProperty("values")), y.ToArray<double>());
        Assert.Equal(c.GetProperty("node").GetString(), y.GradFn?.Name);
        if (!c.TryGetProperty("grads", out var grads)) return;
        y.Backward(Ramp(y.Shape, y.DType));
        int k = 0;
        foreach (var g in grads.EnumerateArray())
        {
            var actual = leaves[k++].Grad;
            if (g.ValueKind == JsonValueKind.Null) { Assert.Null(actual); continue; }
            Assert.NotNull(actual);
            Assert.Equal(g.GetProperty("dtype").GetString(), DTypeName(actual.DType));
            Assert.Equal(Golden.Ints(g.GetProperty("shape")), actual.Shape);
            Assert.Equal(Golden.Doubles(g.GetProperty("values")), actual.ToArray<double>());
        }
    }

    [Theory]
    [MemberData(nameof(SplittingCases))]
    public void Split_chunk_unbind_match_pytorch(int index, string description)
    {
        var c = Section("splitting").ElementAt(index);
        var (leaf, x) = Make(c.GetProperty("base"), "float64");
        var outputs = (Tensor[])Apply(x, c.GetProperty("op"), false);
        var expected = c.GetProperty("outputs").EnumerateArray().ToList();
        Assert.Equal(expected.Count, outputs.Length);
        for (int i = 0; i < outputs.Length; i++)
        {
            var e = expected[i];
            Assert.Equal(Golden.Ints(e.GetProperty("shape")), outputs[i].Shape);
            Assert.Equal(Golden.Ints(e.GetProperty("stride")), outputs[i].Stride());
            Assert.Equal(e.GetProperty("offset").GetInt32(), outputs[i].StorageOffset);
            Assert.Equal(Golden.Doubles(e.GetProperty("values")), outputs[i].ToArray<double>());
            Assert.Equal(e.GetProperty("node").GetString(), outputs[i].GradFn!.Name);
            Assert.Same(leaf.Storage, outputs[i].Storage);
            Assert.True(outputs[i].IsMultiOutputView);
        }
        var used = Golden.Ints(c.GetProperty("used"));
        if (used.Length == 0) return;
        Torch.Autograd.Backward(used.Select(k => outputs[k]).ToList(), used.Select(k => (Tensor?)(Ramp(outputs[k].Shape, DType.Float64) * (k + 1))).ToList());
        Assert.Equal(Golden.Doubles(c.GetProperty("grad")), leaf.Grad!.ToArray<double>());
        Assert.True(description.Length > 0);
    }

    [Theory]
    [MemberData(nameof(IndexingCases))]
    public void IndexSelect_and_IndexAdd_match_pytorch(int index, string description)
    {
        var c = Section("indexing").ElementAt(index);
        string dtype = c.GetProperty("dtype").GetString()!;
        var (leaf, x) = Make(c.GetProperty("base"), dtype);
        var idx = Torch.Tensor(c.GetProperty("index").EnumerateArray().Select(e => e.GetInt64()).ToArray());
        int dim = c.GetProperty("dim").GetInt32();
        Tensor? sourceLeaf = null;
        Func<Tensor> run;
        if (c.GetProperty("fn").GetString() == "index_select") run = () => x.IndexSelect(dim, idx);
        else
        {
            var (sl, s) = Make(c.GetProperty("source"), dtype);
            sourceLeaf = sl;
            var source = dtype == "bool" ? s : s * 10;
            var alpha = c.GetProperty("alpha");
            Scalar? a = alpha.ValueKind == JsonValueKind.Null ? null
                : alpha.TryGetInt32(out int ai) ? ai : alpha.GetDouble();
            run = () => x.IndexAdd(dim, idx, source, a);
        }
        if (c.TryGetProperty("message", out _))
        {
            AssertError(c, Record.Exception(() => run()), description);
            return;
        }
        var y = run();
        Assert.Equal(Golden.Ints(c.GetProperty("shape")), y.Shape);
        Assert.Equal(Golden.Doubles(c.GetProperty("values")), y.ToArray<double>());
        Assert.Equal(c.GetProperty("node").GetString(), y.GradFn?.Name);
        if (!c.TryGetProperty("grad", out var grad)) return; // also where PyTorch's backward fails for a broadcast source
        y.Backward(Ramp(y.Shape, y.DType));
        Assert.Equal(Golden.Doubles(grad), leaf.Grad!.ToArray<double>());
        if (c.TryGetProperty("source_grad", out var sg)) Assert.Equal(Golden.Doubles(sg), sourceLeaf!.Grad!.ToArray<double>());
    }

    [Theory]
    [MemberData(nameof(DoubleBackwardCases))]
    public void Double_backward_matches_pytorch(int index, string description)
    {
        var c = Section("double_backward").ElementAt(index);
        var (leaf, x) = Make(c.GetProperty("base"), "float64");
        var y = ApplyAll(x, c.GetProperty("ops"), false);
        var g = Torch.Autograd.Grad((y * y).Sum(), [leaf], createGraph: true)[0]!;
        AssertClose(Golden.Doubles(c.GetProperty("grad")), g.ToArray<double>(), description);
        (g * Ramp(g.Shape, g.DType)).Sum().Backward();
        AssertClose(Golden.Doubles(c.GetProperty("grad2")), leaf.Grad!.ToArray<double>(), description);
    }

    [Fact]
    public void Views_share_storage_version_and_root_base_and_writes_show_through()
    {
        var x = Torch.Arange(24, dtype: DType.Float32).Reshape(2, 3, 4);
        var y = x.Transpose(0, 2)[1.., 1];
        Assert.Same(x.Storage, y.Storage);
        Assert.Same(x.Version, y.Version);
        Assert.Same(x.ViewBase, y.ViewBase); // views of views record the root base (Note [Views])
        Assert.False(y.IsContiguous);
        // y[i, j] = x[j, 1, 1 + i]: a write through y's geometry is what x reads, and the other way round.
        y.Storage.As<float>()[y.StorageOffset + 2 * y.Stride()[0] + 1 * y.Stride()[1]] = -7;
        Assert.Equal(-7, x[1, 1, 3].Item<float>());
        x.Storage.As<float>()[x.StorageOffset + 0 * 12 + 1 * 4 + 1] = -9;
        Assert.Equal(-9, y[0, 0].Item<float>());
    }

    [Fact]
    public void Views_record_nothing_without_grad_mode_or_requires_grad()
    {
        var x = Torch.Ones([2, 3], DType.Float64, requiresGrad: true);
        using (Torch.NoGrad())
        {
            Assert.Null(x.Transpose(0, 1).GradFn);
            Assert.Null(x[1..].GradFn);
            Assert.Null(Torch.Cat([x, x], 0).GradFn);
            Assert.All(x.Split(1), p => Assert.Null(p.GradFn));
        }
        Assert.Equal("SliceBackward0", x[1..].GradFn!.Name);
        Assert.Null(Torch.Ones(2, 3).Permute(1, 0).GradFn);
    }

    // ---- interpretation of the fixture's op lists ----

    /// <summary>arange(numel) in the dtype (bool: odd positions true), reshaped; the flat tensor is the leaf.</summary>
    private static (Tensor Leaf, Tensor Base) Make(JsonElement shape, string dtype, bool? requiresGrad = null)
    {
        var sizes = Golden.Ints(shape);
        int n = sizes.Aggregate(1, (a, b) => a * b);
        Tensor flat = dtype == "bool"
            ? Torch.Tensor(Enumerable.Range(0, n).Select(i => i % 2 == 1).ToArray())
            : Torch.Arange(n, dtype: ParseDType(dtype));
        if (requiresGrad ?? dtype == "float64") flat.RequiresGrad = true;
        return (flat, flat.Reshape(sizes));
    }

    private static Tensor ApplyAll(Tensor t, JsonElement ops, bool ranges)
    {
        foreach (var op in ops.EnumerateArray()) t = (Tensor)Apply(t, op, ranges);
        return t;
    }

    /// <summary>One op: <c>[name, args...]</c>, the same names gen_views.py uses.</summary>
    private static object Apply(Tensor t, JsonElement op, bool ranges)
    {
        var a = op.EnumerateArray().ToArray();
        string name = a[0].GetString()!;
        int I(int k) => a[k].GetInt32();
        int? N(int k) => a.Length > k && a[k].ValueKind != JsonValueKind.Null ? a[k].GetInt32() : null;
        int[] Ints(int k) => a[k].ValueKind == JsonValueKind.Array ? Golden.Ints(a[k]) : a[1..].Select(e => e.GetInt32()).ToArray();
        return name switch
        {
            "transpose" => t.Transpose(I(1), I(2)),
            "t" => t.Transpose(),
            "T" => t.T,
            "mT" => t.mT,
            "permute" => t.Permute(a[1..].Select(e => e.GetInt32()).ToArray()),
            "squeeze" => a.Length > 1 ? t.Squeeze(I(1)) : t.Squeeze(),
            "unsqueeze" => t.Unsqueeze(I(1)),
            "flatten" => t.Flatten(N(1) ?? 0, N(2) ?? -1),
            "narrow" => t.Narrow(I(1), I(2), I(3)),
            "select" => t.Select(I(1), I(2)),
            "slice" => t.Slice(I(1), N(2), N(3), I(4)),
            "as_strided" => t.AsStrided(Golden.Ints(a[1]), Golden.Ints(a[2]), N(3)),
            "expand" => t.Expand(Ints(1)),
            "index" => t[a[1].EnumerateArray().Select(e => ToIndex(e, ranges)).ToArray()],
            "split" => t.Split(I(1), N(2) ?? 0),
            "split_sizes" => t.Split(Golden.Ints(a[1]), I(2)),
            "chunk" => t.Chunk(I(1), N(2) ?? 0),
            "unbind" => t.Unbind(N(1) ?? 0),
            _ => throw new NotSupportedException(name),
        };
    }

    /// <summary>
    /// A Python index spec as a <see cref="TensorIndex"/>. With <paramref name="ranges"/>, slices without
    /// a step become C# ranges (<c>1..^1</c>) and negative integers <c>^k</c>, so both spellings are
    /// checked against the same PyTorch result.
    /// </summary>
    private static TensorIndex ToIndex(JsonElement e, bool ranges)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Null: return TensorIndex.None;
            case JsonValueKind.String: return TensorIndex.Ellipsis;
            case JsonValueKind.Number:
                int i = e.GetInt32();
                return ranges && i < 0 ? (TensorIndex)(^(-i)) : (TensorIndex)i;
        }
        var s = e.GetProperty("slice").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (int?)null : v.GetInt32()).ToArray();
        if (ranges && s[2] is null or 1)
        {
            Index start = s[0] is { } st ? (st < 0 ? ^(-st) : st) : 0;
            Index end = s[1] is { } en ? (en < 0 ? ^(-en) : en) : ^0;
            return start..end;
        }
        return TensorIndex.Slice(s[0], s[1], s[2] ?? 1);
    }

    /// <summary>Both spellings when the ops contain an index the C# range syntax can express.</summary>
    private static bool[] UseRanges(JsonElement ops)
    {
        bool any = ops.EnumerateArray().Any(op => op[0].GetString() == "index" && op[1].EnumerateArray().Any(e =>
            (e.ValueKind == JsonValueKind.Number && e.GetInt32() < 0) ||
            (e.ValueKind == JsonValueKind.Object && e.GetProperty("slice")[2].ValueKind == JsonValueKind.Null)));
        return any ? [false, true] : [false];
    }

    private static void AssertError(JsonElement c, Exception? ex, string description)
    {
        Assert.True(ex is not null, $"no exception for {description}");
        var expectedType = c.GetProperty("type").GetString() switch
        {
            "IndexError" => typeof(IndexOutOfRangeException),
            "ValueError" => typeof(ArgumentException),
            _ => typeof(InvalidOperationException),
        };
        Assert.True(expectedType == ex.GetType(), $"{description}: {ex.GetType().Name}: {ex.Message}");
        Assert.Equal(c.GetProperty("message").GetString(), ex.Message);
    }

    private static List<string> NodeChain(Tensor t)
    {
        var names = new List<string>();
        for (var fn = t.GradFn; fn is not null && fn is not AccumulateGrad;
             fn = fn.NextFunctions.Select(e => e.Function).FirstOrDefault(f => f is not null))
            names.Add(fn.Name);
        return names;
    }

    private static Tensor Ramp(int[] shape, DType dtype) =>
        (Torch.Arange(shape.Aggregate(1, (a, b) => a * b), dtype: DType.Float64) + 1).Reshape(shape).To(dtype);

    private static void AssertClose(double[] expected, double[] actual, string where)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])),
                $"{where}: element {i}: expected {expected[i]}, got {actual[i]}");
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static DType ParseDType(string name) => Enum.GetValues<DType>().Single(d => DTypeName(d) == name);

    private static string DTypeName(DType d) => d.TorchName()["torch.".Length..];
}

/// <summary>Runs alone: it swaps the process-wide <see cref="Torch.WarningSink"/>.</summary>
[CollectionDefinition("TransposeWarning", DisableParallelization = true)]
public class TransposeWarningCollection;

/// <summary>The deprecation warning of <see cref="Tensor.T"/> on tensors that are neither 2-D nor 0-D.</summary>
[Collection("TransposeWarning")]
public class TransposeWarningTests
{
    [Fact]
    public void T_on_a_non_matrix_warns_once_with_pytorchs_text()
    {
        var messages = new List<string>();
        var previous = Torch.WarningSink;
        Torch.WarningSink = messages.Add;
        try
        {
            TransposeWarnings.Reset();
            _ = Torch.Zeros(2, 2).T;
            _ = Torch.Zeros(3).T;
            _ = Torch.Zeros(2, 3, 4).T;
        }
        finally { Torch.WarningSink = previous; }
        var text = messages.Where(m => m.Contains("x.T")).ToList();
        Assert.Equal(["UserWarning: " + Golden.Load("views").GetProperty("t_warning").GetString()], text);
    }
}
