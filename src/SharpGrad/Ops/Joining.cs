using SharpGrad.Autograd;
using SharpGrad.Kernels;
using T = SharpGrad.Tensor;

namespace SharpGrad;

public static partial class Torch
{
    /// <summary>
    /// The tensors joined along <paramref name="dim"/>, <c>torch.cat(tensors, dim)</c>: all sizes but
    /// <paramref name="dim"/> must match; the result has the promoted dtype of all inputs.
    /// </summary>
    /// <remarks>
    /// Note [Legacy cat]: as in PyTorch, 1-D tensors with no elements are skipped (they take part in
    /// type promotion only), so <c>Cat([Empty(0), x], 1)</c> works for any x.
    /// </remarks>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        using var scope = Profiler.Op("aten::cat", null, tensors);
        if (tensors.Count == 0) throw new InvalidOperationException("torch.cat(): expected a non-empty list of Tensors");
        for (int i = 0; i < tensors.Count; i++)
            if (tensors[i].Dim == 0)
                throw new InvalidOperationException($"zero-dimensional tensor (at position {i}) cannot be concatenated");
        var dtype = tensors[0].DType;
        int first = -1;
        for (int i = 0; i < tensors.Count; i++)
        {
            dtype = DTypeInfo.Promote(dtype, tensors[i].DType);
            if (first < 0 && !IsSkippedInCat(tensors[i])) first = i;
        }
        if (first < 0)
            return RecordCat(T.Allocate(dtype, [0]), tensors, 0, new int[tensors.Count]);

        var reference = tensors[first];
        int d = ShapeUtil.WrapDim(dim, reference.Dim);
        int total = 0;
        var lengths = new int[tensors.Count];
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            if (IsSkippedInCat(t)) continue;
            if (t.Dim != reference.Dim)
                throw new InvalidOperationException($"Tensors must have same number of dimensions: got {reference.Dim} and {t.Dim}");
            for (int k = 0; k < t.Dim; k++)
                if (k != d && t.Sizes[k] != reference.Sizes[k])
                    throw new InvalidOperationException(
                        $"Sizes of tensors must match except in dimension {d}. Expected size {reference.Sizes[k]} but got size {t.Sizes[k]} for tensor number {i} in the list.");
            lengths[i] = t.Sizes[d];
            total += lengths[i];
        }
        var sizes = (int[])reference.Sizes.Clone();
        sizes[d] = total;
        var result = T.Allocate(dtype, sizes);
        int offset = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            if (IsSkippedInCat(tensors[i])) continue;
            var part = (int[])sizes.Clone();
            part[d] = lengths[i];
            Elementwise.Copy(tensors[i], new T(result.Storage, offset * result.Strides[d], part, result.Strides));
            offset += lengths[i];
        }
        return RecordCat(result, tensors, d, lengths);
    }

    /// <summary>Same as <see cref="Cat"/>, <c>torch.concat</c>.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        using var scope = Profiler.Op("aten::concat", null, tensors);
        return Cat(tensors, dim);
    }

    /// <summary>
    /// The tensors joined along a new dim <paramref name="dim"/>, <c>torch.stack(tensors, dim)</c>:
    /// <c>out.select(dim, i) == tensors[i]</c>; all shapes must be equal.
    /// </summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        using var scope = Profiler.Op("aten::stack", null, tensors);
        if (tensors.Count == 0) throw new InvalidOperationException("stack expects a non-empty TensorList");
        var shape = tensors[0].Sizes;
        int d = ShapeUtil.WrapDim(dim, shape.Length + 1);
        var dtype = tensors[0].DType;
        for (int i = 1; i < tensors.Count; i++)
        {
            if (!ShapeUtil.SameShape(tensors[i].Sizes, shape))
                throw new InvalidOperationException(
                    $"stack expects each tensor to be equal size, but got {ShapeUtil.Format(shape)} at entry 0 and {ShapeUtil.Format(tensors[i].Sizes)} at entry {i}");
            dtype = DTypeInfo.Promote(dtype, tensors[i].DType);
        }
        int[] sizes = [.. shape[..d], tensors.Count, .. shape[d..]];
        var result = T.Allocate(dtype, sizes);
        int[] partStrides = [.. result.Strides[..d], .. result.Strides[(d + 1)..]];
        for (int i = 0; i < tensors.Count; i++)
            Elementwise.Copy(tensors[i], new T(result.Storage, i * result.Strides[d], shape, partStrides));
        var inputs = tensors.ToArray();
        if (Graph.NeedsGrad(inputs)) Graph.Record(new StackBackward0(d), result, inputs);
        return result;
    }

    private static bool IsSkippedInCat(Tensor t) => t.Dim == 1 && t.Sizes[0] == 0;

    private static Tensor RecordCat(Tensor result, IReadOnlyList<Tensor> tensors, int dim, int[] lengths)
    {
        var inputs = tensors.ToArray();
        if (Graph.NeedsGrad(inputs))
        {
            var skipped = Array.ConvertAll(inputs, IsSkippedInCat);
            Graph.Record(new CatBackward0(dim, lengths, skipped), result, inputs);
        }
        return result;
    }
}

internal sealed class CatBackward0(int dim, int[] lengths, bool[] skipped) : SingleOutputNode
{
    public override string Name => "CatBackward0";

    // tensors[i]: grad.narrow(dim, offset_i, size_i); skipped legacy empty tensors get an empty gradient
    protected override Tensor?[] Backward(Tensor grad)
    {
        var grads = new Tensor?[lengths.Length];
        int offset = 0;
        for (int i = 0; i < lengths.Length; i++)
        {
            if (NextEdges[i].IsValid)
                grads[i] = skipped[i] ? Torch.Zeros([0], grad.DType) : grad.Narrow(dim, offset, lengths[i]);
            offset += lengths[i];
        }
        return grads;
    }

    // cat(tangents, dim), zeros for inputs without one
    internal override Tensor? Jvp(Tensor?[] t)
    {
        var parts = new Tensor[t.Length];
        for (int i = 0; i < t.Length; i++)
        {
            if (t[i] is { } u) { parts[i] = u; continue; }
            var sizes = (int[])OutputSizes.Clone();
            sizes[dim] = lengths[i];
            parts[i] = skipped[i] ? Torch.Zeros([0], InputMeta[0].DType) : Torch.Zeros(sizes, InputMeta[0].DType);
        }
        return Torch.Cat(parts, dim);
    }
}

internal sealed class StackBackward0(int dim) : SingleOutputNode
{
    public override string Name => "StackBackward0";

    // tensors[i]: grad.unbind(dim)[i]
    protected override Tensor?[] Backward(Tensor grad)
    {
        var parts = grad.Unbind(dim);
        var grads = new Tensor?[parts.Length];
        for (int i = 0; i < parts.Length; i++) grads[i] = NextEdges[i].IsValid ? parts[i] : null;
        return grads;
    }

    // stack(tangents, dim), zeros for inputs without one
    internal override Tensor? Jvp(Tensor?[] t)
    {
        int[] sizes = [.. OutputSizes[..dim], .. OutputSizes[(dim + 1)..]];
        return Torch.Stack(Array.ConvertAll(t, u => u ?? Torch.Zeros(sizes, InputMeta[0].DType)), dim);
    }
}
