using System.Text.Json;
using SharpGrad.Autograd;
using SharpGrad.Tests.Support;
using static SharpGrad.Torch.Autograd;

namespace SharpGrad.Tests.ForwardMode;

/// <summary>Forward-mode AD against golden fixtures from PyTorch 1.13 (tests/golden/gen_forward_ad.py).</summary>
public class ForwardADGoldenTests
{
    internal static readonly JsonElement G = Golden.Load("forward_ad");

    /// <summary>A tensor from a fixture entry: shape, row-major values, dtype.</summary>
    internal static Tensor Decode(JsonElement e)
    {
        var dtype = e.GetProperty("dtype").GetString() == "torch.float32" ? DType.Float32 : DType.Float64;
        return Torch.Tensor<double>(Golden.Doubles(e.GetProperty("values")), Golden.Ints(e.GetProperty("shape")), dtype);
    }

    internal static void AssertMatches(JsonElement expected, Tensor? actual, string what)
    {
        Assert.True(actual is not null, $"{what}: no tensor");
        var want = Decode(expected);
        Assert.Equal(want.Shape, actual!.Shape);
        Assert.True(want.DType == actual.DType, $"{what}: dtype {actual.DType}, expected {want.DType}");
        var w = want.ToArray<double>();
        var a = actual.ToArray<double>();
        for (int i = 0; i < w.Length; i++)
            Assert.True(Math.Abs(w[i] - a[i]) <= 1e-12 * Math.Max(1, Math.Abs(w[i])), $"{what}[{i}]: {a[i]}, expected {w[i]}");
    }

    private static (Tensor A, Tensor B, Tensor V) Primals()
    {
        var p = G.GetProperty("inputs").GetProperty("primals");
        return (Decode(p[0]), Decode(p[1]), Decode(p[2]));
    }

    private static (Tensor A, Tensor B, Tensor V) Tangents()
    {
        var p = G.GetProperty("inputs").GetProperty("tangents");
        return (Decode(p[0]), Decode(p[1]), Decode(p[2]));
    }

    private sealed class BadJvp : Function
    {
        public override Tensor[] Forward(FunctionContext ctx, params Tensor?[] inputs) => [inputs[0]! * 2];
        public override Tensor?[] Backward(FunctionContext ctx, params Tensor?[] g) => [g[0]! * 2];
        public override Tensor?[]? Jvp(FunctionContext ctx, params Tensor?[] tangents) => [tangents[0], tangents[0]];
    }

    /// <summary>x * x with PyTorch's <c>jvp</c> staticmethod: 2 x u.</summary>
    private sealed class Square : Function
    {
        public override Tensor[] Forward(FunctionContext ctx, params Tensor?[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return [inputs[0]! * inputs[0]!];
        }

        public override Tensor?[] Backward(FunctionContext ctx, params Tensor?[] g) => [2 * ctx.SavedTensors[0]! * g[0]!];

        public override Tensor?[]? Jvp(FunctionContext ctx, params Tensor?[] tangents) => [2 * ctx.SavedTensors[0]! * tangents[0]!];
    }

