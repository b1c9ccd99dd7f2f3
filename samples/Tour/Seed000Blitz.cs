using static SharpGrad.Torch;

namespace SharpGrad.Tour;

/// <summary>Seed 000 (and 001, its translation): "Autograd: Automatic Differentiation" from the 60-minute blitz.</summary>
public static class Seed000Blitz
{
    public static IEnumerable<Cell> Cells()
    {
        Tensor x = null!, y = null!, z = null!, output = null!;
        yield return new("000-1", "Create a tensor and set requiresGrad: true to track computation with it", true, o =>
        {
            x = Ones(2, 2, requiresGrad: true);
            o.Print(x);
        });
        yield return new("000-2", "Do a tensor operation", true, o =>
        {
            y = x + 2;
            o.Print(y);
        });
        yield return new("000-3", "y was created as a result of an operation, so it has a GradFn", true, o => o.Print(y.GradFn));
        yield return new("000-4", "Do more operations on y", true, o =>
        {
            z = y * y * 3;
            output = z.Mean();
            o.Print(z, output);
        });
        yield return new("000-5", "SetRequiresGrad changes an existing tensor's flag in place", true, o =>
        {
            var a = Randn(2, 2);
            a = a * 3 / (a - 1);
            o.Print(a.RequiresGrad);
            a.SetRequiresGrad(true);
            o.Print(a.RequiresGrad);
            var b = (a * a).Sum();
            o.Print(b.GradFn);
        });
        yield return new("000-6", "Backprop: out.Backward(), then d(out)/dx", true, o =>
        {
            output.Backward();
            o.Print(x.Grad);
        });
        yield return new("000-7", "A vector-Jacobian product: y is not a scalar", false, o =>
        {
            x = Randn(3, requiresGrad: true);
            y = x * 2;
            while (y.Data.Norm().Item<float>() < 1000) y = y * 2;
            o.Print(y);
        });
        yield return new("000-8", "Pass the vector to Backward", false, o =>
        {
            var v = Tensor(new[] { 0.1f, 1.0f, 0.0001f }, dtype: DType.Float32);
            y.Backward(v);
            o.Print(x.Grad);
        });
        yield return new("000-9", "Stop tracking history with NoGrad", true, o =>
        {
            o.Print(x.RequiresGrad);
            o.Print(x.Pow(2).RequiresGrad);
            using (NoGrad())
                o.Print(x.Pow(2).RequiresGrad);
        });
    }
}
