using SharpGrad.Tests.Support;
using static SharpGrad.Tests.Autograd.AutogradTestUtil;

namespace SharpGrad.Tests.Autograd;

/// <summary>
/// Note [Version counter]: a saved tensor written in place (through any alias sharing its
/// counter) refuses to unpack with PyTorch's message; writes through <c>.Data</c> are not seen.
/// In-place writes are simulated with the internal unchecked add through <c>Detach()</c>, which
/// shares the counter, as <c>x.detach().add_(1)</c> does in the fixture.
/// </summary>
public class SavedTensorTests
{
    private static readonly System.Text.Json.JsonElement s_saved = Fixture.GetProperty("saved");

    private static void Bump(Tensor t) => t.Detach().AddInPlaceUnchecked(Torch.OnesLike(t));

    [Fact]
    public void A_modified_saved_output_names_its_producer()
    {
        var x = Torch.Tensor(new[] { 1f, 2f, 3f }, requiresGrad: true);
        var y = x.Exp();
        Bump(y);
        Assert.Equal(s_saved.GetProperty("modified_output").GetString(),
            Message<InvalidOperationException>(() => y.Sum().Backward()));
    }

    [Fact]
    public void A_modified_saved_leaf_reports_its_shape_and_version()
    {
        var x = Torch.Tensor(new[,] { { 1f, 2f, 3f }, { 4f, 5f, 6f } }, requiresGrad: true);
        var w = Torch.Ones(2, 3, DType.Float64, requiresGrad: true);
        var z = x * w;
        Bump(x);
        Bump(x);
        Assert.Equal(s_saved.GetProperty("modified_leaf_twice").GetString(),
            Message<InvalidOperationException>(() => z.Sum().Backward()));
    }

    [Fact]
    public void A_modified_constant_operand_is_caught_too()
    {
        var c = Torch.Tensor(new[] { 1.0, 2.0, 3.0 });
        var x = Torch.Tensor(new[] { 1f, 2f, 3f }, requiresGrad: true);
        var z = x * c;
        Bump(c);
        Assert.Equal(s_saved.GetProperty("modified_constant").GetString(),
            Message<InvalidOperationException>(() => z.Sum().Backward()));
    }

    [Fact]
    public void A_write_through_Data_is_invisible_to_the_check_and_changes_the_gradient()
    {
        var x = Torch.Tensor(new[] { 1f, 2f, 3f }, requiresGrad: true);
        var y = x.Exp();
        y.Data.AddInPlaceUnchecked(Torch.OnesLike(y));
        y.Sum().Backward();
        Close(Golden.Doubles(s_saved.GetProperty("data_write_uses_new_values")), x.Grad!);
    }
}