    private static readonly Dictionary<string, Func<Tensor, Tensor, Tensor, Tensor>> Composites = new()
    {
        ["mul_sin_sum"] = (a, b, v) => (a * b).Sin().Sum(),
        ["exp_div"] = (a, b, v) => a.Exp() / (b * b + 1),
        ["pow_sqrt"] = (a, b, v) => (a * a + 1).Sqrt().Pow(3),
        ["pow_tensor"] = (a, b, v) => (a.Abs() + 0.5).Pow(b),
        ["rsub_reciprocal"] = (a, b, v) => 1 - 2 / (b.Abs() + 1),
        ["softmax"] = (a, b, v) => Torch.Softmax(a * b, 1),
        ["log_softmax"] = (a, b, v) => Torch.LogSoftmax(a, 0),
        ["matmul"] = (a, b, v) => a.Matmul(b.Transpose()),
        ["mv"] = (a, b, v) => a.Mv(v),
        ["broadcast_add"] = (a, b, v) => a + v,
        ["broadcast_plain"] = (a, b, v) => v + Torch.Ones(2, 3, DType.Float64),
        ["where_relu_tanh"] = (a, b, v) => Torch.Where(a > 0, a.Relu(), b.Tanh()),
        ["sigmoid_mean"] = (a, b, v) => a.Sigmoid().Mean(1),
        ["norm"] = (a, b, v) => a.Norm(),
        ["cat"] = (a, b, v) => Torch.Cat([a, b * 2], 1),
        ["stack"] = (a, b, v) => Torch.Stack([a, v.Expand(2, 3)], 0),
        ["max_dim"] = (a, b, v) => a.Max(1).Values,
        ["max_all"] = (a, b, v) => b.Max(),
        ["clamp"] = (a, b, v) => a.Clamp(-0.5, 0.5),
        ["maximum"] = (a, b, v) => a.Maximum(b),
        ["view_chain"] = (a, b, v) => a.Transpose().Reshape(-1)[1..5].Unsqueeze(0),
        ["var_std"] = (a, b, v) => a.Var(1) + b.Std(),
        ["prod"] = (a, b, v) => b.Prod(1),
        ["logsumexp"] = (a, b, v) => a.LogSumExp(1),
        ["mse_loss"] = (a, b, v) => Torch.NN.Functional.MseLoss(a, b),
        ["cross_entropy"] = (a, b, v) => Torch.NN.Functional.CrossEntropy(a, Torch.Tensor(new long[] { 2, 0 })),
        ["index_select"] = (a, b, v) => a.IndexSelect(1, Torch.Tensor(new long[] { 2, 0, 2 })),
        ["masked_fill"] = (a, b, v) => b.MaskedFill(a > 0, 0.0),
        ["split"] = (a, b, v) => a.Split(2, 1)[1] * 3,
        ["custom_function_jvp"] = (a, b, v) => new Square().Apply(a) + b,
        ["no_grad_mode"] = (a, b, v) => Torch.NoGrad(() => (a * b).Exp()),
        ["inference_mode"] = (a, b, v) =>
        {
            using var mode = Torch.InferenceMode();
            return (a * b).Exp();
        },
    };

    private static readonly Dictionary<string, Func<Tensor, Tensor, Tensor, Tensor>> InPlaceCases = new()
    {
        ["chain"] = (a, b, v) =>
        {
            var z = a.Clone();
            z.MulInPlace(b);
            z.ExpInPlace();
            return z;
        },
        ["plain_by_dual"] = (a, b, v) =>
        {
            var z = Torch.Zeros(2, 3, DType.Float64);
            z.AddInPlace(a);
            return z;
        },
        ["view_of_plain"] = (a, b, v) =>
        {
            var z = Torch.Zeros(2, 3, DType.Float64);
            z[1].AddInPlace(v);
            return z;
        },
        ["sibling_view"] = (a, b, v) =>
        {
            var z = Torch.Zeros(2, 3, DType.Float64);
            var first = z[0];
            z[1].AddInPlace(v);
            return first * 1;
        },
        ["view_of_dual"] = (a, b, v) =>
        {
            var z = a.Clone();
            z[0].MulInPlace(b[1]);
            return z;
        },
        ["dual_view_then_base"] = (a, b, v) =>
        {
            var z = a * 1;
            var row = z[1];
            z.MulInPlace(b);
            return row * 1;
        },
        ["setitem"] = (a, b, v) =>
        {
            var z = Torch.Zeros(2, 3, DType.Float64);
            z[.., 1] = a[.., 0] * 2;
            return z;
        },
        ["copy_"] = (a, b, v) => Torch.Zeros(2, 3, DType.Float64).CopyInPlace(v),
        ["zero_"] = (a, b, v) => a.Clone().ZeroInPlace(),
        ["dual_by_plain"] = (a, b, v) => a.Clone().DivInPlace(Torch.Full([2, 3], 4.0, DType.Float64)),
    };

    public static TheoryData<string> CompositeNames() => [.. Composites.Keys];

