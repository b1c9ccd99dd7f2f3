using static SharpGrad.Tests.AutogradFunctional.FunctionalFixture;
using A = SharpGrad.Torch.Autograd;

namespace SharpGrad.Tests.AutogradFunctional;

/// <summary>
/// <c>Torch.Autograd.GradCheck</c> / <c>GradGradCheck</c> against gradcheck.py of PyTorch 1.13: the
/// result, the exception type and its text (both Jacobians printed), and the float32 warning.
/// </summary>
[Collection("WarningTests")] // swaps the process-wide warning sink: run alone
public class GradCheckGoldenTests
{
    private static Tensor X() => Torch.Tensor(new[] { 1.0, 2.0, 3.0 }, requiresGrad: true);
    private static Tensor Y() => Torch.Tensor(new[] { 0.5, -1.5, 2.5 }, requiresGrad: true);
    private static Tensor M() => Torch.Tensor(new[,] { { 0.5, -1.0 }, { 2.0, 1.5 } }, requiresGrad: true);
    private static Tensor XF() => Torch.Tensor(new[] { 1f, 2f, 3f }, requiresGrad: true);
    private static Tensor G(params double[] values) => Torch.Tensor(values, requiresGrad: true);

    // The C# twin of every gradcheck_cases() call in gen_functional_api.py.
    private static readonly Dictionary<string, Func<bool>> s_cases = new()
    {
        ["cubic"] = () => A.GradCheck(x => x * x * x, X()),
        ["wrong"] = () => A.GradCheck(x => x * x.Detach(), X()),
        ["wrong_no_raise"] = () => A.GradCheck(x => x * x.Detach(), X(), raiseException: false),
        ["wrong_matrix"] = () => A.GradCheck(m => m.Mm(m.Detach()), M()),
        ["two_inputs"] = () => A.GradCheck(xs => (xs[0] * xs[1]).Exp(), [X(), Y()]),
        ["tuple_outputs"] = () => A.GradCheck(xs => [xs[0] * xs[1], xs[0] + xs[1] * xs[1]], [X(), Y()]),
        ["tuple_outputs_wrong"] = () => A.GradCheck(xs => [xs[0] * xs[1], xs[0] + xs[1] * xs[1].Detach()], [X(), Y()]),
        ["float32_pass_no_raise"] = () => A.GradCheck(x => x * 2, XF(), raiseException: false),
        ["float32_wrong"] = () => A.GradCheck(x => x * x, XF()),
        ["no_requires_grad"] = () => A.GradCheck(x => x * 2, X().Detach()),
        ["stride_zero"] = () => A.GradCheck(x => x * 2, Torch.Ones(1, DType.Float64).Expand(3).SetRequiresGrad(true)),
        ["no_differentiable_output"] = () => A.GradCheck(x => (x * 2).Detach(), X()),
        ["constant_output"] = () => A.GradCheck(x => (x + 0.3).Round().Detach(), X()),
        ["shape_changes"] = () => A.GradCheck(x => x.Select(0, 0).Item<double>() > 1.0 ? x * 2 : x.Slice(0, 0, 2) * 2, X()),
        ["loose_tolerance"] = () => A.GradCheck(x => x * x.Detach(), X(), atol: 10.0),
        ["gradgrad_cubic"] = () => A.GradGradCheck(x => x * x * x, X(), G(1.0, -1.0, 0.5)),
        ["gradgrad_cubic_random"] = () => A.GradGradCheck(x => x * x * x, X()),
        ["gradgrad_wrong"] = () => A.GradGradCheck(x => x * x * x.Detach(), X(), G(1, 1, 1)),
        ["gradgrad_wrong_no_raise"] = () => A.GradGradCheck(x => x * x * x.Detach(), X(), G(1, 1, 1), raiseException: false),
        ["gradgrad_two_inputs"] = () => A.GradGradCheck(xs => (xs[0] * xs[1]).Exp() * xs[0], [X(), Y()], G(0.5, 1.0, -1.0)),
    };

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Root.GetProperty("gradcheck").EnumerateObject()) data.Add(c.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradCheck_matches_PyTorch(string name)
    {
        var expected = Root.GetProperty("gradcheck").GetProperty(name);
        var warnings = new List<string>();
        var sink = Torch.WarningSink;
        Torch.WarningSink = warnings.Add;
        try
        {
            if (expected.TryGetProperty("error", out var error))
            {
                var e = Assert.ThrowsAny<Exception>(() => s_cases[name]());
                Assert.IsType(ExceptionType(error.GetProperty("type").GetString()!), e);
                Assert.Equal(error.GetProperty("message").GetString(), e.Message);
            }
            else Assert.Equal(expected.GetProperty("result").GetBoolean(), s_cases[name]());
        }
        finally
        {
            Torch.WarningSink = sink;
        }
        // PyTorch warns once per distinct message and process: SharpGrad may already have warned.
        foreach (var w in warnings)
            Assert.Contains(w, expected.GetProperty("warnings").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Float32_input_warns_with_PyTorchs_text()
    {
        var text = Root.GetProperty("gradcheck").GetProperty("float32_wrong").GetProperty("warnings")[0].GetString();
        Assert.StartsWith("UserWarning: Input #0 requires gradient and is not a double precision", text);
        var warnings = new List<string>();
        var sink = Torch.WarningSink;
        Torch.WarningSink = warnings.Add;
        try
        {
            // Input #1 is float32 here, a message no other test produces, so the warning is fresh.
            A.GradCheck(xs => xs[0] * xs[1], [X(), XF()], raiseException: false);
        }
        finally
        {
            Torch.WarningSink = sink;
        }
        Assert.Equal([text!.Replace("Input #0", "Input #1")], warnings);
    }

    [Fact]
    public void GradCheck_does_not_bump_the_input_version_or_touch_its_grad()
    {
        var x = X();
        int version = x.VersionNumber;
        Assert.True(A.GradCheck(t => t.Exp() * t, x));
        Assert.Equal(version, x.VersionNumber);
        Assert.Null(x.Grad);
        Assert.Equal([1.0, 2.0, 3.0], x.ToArray<double>());
    }
}
