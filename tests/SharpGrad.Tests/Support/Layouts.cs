namespace SharpGrad.Tests.Support;

/// <summary>
/// Leaf inputs of a given logical shape in different memory layouts, for gradchecking every op on
/// contiguous, transposed, sliced, broadcast and expanded inputs.
/// </summary>
public static class Layouts
{
    public enum Layout { Contiguous, Transposed, Sliced, Broadcast, Expanded }

    public static readonly Layout[] All = Enum.GetValues<Layout>();

    /// <summary>A float64 leaf with values uniform in [lo, hi), laid out as <paramref name="layout"/> describes.</summary>
    /// <remarks>
    /// Transposed: the last two dims are swapped in memory. Sliced: every other element of a buffer
    /// twice as long, at an offset. Broadcast and Expanded are built by the caller (see <see cref="Prepare"/>).
    /// </remarks>
    public static Tensor Leaf(int[] shape, Layout layout, double lo, double hi, Random rng)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        switch (layout)
        {
            case Layout.Transposed when shape.Length >= 2:
            {
                var memShape = (int[])shape.Clone();
                (memShape[^1], memShape[^2]) = (memShape[^2], memShape[^1]);
                var strides = Contiguous(memShape);
                (strides[^1], strides[^2]) = (strides[^2], strides[^1]);
                return Make(new double[n], 0, shape, strides, lo, hi, rng);
            }
            case Layout.Sliced or Layout.Transposed:
            {
                var strides = Contiguous(shape).Select(s => s * 2).ToArray();
                return Make(new double[2 * n + 3], 3, shape, strides, lo, hi, rng);
            }
            default:
                return Make(new double[n], 0, shape, Contiguous(shape), lo, hi, rng);
        }
    }

    /// <summary>
    /// Builds inputs and a wrapped function for a layout. Broadcast drops the leading dim of every
    /// input but the first (rank >= 2) so ops broadcast them; Expanded makes each input a size-1
    /// leading dim leaf that the function expands before use.
    /// </summary>
    public static (Tensor[] Inputs, Func<Tensor[], Tensor> Fn) Prepare(
        Func<Tensor[], Tensor> fn, int[][] shapes, Layout layout, double lo, double hi, int seed)
    {
        var rng = new Random(seed);
        var inputs = new Tensor[shapes.Length];
        for (int k = 0; k < shapes.Length; k++)
        {
            var shape = shapes[k];
            if (layout == Layout.Broadcast && k > 0 && shape.Length >= 2 && shapes.Length > 1) shape = shape[1..];
            if (layout == Layout.Expanded && shape.Length >= 1) shape = [1, .. shape[1..]];
            var leaf = Leaf(shape, layout, lo, hi, rng);
            leaf.RequiresGrad = true;
            inputs[k] = leaf;
        }
        if (layout != Layout.Expanded) return (inputs, fn);
        return (inputs, xs => fn(xs.Select((x, k) => shapes[k].Length >= 1 ? x.Expand(shapes[k]) : x).ToArray()));
    }

    private static int[] Contiguous(int[] shape)
    {
        var strides = new int[shape.Length];
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { strides[i] = acc; acc *= shape[i]; }
        return strides;
    }

    private static Tensor Make(double[] buffer, int offset, int[] shape, int[] strides, double lo, double hi, Random rng)
    {
        for (int i = 0; i < buffer.Length; i++) buffer[i] = lo + (hi - lo) * rng.NextDouble();
        return new Tensor(new Storage(buffer, DType.Float64), offset, shape, strides);
    }
}