    public static TheoryData<string> InPlaceNames() => [.. InPlaceCases.Keys];

    private static void RunCase(JsonElement expected, Func<Tensor, Tensor, Tensor, Tensor> f, string name)
    {
        var (a, b, v) = Primals();
        var (ua, ub, uv) = Tangents();
        Tensor primal;
        Tensor? tangent;
        using (ForwardAD.DualLevel())
        {
            var y = f(ForwardAD.MakeDual(a, ua), ForwardAD.MakeDual(b, ub), ForwardAD.MakeDual(v, uv));
            (primal, tangent) = ForwardAD.UnpackDual(y);
        }
        AssertMatches(expected.GetProperty("value"), primal, name + " value");
        if (expected.GetProperty("tangent").ValueKind == JsonValueKind.Null) Assert.Null(tangent);
        else AssertMatches(expected.GetProperty("tangent"), tangent, name + " tangent");
    }

    [Theory]
    [MemberData(nameof(CompositeNames))]
    public void Tangents_of_composite_functions_match_pytorch(string name) =>
        RunCase(G.GetProperty("composites").GetProperty(name), Composites[name], name);

    [Fact]
    public void Every_fixture_composite_is_run()
    {
        Assert.Equal(G.GetProperty("composites").EnumerateObject().Select(p => p.Name).Order(), Composites.Keys.Order());
        Assert.Equal(G.GetProperty("in_place").EnumerateObject().Select(p => p.Name).Order(), InPlaceCases.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(InPlaceNames))]
    public void In_place_ops_on_dual_tensors_match_pytorch(string name) =>
        RunCase(G.GetProperty("in_place").GetProperty(name), InPlaceCases[name], name);

    [Fact]
    public void A_float64_tangent_of_a_float32_primal_keeps_its_dtype()
    {
        var expected = G.GetProperty("float32_primal_float64_tangent");
        using var level = ForwardAD.DualLevel();
        var d = ForwardAD.MakeDual(Torch.Tensor(new[] { 1f, 2f }), Torch.Tensor(new[] { 0.5, 1.0 }));
        var (p, t) = ForwardAD.UnpackDual(d * 2);
        AssertMatches(expected.GetProperty("value"), p, "value");
        AssertMatches(expected.GetProperty("tangent"), t, "tangent");
    }

    [Fact]
    public void Dual_tensors_print_like_pytorch()
    {
        var r = G.GetProperty("reprs");
        string R(string name) => r.GetProperty(name).GetString()!;
        using (ForwardAD.DualLevel())
        {
            Assert.Equal(R("vector"), ForwardAD.MakeDual(Torch.Tensor(new[] { 1f, 2f, 3f }), Torch.Tensor(new[] { 1f, 0f, 0.5f })).ToString());
            Assert.Equal(R("scalar"), ForwardAD.MakeDual(Torch.Tensor(2f), Torch.Tensor(3f)).ToString());
            Assert.Equal(R("scalar_float32_third"), ForwardAD.MakeDual(Torch.Tensor(2f), Torch.Tensor(1f / 3)).ToString());
            Assert.Equal(R("scalar_float64_third"), ForwardAD.MakeDual(Torch.Tensor(2.0), Torch.Tensor(1.0 / 3)).ToString());
            Assert.Equal(R("scalar_small"), ForwardAD.MakeDual(Torch.Tensor(2.0), Torch.Tensor(1e-5)).ToString());
            Assert.Equal(R("scalar_large"), ForwardAD.MakeDual(Torch.Tensor(2.0), Torch.Tensor(2.5e16)).ToString());
            var x = Torch.Ones([2, 2], DType.Float64, requiresGrad: true);
            Assert.Equal(R("requires_grad"), ForwardAD.MakeDual(x, Torch.Ones([2, 2], DType.Float64) * 1e-5).ToString());
            var d = ForwardAD.MakeDual(Torch.Tensor(new[] { 1.5f, -2f }), Torch.Tensor(new[] { 1f, 2f }));
            Assert.Equal(R("result"), (d * 2).ToString());
            Assert.Equal(R("unpacked"), ForwardAD.UnpackDual(d).ToString());
            Assert.Equal(R("unpacked_plain"), ForwardAD.UnpackDual(Torch.Tensor(new[] { 1f, 2f })).ToString());
            Assert.Equal(R("float64_tangent_of_float32"),
                ForwardAD.MakeDual(Torch.Tensor(new[] { 1f, 2f }), Torch.Tensor(new[] { 0.5, 1.0 })).ToString());
        }
        Assert.Equal(R("outside_level"), ForwardAD.UnpackDual(Torch.Tensor(new[] { 1f })).ToString());
    }

