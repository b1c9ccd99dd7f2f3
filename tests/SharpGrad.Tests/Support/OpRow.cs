namespace SharpGrad.Tests.Support;

/// <summary>
/// One row of the op table: a differentiable op applied to float64 inputs of the given shapes.
/// Constant (integer, bool) operands are captured by <see cref="Fn"/> itself.
/// </summary>
/// <param name="Name">PyTorch's name of the op, for test output.</param>
/// <param name="Fn">The op, applied to the inputs.</param>
/// <param name="Shapes">The logical shape of each input.</param>
/// <param name="Lo">Lower end of the input domain.</param>
/// <param name="Hi">Upper end of the input domain.</param>
/// <param name="Layouts">Layouts to check; all by default.</param>
/// <param name="SecondOrder">
/// False only where PyTorch's own second derivative is undefined at the sampled points (say why at the row).
/// </param>
public sealed record OpRow(string Name, Func<Tensor[], Tensor> Fn, int[][] Shapes, double Lo = -2, double Hi = 2,
    Layouts.Layout[]? Layouts = null, bool SecondOrder = true)
{
    public override string ToString() => Name;
}

