using static SharpGrad.Tests.Autograd.AutogradTestUtil;

namespace SharpGrad.Tests.Autograd;

/// <summary>
/// The warning sink and the "once" flags are process-wide, so these tests run alone, never in
/// parallel with tests that could trigger a warning.
/// </summary>
[CollectionDefinition(nameof(WarningTests), DisableParallelization = true)]
public class WarningCollection;

/// <summary>PyTorch's user warnings through <see cref="Torch.WarningSink"/>, each once per process.</summary>
[Collection(nameof(WarningTests))]
public class WarningTests
{
    private static string Expected(string name)
    {
        var w = Fixture.GetProperty("warnings").GetProperty(name);
        return $"{w.GetProperty("category").GetString()}: {w.GetProperty("text").GetString()}";
    }

    /// <summary>Runs <paramref name="body"/> with a capturing sink and fresh "once" flags, then restores both.</summary>
    private static List<string> Capture(Action body)
    {
        var captured = new List<string>();
        var previous = Torch.WarningSink;
        Warnings.Reset();
        try
        {
            Torch.WarningSink = captured.Add;
            body();
        }
        finally
        {
            Torch.WarningSink = previous;
            Warnings.Reset();
        }
        return captured;
    }

    [Fact]
    public void Reading_Grad_of_a_non_leaf_returns_null_and_warns_once()
    {
        var captured = Capture(() =>
        {
            var x = Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true);
            var y = x * 2;
            Assert.Null(y.Grad);
            Assert.Null(y.Grad);
            Assert.Null((x + 1).Grad);
        });
        Assert.Equal([Expected("non_leaf_grad")], captured);
    }

    [Fact]
    public void Reading_Grad_of_leaves_retained_or_assigned_non_leaves_does_not_warn()
    {
        var captured = Capture(() =>
        {
            var x = Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true);
            Assert.Null(x.Grad);
            Assert.Null(Torch.Ones(2).Grad);
            var y = x * 2;
            y.RetainGrad();
            Assert.Null(y.Grad);
            var z = x * 3;
            z.Grad = Torch.Ones(2);
            Assert.NotNull(z.Grad);
        });
        Assert.Empty(captured);
    }

    [Fact]
    public void Backward_with_createGraph_warns_once_and_autograd_Grad_does_not()
    {
        var captured = Capture(() =>
        {
            var x = Torch.Tensor(new[] { 1f, 2f }, requiresGrad: true);
            Torch.Autograd.Grad((x * x).Sum(), [x], createGraph: true);
            (x * x).Sum().Backward(createGraph: true);
            (x * x).Sum().Backward(createGraph: true);
        });
        Assert.Equal([Expected("backward_create_graph")], captured);
    }

    [Fact]
    public void The_sink_is_restored_after_capturing()
    {
        var before = Torch.WarningSink;
        Capture(() => { });
        Assert.Same(before, Torch.WarningSink);
    }
}