    private static void AssertError(string name, Action action)
    {
        var e = G.GetProperty("errors").GetProperty(name);
        var expectedType = e.GetProperty("type").GetString() == "ValueError" ? typeof(ArgumentException) : typeof(InvalidOperationException);
        var ex = Assert.Throws(expectedType, action);
        Assert.Equal(e.GetProperty("message").GetString(), ex.Message);
    }

    [Fact]
    public void Misuse_raises_pytorchs_errors()
    {
        var x = Torch.Tensor(new[] { 1f, 2f, 3f });
        AssertError("no_level", () => ForwardAD.MakeDual(x, Torch.Ones(3)));
        AssertError("exit_without_level", () => ForwardAD.ExitDualLevel());
        using (ForwardAD.DualLevel())
        {
            AssertError("size", () => ForwardAD.MakeDual(x, Torch.Ones(2)));
            AssertError("size_2d", () => ForwardAD.MakeDual(x, Torch.Ones(1, 3)));
            AssertError("primal_dtype", () => ForwardAD.MakeDual(x.Long(), Torch.Ones(3)));
            AssertError("tangent_dtype", () => ForwardAD.MakeDual(x, Torch.Ones(3).Long()));
            AssertError("bool_primal", () => ForwardAD.MakeDual(x > 1, Torch.Ones(3)));
            AssertError("nested", () => ForwardAD.DualLevel());
            var d = ForwardAD.MakeDual(x, Torch.Ones(3));
            AssertError("already_dual", () => ForwardAD.MakeDual(d, Torch.Ones(3)));
            AssertError("already_dual_wrong_size", () => ForwardAD.MakeDual(d, Torch.Ones(2)));
            AssertError("exit_wrong_level", () => ForwardAD.ExitDualLevel(1));
            var leaf = Torch.Ones([2], requiresGrad: true);
            AssertError("in_place_on_dual_of_leaf", () => ForwardAD.MakeDual(leaf, Torch.Ones(2)).MulInPlace(2));
            var e = ForwardAD.MakeDual(Torch.Tensor(new[] { 1f, 2f }), Torch.Ones([2], requiresGrad: true));
            AssertError("in_place_on_tangent_leaf", () => e.MulInPlace(3));
            Assert.Equal(new[] { 1f, 2f }, ForwardAD.UnpackDual(e).Primal.ToArray<float>()); // refused before the write
            AssertError("custom_jvp_count", () => new BadJvp().Apply(ForwardAD.MakeDual(Torch.Ones(2), Torch.Ones(2))));
            // The failed calls changed nothing: the level is still usable.
            Assert.NotNull(ForwardAD.UnpackDual(d * 2).Tangent);
        }
    }

