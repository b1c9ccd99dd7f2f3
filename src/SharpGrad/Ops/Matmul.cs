using SharpGrad.Autograd;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// The matrix product with PyTorch's broadcasting rules, <c>torch.matmul</c> (<c>a @ b</c>):
    /// 1-D x 1-D is <see cref="Dot"/>, 2-D x 1-D is <see cref="Mv"/>, 1-D x 2-D and 2-D x 2-D are
    /// <see cref="Mm"/> (a 1-D operand gets a temporary size-1 dim), and higher ranks multiply the
    /// last two dims with the batch dims broadcast.
    /// </summary>
    /// <remarks>
    /// Note [Matmul graph]: the decomposition follows PyTorch 1.13's <c>matmul</c> step by step
    /// (folding the batch of a >= 3-D operand into rows when the other is 1-D or 2-D, else expand
    /// and <see cref="Bmm"/>), so <c>grad_fn</c> chains show the same nodes (SqueezeBackward3,
    /// MmBackward0, UnsafeViewBackward0, BmmBackward0, ...). One difference: PyTorch records
    /// ReshapeAliasBackward0 for a reshape that is a view, where this library's Reshape records
    /// ViewBackward0.
    /// </remarks>
    public Tensor Matmul(Tensor other)
    {
        int d1 = Dim, d2 = other.Dim;
        if (d1 == 0 || d2 == 0)
            throw new InvalidOperationException($"both arguments to matmul need to be at least 1D, but they are {d1}D and {d2}D");
        if (d1 == 1 && d2 == 1) return Dot(other);
        if (d1 == 2 && d2 == 1) return Mv(other);
        if (d1 == 1 && d2 == 2) return UnsqueezeView(0).Mm(other).SqueezeView(0, "SqueezeBackward3");
        if (d1 == 2 && d2 == 2) return Mm(other);
        if (ShouldFold(this, d2) || ShouldFold(other, d1)) return FoldedMatmul(other);
        return BatchedMatmul(other);
    }

    /// <summary>
    /// PyTorch's should_fold: a >= 3-D operand times a 1-D or 2-D one folds its batch into matrix
    /// rows, unless it is 3-D with its last two dims transposed in memory (bmm handles that copy-free).
    /// </summary>
    private static bool ShouldFold(Tensor t, int otherDim)
    {
        if (t.Dim < 3 || otherDim is not (1 or 2)) return false;
        return !(t.Dim == 3 && otherDim == 2 && t.Strides[2] != 1 && t.Strides[0] == t.Sizes[1] * t.Sizes[2]);
    }

    private Tensor FoldedMatmul(Tensor other)
    {
        bool transpose = other.Dim > Dim;
        var t1 = transpose ? other.TransposeLast2() : this;
        var t2 = !transpose ? other : Dim == 2 ? MatrixT() : this;
        var outShape = t1.Sizes[..^1].ToList();
        int folded = ShapeUtil.Numel(outShape.ToArray());
        bool t2IsMatrix = t2.Dim == 2;
        if (t2IsMatrix) outShape.Add(t2.Sizes[1]);
        var t1Folded = t1.Reshape(folded, t1.Sizes[^1]);
        if (!t2IsMatrix) return t1Folded.Mv(t2).UnsafeViewInternal(outShape.ToArray());
        var output = t1Folded.Mm(t2).UnsafeViewInternal(outShape.ToArray());
        return transpose ? output.TransposeLast2().Contiguous() : output;
    }

    private Tensor BatchedMatmul(Tensor other)
    {
        // Both operands are at least 2-D here: a 1-D operand against a >= 3-D one always folds.
        int n = Sizes[^2], m1 = Sizes[^1], m2 = other.Sizes[^2], p = other.Sizes[^1];
        var batch = ShapeUtil.Broadcast(Sizes[..^2], other.Sizes[..^2]);
        int batchCount = ShapeUtil.Numel(batch);
        var left = Expand([.. batch, n, m1]).Reshape(batchCount, n, m1);
        var right = other.Expand([.. batch, m2, p]).Reshape(batchCount, m2, p);
        return left.Bmm(right).UnsafeViewInternal([.. batch, n, p]);
    }

    // Note [Linear algebra views]: the views below are what matmul and the product gradients need
    // (unsqueeze, squeeze, t, mT, _unsafe_view), kept internal to this area with PyTorch's node names.
    // They can be replaced by the public view ops (Unsqueeze, Squeeze, T, Transpose) once those exist.

    /// <summary>The 2-D transpose view, <c>tensor.t()</c> (node TBackward0).</summary>
    internal Tensor MatrixT() =>
        View(Offset, [Sizes[1], Sizes[0]], [Strides[1], Strides[0]], () => new LinalgTransposeBackward("TBackward0"));

    /// <summary>The view with the last two dims swapped, <c>tensor.mT</c> (node TransposeBackward0).</summary>
    internal Tensor TransposeLast2()
    {
        var sizes = (int[])Sizes.Clone();
        var strides = (int[])Strides.Clone();
        (sizes[^1], sizes[^2]) = (sizes[^2], sizes[^1]);
        (strides[^1], strides[^2]) = (strides[^2], strides[^1]);
        return View(Offset, sizes, strides, () => new LinalgTransposeBackward("TransposeBackward0"));
    }

    /// <summary>A view with a size-1 dim inserted at <paramref name="dim"/>, <c>tensor.unsqueeze(dim)</c>.</summary>
    internal Tensor UnsqueezeView(int dim)
    {
        var sizes = Sizes.ToList();
        var strides = Strides.ToList();
        sizes.Insert(dim, 1);
        strides.Insert(dim, dim < Dim ? Sizes[dim] * Strides[dim] : 1);
        var original = Sizes;
        return View(Offset, sizes.ToArray(), strides.ToArray(), () => new LinalgReshapeViewBackward("UnsqueezeBackward0", original));
    }

    /// <summary>A view without the size-1 dim <paramref name="dim"/>, <c>tensor.squeeze(dim)</c>, recorded as <paramref name="nodeName"/>.</summary>
    internal Tensor SqueezeView(int dim, string nodeName)
    {
        int d = ShapeUtil.WrapDim(dim, Dim);
        if (Sizes[d] != 1) return this;
        var sizes = Sizes.ToList();
        var strides = Strides.ToList();
        sizes.RemoveAt(d);
        strides.RemoveAt(d);
        var original = Sizes;
        return View(Offset, sizes.ToArray(), strides.ToArray(), () => new LinalgReshapeViewBackward(nodeName, original));
    }

    /// <summary>
    /// A contiguous tensor re-shaped without copying and without becoming a view of it,
    /// <c>torch._unsafe_view</c> (node UnsafeViewBackward0). Only for fresh contiguous results.
    /// </summary>
    internal Tensor UnsafeViewInternal(int[] sizes)
    {
        var result = new Tensor(Storage, Offset, sizes, ShapeUtil.ContiguousStrides(sizes), Version);
        if (Graph.NeedsGrad(this)) Graph.Record(new UnsafeViewBackward0(Sizes), result, this);
        return result;
    }
}

public static partial class Torch
{
    /// <summary>The matrix product with broadcasting, <c>torch.matmul(input, other)</c> (<c>input @ other</c>).</summary>
    public static Tensor Matmul(Tensor input, Tensor other) => input.Matmul(other);
}

/// <summary>Backward of the internal transposes: transposes the gradient back (TBackward0 / TransposeBackward0).</summary>
internal sealed class LinalgTransposeBackward(string name) : SingleOutputNode
{
    public override string Name => name;
    protected override Tensor?[] Backward(Tensor grad) => [name == "TBackward0" ? grad.MatrixT() : grad.TransposeLast2()];
}

/// <summary>Backward of the internal unsqueeze/squeeze views: reshapes the gradient back.</summary>
internal sealed class LinalgReshapeViewBackward(string name, int[] selfSizes) : SingleOutputNode
{
    public override string Name => name;
    protected override Tensor?[] Backward(Tensor grad) => [grad.Reshape(selfSizes)];
}
