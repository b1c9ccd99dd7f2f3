using System.Text.Json;
using SharpGrad.Tests.Support;

namespace SharpGrad.Tests.InPlace;

/// <summary>In-place scenarios through views and the indexer, against PyTorch 1.13 (tests/golden/gen_inplace.py).</summary>
public class InPlaceGoldenTests
{
    private static readonly JsonElement G = Golden.Load("inplace");

    private static Tensor Leaf() => (Torch.Arange(12, dtype: DType.Float64).Reshape(3, 4) / 4 - 1).SetRequiresGrad(true);

    public static TheoryData<string> Scenarios() => new(G.GetProperty("scenarios").EnumerateObject().Select(p => p.Name));

    private static (Tensor Result, Dictionary<string, string> Extra) Build(string name, Tensor x)
    {
        var extra = new Dictionary<string, string>();
        switch (name)
        {
            case "setitem_slice":
            {
                var y = x * 1;
                y[1.., ..2] = x[..2, ..2] * 3;
                return (y, extra);
            }
            case "setitem_scalar_index":
            {
                var z = Torch.Zeros(3, DType.Float64);
                z[1] = x[0, 0] * x[1, 1];
                return (z, extra);
            }
            case "write_base_read_view":
            {
                var y = x * 2;
                var v = y[0];
                y.MulInPlace(3);
                extra["view_grad_fn"] = v.GradFn!.Name;
                return (v, extra);
            }
            case "chain_of_in_place":
            {
                var y = x.Sin();
                y.ClampInPlace(-0.5, 0.5);
                y.MulInPlace(x);
                y.AddInPlace(1);
                y.PowInPlace(2);
                return (y, extra);
            }
            case "column_write_sibling":
            {
                var y = x * 1;
                var row = y[0];
                y[.., 1] = x[.., 0].Exp();
                extra["row_grad_fn"] = row.GradFn!.Name;
                return (row * y[2], extra);
            }
            case "fill_and_zero_views":
            {
                var y = x * 1;
                y[0].FillInPlace(2);
                y[.., 3].ZeroInPlace();
                return (y * x, extra);
            }
            default:
                throw new ArgumentException($"no C# port of scenario {name}");
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_matches_PyTorch(string name)
    {
        var expected = G.GetProperty("scenarios").GetProperty(name);
        var x = Leaf();
        var (y, extra) = Build(name, x);
        Assert.Equal(expected.GetProperty("grad_fn").GetString(), y.GradFn!.Name);
        Assert.Equal(Golden.Ints(expected.GetProperty("shape")), y.Shape);
        AssertClose(Golden.Doubles(expected.GetProperty("values")), y.ToArray<double>());
        var w = (Torch.Arange(y.Numel, dtype: DType.Float64) + 1).Reshape(y.Shape);
        (y * w).Sum().Backward();
        AssertClose(Golden.Doubles(expected.GetProperty("grad")), x.Grad!.ToArray<double>());
        foreach (var (key, value) in extra)
            Assert.Equal(expected.GetProperty(key).GetString(), value);
    }

    private static void AssertClose(double[] want, double[] got)
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++)
            Assert.True(Math.Abs(want[i] - got[i]) <= 1e-12 * Math.Max(1, Math.Abs(want[i])), $"element {i}: PyTorch {want[i]}, SharpGrad {got[i]}");
    }

    [Fact]
    public void Errors_match_PyTorch_and_leave_tensors_unchanged()
    {
        var e = G.GetProperty("errors");
        void Check(string key, Action act) => Assert.Equal(e.GetProperty(key).GetString(), Record.Exception(act)?.Message);
        var x = Leaf();
        var y = x * 1;
        var before = y.ToArray<double>();
        Check("leaf", () => x.AddInPlace(1));
        Check("view_of_leaf", () => x[0].MulInPlace(2));
        Check("setitem_leaf", () => x[0] = Torch.Ones(4, DType.Float64));
        Check("shape", () => y.AddInPlace(Torch.Ones(2, 3, 4, DType.Float64)));
        Check("copy_shape", () => y.CopyInPlace(Torch.Ones(5)));
        Check("int_from_float", () => Torch.Ones(3, DType.Int64).MulInPlace(0.5));
        Check("int_sin", () => Torch.Ones(3, DType.Int64).SinInPlace());
        Assert.Equal(before, y.ToArray<double>());
        Assert.Equal(0, y.VersionNumber);

        var a = x.Sigmoid();
        a.MulInPlace(2);
        Check("saved_output", () => a.Sum().Backward());
        var w = Torch.Ones(3, 4, DType.Float64);
        var z = x * w;
        w.AddInPlace(1);
        Check("saved_input", () => z.Sum().Backward());
    }
}
