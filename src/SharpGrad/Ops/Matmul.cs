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
    /// MmBackward0, UnsafeViewBackward0, BmmBackward0, ReshapeAliasBackward0, ...).
    /// </remarks>
    public Tensor Matmul(Tensor other)
    {
        using var scope = Profiler.Op("aten::matmul", this, other);
        int d1 = Dim, d2 = other.Dim;
        if (d1 == 0 || d2 == 0)
            throw new InvalidOperationException($"both arguments to matmul need to be at least 1D, but they are {d1}D and {d2}D");
        if (d1 == 1 && d2 == 1) return Dot(other);
        if (d1 == 2 && d2 == 1) return Mv(other);
        if (d1 == 1 && d2 == 2) return Unsqueeze(0).Mm(other).SqueezeFreshInPlace(0);
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
        var t1 = transpose ? other.mT : this;
        var t2 = !transpose ? other : Dim == 2 ? Transpose() : this;
        var outShape = t1.Sizes[..^1].ToList();
        int folded = ShapeUtil.Numel(outShape.ToArray());
        bool t2IsMatrix = t2.Dim == 2;
        if (t2IsMatrix) outShape.Add(t2.Sizes[1]);
        var t1Folded = t1.Reshape(folded, t1.Sizes[^1]);
        if (!t2IsMatrix) return t1Folded.Mv(t2).UnsafeView(outShape.ToArray());
        var output = t1Folded.Mm(t2).UnsafeView(outShape.ToArray());
        return transpose ? output.mT.Contiguous() : output;
    }

    private Tensor BatchedMatmul(Tensor other)
    {
        // Both operands are at least 2-D here: a 1-D operand against a >= 3-D one always folds.
        int n = Sizes[^2], m1 = Sizes[^1], m2 = other.Sizes[^2], p = other.Sizes[^1];
        var batch = ShapeUtil.Broadcast(Sizes[..^2], other.Sizes[..^2]);
        int batchCount = ShapeUtil.Numel(batch);
        var left = Expand([.. batch, n, m1]).Reshape(batchCount, n, m1);
        var right = other.Expand([.. batch, m2, p]).Reshape(batchCount, m2, p);
        return left.Bmm(right).UnsafeView([.. batch, n, p]);
    }
}

public static partial class Torch
{
    /// <summary>The matrix product with broadcasting, <c>torch.matmul(input, other)</c> (<c>input @ other</c>).</summary>
    public static Tensor Matmul(Tensor input, Tensor other) => input.Matmul(other);
}
