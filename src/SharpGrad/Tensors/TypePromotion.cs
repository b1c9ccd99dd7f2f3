namespace SharpGrad;

/// <summary>PyTorch's <c>result_type</c>: the dtype an op computes in, from its operands.</summary>
internal static class TypePromotion
{
    /// <summary>
    /// Dimensioned tensors decide first; a 0-dim tensor or a scalar (Note [Wrapped numbers]) only
    /// raises the category (bool &lt; integer &lt; float), a floating scalar landing on the default
    /// dtype (float32). Null operands are skipped.
    /// </summary>
    public static DType ResultType(params ReadOnlySpan<Tensor?> operands)
    {
        DType? dim = null, zeroDim = null, wrapped = null;
        foreach (var t in operands)
        {
            if (t is null) continue;
            if (t.IsWrappedNumber) wrapped = Combine(wrapped, t.DType.Category() == 2 ? DType.Float32 : t.DType);
            else if (t.Dim == 0) zeroDim = Combine(zeroDim, t.DType);
            else dim = Combine(dim, t.DType);
        }
        var result = dim ?? zeroDim ?? wrapped ?? throw new ArgumentException("result_type needs at least one operand");
        if (zeroDim is { } z && z.Category() > result.Category()) result = DTypeInfo.Promote(result, z);
        if (wrapped is { } w && w.Category() > result.Category()) result = DTypeInfo.Promote(result, w);
        return result;
    }

    private static DType Combine(DType? a, DType b) => a is { } x ? DTypeInfo.Promote(x, b) : b;

    /// <summary>The result dtype of a tensor combined with a C# scalar.</summary>
    public static DType ResultType(Tensor a, Scalar s)
    {
        if (a.DType.Category() >= (s.IsIntegral ? 1 : 2)) return a.DType;
        return s.IsIntegral ? DType.Int64 : DType.Float32;
    }
}
