using SharpGrad.Profiling;
using SharpGrad.Tests.Support;
using static SharpGrad.Torch;
using F = SharpGrad.Torch.NN.Functional;

namespace SharpGrad.Tests.Profiling;

/// <summary>
/// Every op records PyTorch's aten name: the top-level events of one call per op, against real
/// PyTorch 1.13's profiler on the same call (tests/golden/gen_profiler.py, op_cases).
/// </summary>
[Collection("Profiler")]
public class ProfilerOpNameTests
{
    private static Dictionary<string, Action> Cases()
    {
        var x = (Arange(6, dtype: DType.Float32).Reshape(2, 3) / 10 + 0.5).SetRequiresGrad(true);
        var y = x.Detach().Clone();
        var m = Arange(9, dtype: DType.Float32).Reshape(3, 3);
        var v = Arange(3, dtype: DType.Float32);
        var i = Tensor(new long[] { 0, 1 });
        var b = Tensor(new[,] { { true, false, true }, { false, true, true } });
        var t = Tensor(new long[] { 0, 2 });
        var (lo, hi, src) = (Zeros(2, 3), Ones(2, 3), Ones(2, 3));
        var one = Tensor(1.0f);
        var target = Ones(2, 3);
        var (m3, x3) = (m.Unsqueeze(0), x.Unsqueeze(0));
        var logp = y.LogSoftmax(1);
        return new()
        {
            ["add"] = () => x.Add(x), ["add_scalar"] = () => _ = x + 2, ["radd"] = () => _ = 2 + x, ["sub"] = () => _ = x - x,
            ["sub_scalar"] = () => _ = x - 2, ["rsub"] = () => _ = 2 - x, ["sub_alpha"] = () => x.Sub(x, alpha: 2),
            ["mul"] = () => _ = x * x, ["mul_scalar"] = () => _ = x * 2, ["div"] = () => _ = x / x, ["div_scalar"] = () => _ = x / 2,
            ["rdiv"] = () => _ = 2 / x, ["neg"] = () => _ = -x, ["exp"] = () => x.Exp(), ["reciprocal"] = () => x.Reciprocal(),
            ["relu"] = () => x.Relu(), ["sigmoid"] = () => x.Sigmoid(), ["tanh"] = () => x.Tanh(), ["sqrt"] = () => x.Sqrt(),
            ["rsqrt"] = () => x.Rsqrt(), ["log"] = () => x.Log(), ["sin"] = () => x.Sin(), ["cos"] = () => x.Cos(),
            ["log1p"] = () => x.Log1p(), ["expm1"] = () => x.Expm1(), ["abs"] = () => x.Abs(), ["sign"] = () => x.Sign(),
            ["square"] = () => x.Square(), ["floor"] = () => x.Floor(), ["ceil"] = () => x.Ceil(), ["round"] = () => x.Round(),
            ["clamp"] = () => x.Clamp(0.6, 0.9), ["clamp_tensors"] = () => x.Clamp(lo, hi), ["clamp_min"] = () => x.ClampMin(0.7),
            ["clamp_max"] = () => x.ClampMax(0.7), ["maximum"] = () => x.Maximum(y), ["minimum"] = () => x.Minimum(y),
            ["eq"] = () => x.Eq(y), ["eq_scalar"] = () => x.Eq(1), ["ne"] = () => x.Ne(y), ["lt"] = () => _ = x < y,
            ["le_scalar"] = () => _ = x <= 1, ["gt"] = () => _ = x > y, ["ge"] = () => _ = x >= y,
            ["to_double"] = () => x.To(DType.Float64), ["double"] = () => x.Double(), ["clone"] = () => x.Clone(),
            ["contiguous_transposed"] = () => x.Transpose().Contiguous(), ["contiguous_noop"] = () => x.Contiguous(),
            ["index_select"] = () => x.IndexSelect(0, i), ["index_add"] = () => y.IndexAdd(0, i, src),
            ["index_put"] = () => y.IndexPut([i], one), ["index_tensor"] = () => x.Index(i),
            ["mm"] = () => m.Mm(m), ["bmm"] = () => m3.Bmm(m3), ["mv"] = () => m.Mv(v), ["dot"] = () => v.Dot(v),
            ["matmul"] = () => m.Matmul(m), ["matmul_vv"] = () => v.Matmul(v), ["logsigmoid"] = () => F.LogSigmoid(x),
            ["logical_and"] = () => b.LogicalAnd(b), ["logical_or"] = () => b.LogicalOr(b),
            ["logical_xor"] = () => b.LogicalXor(b), ["logical_not"] = () => b.LogicalNot(),
            ["bitwise_and"] = () => b.BitwiseAnd(b), ["bitwise_or"] = () => b.BitwiseOr(b),
            ["bitwise_xor"] = () => b.BitwiseXor(b), ["bitwise_not"] = () => _ = ~b,
            ["all"] = () => b.All(), ["all_dim"] = () => b.All(0), ["any"] = () => b.Any(), ["any_dim"] = () => b.Any(1),
            ["masked_fill"] = () => x.MaskedFill(b, 0.0), ["masked_scatter"] = () => x.MaskedScatter(b, src),
            ["masked_select"] = () => x.MaskedSelect(b), ["max"] = () => x.Max(), ["max_dim"] = () => x.Max(0),
            ["min"] = () => x.Min(), ["min_dim"] = () => x.Min(1), ["argmax"] = () => x.ArgMax(), ["argmin_dim"] = () => x.ArgMin(0),
            ["logsumexp"] = () => x.LogSumExp(0), ["norm"] = () => x.Norm(), ["norm_p1"] = () => x.Norm(1),
            ["norm_dim"] = () => x.Norm(2, 0), ["vector_norm"] = () => Linalg.VectorNorm(x),
            ["pow_scalar"] = () => x.Pow(2), ["pow_tensor"] = () => x.Pow(y), ["pow_scalar_base"] = () => Pow(2, x),
            ["prod"] = () => x.Prod(), ["prod_dim"] = () => x.Prod(0), ["var"] = () => x.Var(), ["var_dim"] = () => x.Var(0),
            ["std"] = () => x.Std(), ["std_dim"] = () => x.Std(1), ["view"] = () => x.View(6), ["reshape"] = () => x.Reshape(3, 2),
            ["view_as"] = () => x.ViewAs(y), ["reshape_as"] = () => x.ReshapeAs(y), ["select"] = () => x.Select(0, 1),
            ["narrow"] = () => x.Narrow(1, 0, 2), ["as_strided"] = () => x.AsStrided([2], [1]),
            ["index_int"] = () => _ = x[0], ["index_int_int"] = () => _ = x[0, 1], ["index_slices"] = () => _ = x[.., 1..],
            ["split"] = () => x.Split(1), ["split_sizes"] = () => x.Split([1, 1]), ["chunk"] = () => x.Chunk(2),
            ["unbind"] = () => x.Unbind(), ["squeeze"] = () => x3.Squeeze(), ["squeeze_dim"] = () => x3.Squeeze(0),
            ["unsqueeze"] = () => x.Unsqueeze(0), ["flatten"] = () => x.Flatten(), ["sum"] = () => x.Sum(),
            ["sum_dim"] = () => x.Sum(0), ["mean"] = () => x.Mean(), ["mean_dim"] = () => x.Mean(1),
            ["sum_to_size"] = () => x.SumToSize(1, 3), ["transpose"] = () => x.Transpose(0, 1), ["t"] = () => x.Transpose(),
            ["T"] = () => _ = x.T, ["mT"] = () => _ = x.mT, ["permute"] = () => x.Permute(1, 0), ["expand"] = () => x.Expand(2, 2, 3),
            ["expand_as"] = () => v.ExpandAs(x), ["where"] = () => Where(b, x, y), ["where_scalar"] = () => Where(b, x, 0.0),
            ["cat"] = () => Cat([x, y]), ["concat"] = () => Concat([x, y]), ["stack"] = () => Stack([x, y]),
            ["softmax"] = () => x.Softmax(1), ["log_softmax"] = () => x.LogSoftmax(1), ["F_softmax"] = () => F.Softmax(x, 1),
            ["bce_with_logits"] = () => F.BinaryCrossEntropyWithLogits(x, target),
            ["cross_entropy"] = () => F.CrossEntropy(x, t), ["nll_loss"] = () => F.NllLoss(logp, t),
            ["add_"] = () => y.AddInPlace(1), ["sub_"] = () => y.SubInPlace(src), ["mul_"] = () => y.MulInPlace(2), ["div_"] = () => y.DivInPlace(2),
            ["neg_"] = () => y.NegInPlace(), ["exp_"] = () => y.ExpInPlace(), ["zero_"] = () => y.ZeroInPlace(), ["fill_"] = () => y.FillInPlace(1),
            ["copy_"] = () => y.CopyInPlace(src), ["sqrt_"] = () => y.SqrtInPlace(), ["clamp_"] = () => y.ClampInPlace(0, 1),
            ["clamp_min_"] = () => y.ClampMinInPlace(0), ["pow_"] = () => y.PowInPlace(2), ["relu_"] = () => y.ReluInPlace(),
            ["sigmoid_"] = () => y.SigmoidInPlace(), ["iadd"] = () => y += src,
        };
    }

    [Fact]
    public void Top_level_event_names_are_PyTorchs()
    {
        var golden = Golden.Load("profiler").GetProperty("op_names");
        var cases = Cases();
        var mismatches = new List<string>();
        int me = Environment.CurrentManagedThreadId;
        foreach (var expected in golden.EnumerateObject())
        {
            Assert.True(cases.TryGetValue(expected.Name, out var call), $"no C# case for {expected.Name}");
            Profile prof;
            using (prof = Torch.Autograd.Profiler.Profile())
                call();
            var got = prof.FunctionEvents.Where(e => e.Thread == me && e.CpuParent is null && e.Name != "[memory]").Select(e => e.Name).ToList();
            var want = expected.Value.EnumerateArray().Select(e => e.GetString()!).ToList();
            if (!got.SequenceEqual(want)) mismatches.Add($"{expected.Name}: PyTorch [{string.Join(", ", want)}], SharpGrad [{string.Join(", ", got)}]");
        }
        Assert.Equal(golden.EnumerateObject().Count(), cases.Count);
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }
}
