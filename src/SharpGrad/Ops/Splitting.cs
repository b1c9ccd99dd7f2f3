using SharpGrad.Autograd;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// True for the views returned by split, chunk and unbind (PyTorch's CreationMeta::MULTI_OUTPUT_NODE):
    /// PyTorch forbids in-place writes to them while they are part of a graph, because one node
    /// produced several aliasing outputs and cannot be rebased for one of them.
    /// </summary>
    internal bool IsMultiOutputView;

    /// <summary>
    /// Views of consecutive pieces of <paramref name="splitSize"/> along <paramref name="dim"/> (the
    /// last may be smaller), <c>tensor.split(split_size, dim)</c>.
    /// </summary>
    public Tensor[] Split(int splitSize, int dim = 0)
    {
        using var scope = Profiler.Op("aten::split", this);
        if (Dim == 0) throw new InvalidOperationException("split expects at least a 1-dimensional tensor");
        if (splitSize < 0)
            throw new InvalidOperationException($"split expects split_size be non-negative, but got split_size={splitSize}");
        int d = ShapeUtil.WrapDim(dim, Dim);
        int size = Sizes[d];
        if (splitSize == 0 && size != 0)
            throw new InvalidOperationException($"split_size can only be 0 if dimension size is 0, but got dimension size of {size}");
        int count = splitSize == 0 ? 1 : Math.Max((size + splitSize - 1) / splitSize, 1);
        var lengths = new int[count];
        Array.Fill(lengths, splitSize);
        lengths[^1] = splitSize - (splitSize * count - size);
        return SplitViews(d, lengths, () => new SplitBackward0(d));
    }

    /// <summary>
    /// Views of consecutive pieces with the given sizes along <paramref name="dim"/>, which must sum to
    /// its size, <c>tensor.split(split_sizes, dim)</c> (PyTorch's <c>split_with_sizes</c>).
    /// </summary>
    public Tensor[] Split(int[] splitSizes, int dim = 0)
    {
        using var scope = Profiler.Op("aten::split_with_sizes", this);
        if (Dim == 0) throw new InvalidOperationException("split expects at least a 1-dimensional tensor");
        int d = ShapeUtil.WrapDim(dim, Dim);
        int total = 0;
        foreach (int s in splitSizes)
        {
            if (s < 0)
                throw new InvalidOperationException(
                    $"split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes={ShapeUtil.Format(splitSizes)}");
            total += s;
        }
        if (total != Sizes[d])
            throw new InvalidOperationException(
                $"split_with_sizes expects split_sizes to sum exactly to {Sizes[d]} (input tensor's size at dimension {d}), but got split_sizes={ShapeUtil.Format(splitSizes)}");
        return SplitViews(d, (int[])splitSizes.Clone(), () => new SplitWithSizesBackward0(d));
    }

    /// <summary>
    /// <paramref name="chunks"/> (or fewer) views of equal size (the last may be smaller) along
    /// <paramref name="dim"/>, <c>tensor.chunk(chunks, dim)</c>.
    /// </summary>
    public Tensor[] Chunk(int chunks, int dim = 0)
    {
        using var scope = Profiler.Op("aten::chunk", this);
        if (Dim == 0) throw new InvalidOperationException("chunk expects at least a 1-dimensional tensor");
        if (chunks <= 0) throw new InvalidOperationException($"chunk expects `chunks` to be greater than 0, got: {chunks}");
        int d = ShapeUtil.WrapDim(dim, Dim);
        int size = Sizes[d];
        int splitSize = (size + chunks - 1) / chunks;
        // An empty dim still gives `chunks` empty pieces, as PyTorch does through split_with_sizes.
        return splitSize == 0 && size == 0 ? Split(new int[chunks], d) : Split(splitSize, d);
    }

    /// <summary>The views <c>this.select(dim, i)</c> for every i, <c>tensor.unbind(dim)</c>.</summary>
    public Tensor[] Unbind(int dim = 0)
    {
        using var scope = Profiler.Op("aten::unbind", this);
        int d = ShapeUtil.WrapDim(dim, Dim);
        if (Dim == 0) throw new IndexOutOfRangeException($"Dimension specified as {d} but tensor has no dimensions");
        int[] sizes = [.. Sizes[..d], .. Sizes[(d + 1)..]];
        int[] strides = [.. Strides[..d], .. Strides[(d + 1)..]];
        var outputs = new Tensor[Sizes[d]];
        for (int i = 0; i < outputs.Length; i++)
            outputs[i] = MakeView(Offset + i * Strides[d], sizes, strides);
        foreach (var o in outputs) o.IsMultiOutputView = true;
        if (outputs.Length > 0 && Graph.NeedsGrad(this)) Graph.RecordMany(new UnbindBackward0(d), outputs, this);
        return outputs;
    }

    /// <summary>Narrow views of consecutive pieces along <paramref name="dim"/>, recorded as one multi-output node.</summary>
    private Tensor[] SplitViews(int dim, int[] lengths, Func<Node> node)
    {
        var outputs = new Tensor[lengths.Length];
        int start = 0;
        for (int i = 0; i < lengths.Length; i++)
        {
            var sizes = (int[])Sizes.Clone();
            sizes[dim] = lengths[i];
            outputs[i] = MakeView(Offset + start * Strides[dim], sizes, Strides);
            outputs[i].IsMultiOutputView = true;
            start += lengths[i];
        }
        if (outputs.Length > 0 && Graph.NeedsGrad(this)) Graph.RecordMany(node(), outputs, this);
        return outputs;
    }
}

