using System.Text.Json;
using SharpGrad.Tests.Support;
using static SharpGrad.Torch;

namespace SharpGrad.Tests.Tensors;

public class FactoryTests
{
    private static readonly JsonElement G = Golden.Load("factories");

    private static void AssertLike(JsonElement expected, Tensor t)
    {
        Assert.Equal(Golden.Ints(expected.GetProperty("shape")), t.Shape);
        Assert.Equal(expected.GetProperty("dtype").GetString(), t.DType.TorchName());
        var want = Golden.Doubles(expected.GetProperty("values"));
        var got = t.ToArray<double>();
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++)
            Assert.True(want[i] == got[i], $"element {i}: PyTorch {want[i]:R}, SharpGrad {got[i]:R}");
    }

    [Fact]
    public void Arange_matches_PyTorch()
    {
        var a = G.GetProperty("arange");
        AssertLike(a.GetProperty("0_5"), Arange(5));
        AssertLike(a.GetProperty("1_1.8_0.1"), Arange(1, 1.8, 0.1));
        AssertLike(a.GetProperty("0_1_0.1"), Arange(0, 1, 0.1));
        AssertLike(a.GetProperty("-3_3_1.5"), Arange(-3, 3, 1.5));
        AssertLike(a.GetProperty("10_0_-3"), Arange(10, 0, -3));
        AssertLike(a.GetProperty("0.5_4"), Arange(0.5, 4));
        AssertLike(a.GetProperty("4_f32"), Arange(4, dtype: DType.Float32));
        AssertLike(a.GetProperty("0_10_3_f64"), Arange(0, 10, 3, dtype: DType.Float64));
    }

    [Fact]
    public void Linspace_matches_PyTorch_bit_for_bit()
    {
        var l = G.GetProperty("linspace");
        AssertLike(l.GetProperty("0_6_10"), Linspace(0.0, 6.0, 10));
        AssertLike(l.GetProperty("-2_2_25"), Linspace(-2, 2, 25));
        AssertLike(l.GetProperty("0_2pi_25"), Linspace(0.0, 2.0 * Math.PI, 25));
        AssertLike(l.GetProperty("0_1_7_f64"), Linspace(0, 1, 7, DType.Float64));
        AssertLike(l.GetProperty("3_3_1"), Linspace(3, 3, 1));
        AssertLike(l.GetProperty("1_0_0"), Linspace(1, 0, 0));
        AssertLike(l.GetProperty("-1_1_4"), Linspace(-1, 1, 4));
    }

    [Fact]
    public void Linspace_sweep_matches_PyTorch_bit_for_bit()
    {
        foreach (var c in G.GetProperty("linspace_sweep").EnumerateArray())
        {
            var dtype = c.GetProperty("dtype").GetString() == "torch.float32" ? DType.Float32 : DType.Float64;
            var t = Linspace(c.GetProperty("start").GetDouble(), c.GetProperty("end").GetDouble(), c.GetProperty("steps").GetInt32(), dtype);
            Assert.Equal(Golden.Doubles(c.GetProperty("values")), t.ToArray<double>());
        }
    }

    [Fact]
    public void Eye_full_and_literals_match_PyTorch()
    {
        AssertLike(G.GetProperty("eye").GetProperty("4_5"), Eye(4, 5));
        AssertLike(G.GetProperty("eye").GetProperty("3"), Eye(3));
        AssertLike(G.GetProperty("eye").GetProperty("2_4_i64"), Eye(2, 4, DType.Int64));
        AssertLike(G.GetProperty("full").GetProperty("int"), Full([2, 2], 7));
        AssertLike(G.GetProperty("full").GetProperty("float"), Full([3], 2.5));
        AssertLike(G.GetProperty("full").GetProperty("f64"), Full([2], 1, DType.Float64));
        Assert.Equal(G.GetProperty("literal_dtypes").GetProperty("ints").GetString(), Tensor(new long[] { 1, 2, 3 }).DType.TorchName());
        Assert.Equal(G.GetProperty("literal_dtypes").GetProperty("floats").GetString(), Tensor(new[] { 1f, 2f }).DType.TorchName());
        Assert.Equal(G.GetProperty("literal_dtypes").GetProperty("bools").GetString(), Tensor(new[] { true, false }).DType.TorchName());
    }

    [Fact]
    public void Factory_errors_carry_PyTorch_text()
    {
        var e = G.GetProperty("errors");
        void Check(string key, Action act) => Assert.Equal(e.GetProperty(key).GetString(), Record.Exception(act)?.Message);
        Check("arange_zero_step", () => Arange(0, 1, 0));
        Check("arange_bad_sign", () => Arange(0, 5, -1));
        Check("linspace_negative", () => Linspace(0, 1, -1));
        Check("eye_negative", () => Eye(-1));
        Check("ones_negative", () => Ones(2, -1));
        Check("randint_bad", () => RandInt(5, 5, [2]));
        Check("item_many", () => Ones(3).Item<float>());
        Check("int_requires_grad", () => Ones(2, DType.Int64, requiresGrad: true));
        Check("view_bad", () => Ones(6).View(4, -1));
        Check("view_two_infer", () => Ones(6).View(-1, -1));
    }

    [Fact]
    public void Literals_of_every_rank_keep_row_major_order()
    {
        var t2 = Tensor(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal([2, 3], t2.Shape);
        Assert.Equal([1f, 2, 3, 4, 5, 6], t2.ToArray<float>());
        var t3 = Tensor(new double[,,] { { { 1, 2 } }, { { 3, 4 } } });
        Assert.Equal([2, 1, 2], t3.Shape);
        Assert.Equal(DType.Float64, t3.DType);
        var t4 = Tensor(new int[,,,] { { { { 7 } } } });
        Assert.Equal([1, 1, 1, 1], t4.Shape);
        Assert.Equal(DType.Int32, t4.DType);
        var s = Tensor(3.5f);
        Assert.Equal(0, s.Dim);
        Assert.Equal(3.5f, s.Item<float>());
        var fromSpan = Tensor<long>(new long[] { 1, 2, 3, 4, 5, 6 }, [3, 2]);
        Assert.Equal([3, 2], fromSpan.Shape);
        Assert.Equal(4L, fromSpan.ToArray<long>()[3]);
        Assert.Throws<ArgumentException>(() => Tensor<float>(new float[5], [2, 3]));
    }

    [Fact]
    public void Random_factories_are_reproducible_and_in_range()
    {
        ManualSeed(42);
        var a = Rand(1000).ToArray<float>();
        var n = Randn(3, 4).ToArray<float>();
        ManualSeed(42);
        Assert.Equal(a, Rand(1000).ToArray<float>());
        Assert.Equal(n, Randn(3, 4).ToArray<float>());
        Assert.All(a, v => Assert.InRange(v, 0f, 1f));
        Assert.True(a.Max() < 1f);
        var ints = RandInt(-2, 3, [500]).ToArray<long>();
        Assert.All(ints, v => Assert.InRange(v, -2L, 2L));
        Assert.Equal(5, ints.Distinct().Count());
        var normal = Randn([20000], DType.Float64).ToArray<double>();
        Assert.InRange(normal.Average(), -0.05, 0.05);
        Assert.InRange(Math.Sqrt(normal.Select(v => v * v).Average()), 0.95, 1.05);
    }

    [Fact]
    public void Like_factories_copy_shape_and_dtype()
    {
        var t = Ones(2, 3, DType.Float64);
        Assert.Equal([2, 3], ZerosLike(t).Shape);
        Assert.Equal(DType.Float64, OnesLike(t).DType);
        Assert.Equal(DType.Int32, FullLike(t, 4, DType.Int32).DType);
        Assert.Equal([4.0, 4.0], FullLike(Ones(2), 4).ToArray<float>().Select(v => (double)v));
        Assert.Equal(DType.Float64, RandLike(t).DType);
        Assert.Equal(DType.Float64, RandnLike(t).DType);
        Assert.Equal(DType.Float64, EmptyLike(t).DType);
        Assert.True(RandIntLike(Ones(5, DType.Int64), 0, 3).ToArray<long>().All(v => v is >= 0 and < 3));
        Assert.True(OnesLike(t, requiresGrad: true).RequiresGrad);
    }
}
