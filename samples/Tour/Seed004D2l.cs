using static SharpGrad.Torch;

namespace SharpGrad.Tour;

/// <summary>Seed 004: automatic differentiation as in Dive into Deep Learning.</summary>
public static class Seed004D2l
{
    public static IEnumerable<Cell> Cells()
    {
        Tensor x = null!, y = null!;
        yield return new("004-1", "Create a variable and attach a gradient", true, o =>
        {
            x = Arange(4, dtype: DType.Float32).Reshape(4, 1).SetRequiresGrad(true);
            o.Print(x);
        });
        yield return new("004-2", "y = 2 x^T x, inside EnableGrad", true, o =>
        {
            using (EnableGrad())
                y = 2 * Matmul(x.T, x);
            o.Print(y);
        });
        yield return new("004-3", "Backward", true, o => y.Backward());
        yield return new("004-4", "The gradient is 4x", true, o =>
        {
            o.Print((x.Grad! - 4 * x).Norm().Item<float>() == 0);
            o.Print(x.Grad);
        });
        Tensor a = null!, d = null!;
        yield return new("004-5", "Gradients through C# control flow", true, o =>
        {
            static Tensor F(Tensor a)
            {
                var b = a * 2;
                while (b.Norm().Item<float>() < 1000) b = b * 2;
                return b.Sum().Item<float>() > 0 ? b : 100 * b;
            }
            a = Randn([1]);
            a.RequiresGrad = true;
            using (EnableGrad())
                d = F(a);
            d.Backward();
        });
        yield return new("004-6", "Verify: f is piecewise linear, so grad = d / a", false, o => o.Print(a.Grad!.Eq(d / a)));
    }
}
