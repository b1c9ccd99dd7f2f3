namespace SharpGrad;

/// <summary>
/// Shape helpers for the allocation-free paths: contiguous strides shared between tensors, and
/// layout tests that allocate nothing (Note [Shared shape arrays]).
/// </summary>
internal static class SharedShapes
{
    private static readonly int[] s_rank0 = [];
    private static readonly int[] s_rank1 = [1];

    /// <summary>
    /// The contiguous strides of <paramref name="sizes"/>: a shared array for rank 0 and 1, a new
    /// one otherwise. The result must never be written (Note [Shared shape arrays]).
    /// </summary>
    public static int[] ContiguousStrides(int[] sizes) => sizes.Length switch
    {
        0 => s_rank0,
        1 => s_rank1,
        _ => ShapeUtil.ContiguousStrides(sizes),
    };

    /// <summary><c>ShapeUtil.Numel</c> with the rank 0 and 1 cases answered inline.</summary>
    public static int Numel(int[] sizes) => sizes.Length switch
    {
        0 => 1,
        1 => sizes[0],
        _ => ShapeUtil.Numel(sizes),
    };

    /// <summary>True when <paramref name="strides"/> equal <c>ShapeUtil.ContiguousStrides(sizes)</c> exactly.</summary>
    public static bool IsDefaultStrides(ReadOnlySpan<int> sizes, ReadOnlySpan<int> strides)
    {
        int expected = 1;
        for (int i = sizes.Length - 1; i >= 0; i--)
        {
            if (strides[i] != expected) return false;
            expected *= Math.Max(sizes[i], 1);
        }
        return true;
    }

    /// <summary>Same sizes, by reference first (results share their operand's array).</summary>
    public static bool SameSizes(int[] a, int[] b) => ReferenceEquals(a, b) || a.AsSpan().SequenceEqual(b);

    /// <summary>
    /// True when the elements lie densely in row-major order from <c>Offset</c>
    /// (<c>ShapeUtil.IsContiguous</c>), so a span of Numel elements from Offset holds them in order.
    /// </summary>
    public static bool IsDense(Tensor t) => ReferenceEquals(t.Strides, s_rank1) || ShapeUtil.IsContiguous(t.Sizes, t.Strides);
}
