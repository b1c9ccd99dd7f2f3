using static SharpGrad.Torch;
using F = SharpGrad.Torch.NN.Functional;

namespace SharpGrad.Tour;

/// <summary>Seed 002: "Automatic Differentiation with torch.autograd" from Learn the Basics.</summary>
public static class Seed002Basics
{
    public static IEnumerable<Cell> Cells()
    {
        Tensor x = null!, y = null!, w = null!, b = null!, z = null!, loss = null!;
        yield return new("002-1", "A one-layer network: z = x @ w + b, binary cross-entropy loss", true, o =>
        {
            x = Ones(5);  // input tensor
            y = Zeros(3); // expected output
            w = Randn(5, 3, requiresGrad: true);
            b = Randn(3, requiresGrad: true);
            z = Matmul(x, w) + b;
            loss = F.BinaryCrossEntropyWithLogits(z, y);
        });
        yield return new("002-2", "Gradient functions", true, o =>
        {
            o.WriteLine($"Gradient function for z = {z.GradFn}");
            o.WriteLine($"Gradient function for loss = {loss.GradFn}");
        });
        yield return new("002-3", "Computing gradients", false, o =>
        {
            loss.Backward();
            o.Print(w.Grad);
            o.Print(b.Grad);
        });
        yield return new("002-4", "Disabling gradient tracking", true, o =>
        {
            z = Matmul(x, w) + b;
            o.Print(z.RequiresGrad);
            using (NoGrad())
                z = Matmul(x, w) + b;
            o.Print(z.RequiresGrad);
        });
        yield return new("002-5", "Detach", true, o =>
        {
            z = Matmul(x, w) + b;
            var zDet = z.Detach();
            o.Print(zDet.RequiresGrad);
        });
        yield return new("002-6", "Tensor gradients and Jacobian products", true, o =>
        {
            var inp = Eye(4, 5, requiresGrad: true);
            var output = (inp + 1).Pow(2).T;
            output.Backward(OnesLike(output), retainGraph: true);
            o.WriteLine($"First call\n{inp.Grad}");
            output.Backward(OnesLike(output), retainGraph: true);
            o.WriteLine($"\nSecond call\n{inp.Grad}");
            inp.Grad!.ZeroInPlace();
            output.Backward(OnesLike(output), retainGraph: true);
            o.WriteLine($"\nCall after zeroing gradients\n{inp.Grad}");
        });
        yield return new("002-7", "Picturing the graph (torchviz's make_dot)", false, o =>
        {
            // torchviz: make_dot(loss, params={"w": w, "b": b}).render("graph", format="svg")
            var dot = Torch.Viz.MakeDot(loss, new Dictionary<string, Tensor> { ["w"] = w, ["b"] = b });
            try
            {
                o.WriteLine($"Rendered the graph to {dot.Render("graph.svg")}");
            }
            catch (InvalidOperationException e)
            {
                o.WriteLine(e.Message); // Graphviz is not installed: the message says how to get it
            }
        });
    }
}