public static partial class Torch
{
    /// <summary>Pieces of <paramref name="splitSize"/> along <paramref name="dim"/>, <c>torch.split</c>.</summary>
    public static Tensor[] Split(Tensor input, int splitSize, int dim = 0) => input.Split(splitSize, dim);

    /// <summary>Pieces of the given sizes along <paramref name="dim"/>, <c>torch.split</c> with a list.</summary>
    public static Tensor[] Split(Tensor input, int[] splitSizes, int dim = 0) => input.Split(splitSizes, dim);

    /// <summary><paramref name="chunks"/> (or fewer) equal pieces along <paramref name="dim"/>, <c>torch.chunk</c>.</summary>
    public static Tensor[] Chunk(Tensor input, int chunks, int dim = 0) => input.Chunk(chunks, dim);

    /// <summary>Every slice along <paramref name="dim"/>, <c>torch.unbind</c>.</summary>
    public static Tensor[] Unbind(Tensor input, int dim = 0) => input.Unbind(dim);
}

internal sealed class SplitBackward0(int dim) : Node
{
    public override string Name => "SplitBackward0";

    // self: cat(grads, dim); outputs no gradient reached arrive as zeros (the engine materialises them)
    protected internal override Tensor?[] Apply(Tensor?[] gradOutputs) => [Torch.Cat(gradOutputs!, dim)];
    internal override Tensor?[] JvpMany(Tensor?[] t) => t[0]!.Split(Array.ConvertAll(InputMeta, m => m.Sizes[dim]), dim);
}

internal sealed class SplitWithSizesBackward0(int dim) : Node
{
    public override string Name => "SplitWithSizesBackward0";
    protected internal override Tensor?[] Apply(Tensor?[] gradOutputs) => [Torch.Cat(gradOutputs!, dim)];
    internal override Tensor?[] JvpMany(Tensor?[] t) => t[0]!.Split(Array.ConvertAll(InputMeta, m => m.Sizes[dim]), dim);
}

internal sealed class UnbindBackward0(int dim) : Node
{
    public override string Name => "UnbindBackward0";

    // self: stack(grads, dim)
    protected internal override Tensor?[] Apply(Tensor?[] gradOutputs) => [Torch.Stack(gradOutputs!, dim)];
    internal override Tensor?[] JvpMany(Tensor?[] t) => t[0]!.Unbind(dim);
}