    [Fact]
    public void Dual_tensors_record_pytorchs_nodes_and_coexist_with_gradients()
    {
        var g = G.GetProperty("graph");
        Tensor y;
        using (var level = ForwardAD.DualLevel())
        {
            Assert.Equal(g.GetProperty("level").GetInt32(), level.Level);
            var x = Torch.Tensor(new[] { 1.0, 2.0 }, requiresGrad: true);
            var d = ForwardAD.MakeDual(x, Torch.Tensor(new[] { 1.0, 3.0 }));
            Assert.Equal(g.GetProperty("make_dual_grad_fn").GetString(), d.GradFn!.Name);
            Assert.Equal(g.GetProperty("make_dual_is_leaf").GetBoolean(), d.IsLeaf);
            Assert.Equal(g.GetProperty("unpack_grad_fn").GetString(), ForwardAD.UnpackDual(d).Primal.GradFn!.Name);
            Assert.Null(ForwardAD.UnpackDual(Torch.Ones(2)).Primal.GradFn);
            var z = (d.Exp() * d).Sum();
            Assert.Equal(g.GetProperty("coexist_grad_fn").GetString(), z.GradFn!.Name);
            var tangent = ForwardAD.UnpackDual(z).Tangent!;
            Assert.Equal(g.GetProperty("coexist_tangent").GetDouble(), tangent.Item<double>(), 12);
            Assert.Equal(g.GetProperty("coexist_tangent_requires_grad").GetBoolean(), tangent.RequiresGrad);
            z.Backward();
            Assert.Equal(Golden.Doubles(g.GetProperty("coexist_grad")), x.Grad!.ToArray<double>(), new ToleranceComparer(1e-12));

            var u = Torch.Tensor(new[] { 1.0, -1.0 }, requiresGrad: true);
            var e = ForwardAD.MakeDual(Torch.Tensor(new[] { 0.5, 2.0 }), u);
            var t = ForwardAD.UnpackDual((e * e * e).Sum()).Tangent!;
            Assert.Equal(Golden.Doubles(g.GetProperty("tangent_of_tangent_grad")), Grad(t, [u])[0]!.ToArray<double>(), new ToleranceComparer(1e-12));
            // In place on a dual tensor whose tangent is differentiable: a recorded update of the tangent.
            var u2 = Torch.Tensor(new[] { 1.0, -1.0 }, requiresGrad: true);
            var w = Torch.Tensor(new[] { 2.0, 5.0 }, requiresGrad: true);
            var e2 = ForwardAD.MakeDual(Torch.Tensor(new[] { 1.0, 2.0 }), u2 * 3);
            e2.MulInPlace(w);
            var t2 = ForwardAD.UnpackDual(e2).Tangent!;
            Assert.Equal(Golden.Doubles(g.GetProperty("in_place_differentiable_tangent")), t2.ToArray<double>());
            var grads = Grad((t2 * t2).Sum(), [u2, w]);
            var expectedGrads = g.GetProperty("in_place_differentiable_tangent_grads");
            Assert.Equal(Golden.Doubles(expectedGrads[0]), grads[0]!.ToArray<double>());
            Assert.Equal(Golden.Doubles(expectedGrads[1]), grads[1]!.ToArray<double>());
            y = d * 2;
        }
        Assert.True(g.GetProperty("after_exit_tangent_is_none").GetBoolean());
        Assert.Null(ForwardAD.UnpackDual(y).Tangent);
        using (ForwardAD.DualLevel())
        {
            Assert.True(g.GetProperty("reentered_tangent_is_none").GetBoolean());
            Assert.Null(ForwardAD.UnpackDual(y).Tangent);
        }
    }

    [Fact]
    public void Forward_over_reverse_gives_the_hessian_vector_product()
    {
        var expected = G.GetProperty("forward_over_reverse");
        using var level = ForwardAD.DualLevel();
        var a = Primals().A.Clone().SetRequiresGrad();
        var u = Torch.Tensor(new[,] { { 1.0, 0.0, -1.0 }, { 0.5, 2.0, 0.0 } });
        var d = ForwardAD.MakeDual(a, u);
        var y = (d.Sin() * d * d).Sum();
        var g = Grad(y, [a], createGraph: true)[0]!;
        var (primal, hvp) = ForwardAD.UnpackDual(g);
        AssertMatches(expected.GetProperty("grad"), primal, "grad");
        AssertMatches(expected.GetProperty("hvp"), hvp, "hvp");
    }

    [Fact]
    public void Outside_a_level_unpack_returns_the_tensor_itself()
    {
        var x = Torch.Ones(2);
        var (p, t) = ForwardAD.UnpackDual(x);
        Assert.Same(x, p);
        Assert.Null(t);
    }

    internal sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance * Math.Max(1, Math.Abs(a));
        public int GetHashCode(double value) => 0;
    }
}
