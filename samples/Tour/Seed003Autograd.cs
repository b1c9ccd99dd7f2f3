using static SharpGrad.Torch;

namespace SharpGrad.Tour;

/// <summary>Seed 003: an autograd walkthrough (grad_fn chains, the exercise, turning autograd on and off).</summary>
public static class Seed003Autograd
{
    public static IEnumerable<Cell> Cells()
    {
        Tensor x = null!, y = null!, z = null!, t = null!;
        yield return new("003-1", "requiresGrad: track a tensor for gradients", true, o =>
        {
            x = Linspace(0.0, 6.0, steps: 10, requiresGrad: true);
            y = x + 2;
            x = Randn(4, requiresGrad: true);
            y = x + 2;
        });
        yield return new("003-2", "x is created by the user", false, o => o.Print("x:", x));
        yield return new("003-3", "so it has no GradFn", true, o => o.Print(x.GradFn));
        yield return new("003-4", "y is the result of an operation", false, o => o.Print("y:", y));
        yield return new("003-5", "so it has a GradFn", true, o => o.Print(y.GradFn));
        yield return new("003-6", "More operations on y", false, o =>
        {
            z = y * y * 3;
            o.Print("z:", z);
            o.Print(z.GradFn);
        });
        yield return new("003-7", "t is a 0-dim tensor", false, o =>
        {
            t = z.Sum();
            o.Print("t:", t);
            o.Print(t.GradFn);
        });
        yield return new("003-8", "Backward", true, o => t.Backward());
        yield return new("003-9", "dt/dx", false, o => o.Print("x.grad:\n", x.Grad));
        yield return new("003-10", "Walking the graph with NextFunctions", true, o =>
        {
            o.Print(" t:");
            o.Print(t.GradFn);
            o.Print(t.GradFn!.NextFunctions);
            o.Print(t.GradFn.NextFunctions[0].Function!.NextFunctions);
            o.Print(t.GradFn.NextFunctions[0].Function!.NextFunctions[0].Function!.NextFunctions);
            o.Print(t.GradFn.NextFunctions[0].Function!.NextFunctions[0].Function!.NextFunctions[0].Function!.NextFunctions);
            o.Print("\n z:");
            o.Print(z.GradFn);
            o.Print("\n y:");
            o.Print(y.GradFn);
            o.Print("\n x:");
            o.Print(x.GradFn);
        });
        yield return new("003-11", "Exercise: exp(2 x^2 sin x) over [-2, 2] in 25 steps, with intermediate variables", true, o =>
        {
            var xs = Linspace(-2, 2, steps: 25, requiresGrad: true);
            o.Print(xs);
            var square = xs.Pow(2);
            var sine = xs.Sin();
            var product = square * sine;
            var doubled = 2 * product;
            var f = doubled.Exp();
            f.Backward(OnesLike(f));
            o.Print("x.grad:\n", xs.Grad);
        });
        yield return new("003-12", "Turning autograd off with RequiresGrad = false", true, o =>
        {
            var a = Ones(2, 3, requiresGrad: true);
            o.Print(a);
            var b1 = 2 * a;
            o.Print(b1);
            a.RequiresGrad = false;
            var b2 = 2 * a;
            o.Print(b2);
        });
        yield return new("003-13", "Turning autograd off with NoGrad", true, o =>
        {
            var a = Ones(2, 3, requiresGrad: true) * 2;
            var b = Ones(2, 3, requiresGrad: true) * 3;
            var c1 = a + b;
            o.Print("c1:\n", c1);
            using (NoGrad())
            {
                var c2 = a + b;
                o.Print("c2:\n", c2);
            }
            var c3 = a * b;
            o.Print("c3:\n", c3);
        });
        yield return new("003-14", "NoGrad as a decorator: the delegate form", true, o =>
        {
            static Tensor AddTensors1(Tensor x, Tensor y) => x + y;
            static Tensor AddTensors2(Tensor x, Tensor y) => NoGrad(() => x + y);
            var a = Ones(2, 3, requiresGrad: true) * 2;
            var b = Ones(2, 3, requiresGrad: true) * 3;
            var c1 = AddTensors1(a, b);
            o.Print("c1:\n", c1);
            var c2 = AddTensors2(a, b);
            o.Print("c2:\n", c2);
        });
        yield return new("003-15", "Detach", false, o =>
        {
            var x = Rand(5, requiresGrad: true);
            var y = x.Detach();
            o.Print(x);
            o.Print(y);
        });
        yield return new("003-16", "In-place ops on a leaf that requires grad fail (the seed leaves this commented out)", true, o =>
        {
            var a = Linspace(0.0, 2.0 * Math.PI, steps: 25, requiresGrad: true);
            try
            {
                a.SinInPlace();
            }
            catch (InvalidOperationException e)
            {
                o.Print("RuntimeError:", e.Message);
            }
        });
        yield return new("003-16b", "Autograd profiler: time every op of a loop (timings differ from run to run)", false, o =>
        {
            var x = Randn(2, 3, requiresGrad: true);
            var y = Rand(2, 3, requiresGrad: true);
            var z = Ones(2, 3, requiresGrad: true);
            SharpGrad.Profiling.Profile prf;
            using (prf = Torch.Autograd.Profiler.Profile())
                for (int i = 0; i < 1000; i++)
                    z = (z / x) * y;
            o.Print(prf.KeyAverages().Table(sortBy: "self_cpu_time_total"));
        });
        yield return new("003-17", "Vector-Jacobian product with a stand-in gradient", false, o =>
        {
            var x = Randn(3, requiresGrad: true);
            var y = x * 2;
            while (y.Data.Norm().Item<float>() < 1000) y = y * 2;
            o.Print(y);
            var v = Tensor(new[] { 1.0f, 1.0f, 0.0001f });
            y.Backward(v);
            o.Print(x.Grad);
        });
        yield return new("003-18", "Another example: f = x^2 + sqrt(x)", true, o =>
        {
            double dx = 0.1;
            var x = Arange(1, 1.8, dx, requiresGrad: true);
            var f = x.Pow(2) + Sqrt(x); // the gradient of this is 2*x + 0.5/sqrt(x)
            f.Backward(Ones(f.Shape));
            o.Print(x.Grad);
        });
        static Tensor ExpAdder(Tensor[] xy) => 2 * xy[0].Exp() + 3 * xy[1];
        yield return new("003-19", "The high-level API: the Jacobian of exp_adder at two one-element inputs", false, o =>
        {
            Tensor[] inputs = [Rand(1), Rand(1)];
            o.WriteLine(Repr(inputs));
            o.WriteLine(Pretty(Torch.Autograd.Functional.Jacobian(ExpAdder, inputs)));
        });
        yield return new("003-20", "The same for two three-element vectors", false, o =>
        {
            Tensor[] inputs = [Rand(3), Rand(3)];
            o.WriteLine(Repr(inputs));
            o.WriteLine(Pretty(Torch.Autograd.Functional.Jacobian(ExpAdder, inputs)));
        });
        yield return new("003-21", "Hessian: all second derivatives", false, o =>
        {
            Tensor[] inputs = [Rand(1), Rand(1)];
            o.WriteLine(Repr(inputs));
            o.WriteLine(Pretty(Torch.Autograd.Functional.Hessian(xy => ExpAdder(xy).Sum(), inputs)));
        });
        yield return new("003-22", "The vector-Jacobian product of do_some_doubling", false, o =>
        {
            static Tensor DoSomeDoubling(Tensor x)
            {
                var y = x * 2;
                while (y.Data.Norm().Item<float>() < 1000) y = y * 2;
                return y;
            }
            var inputs = Randn(3);
            var myGradients = Tensor(new[] { 0.1f, 1.0f, 0.0001f });
            o.WriteLine(Pretty(Torch.Autograd.Functional.Vjp(DoSomeDoubling, inputs, v: myGradients)));
        });
    }
}
