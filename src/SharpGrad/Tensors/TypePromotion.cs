namespace SharpGrad;

/// <summary>PyTorch's <c>result_type</c>: the dtype an op computes in, from its operands.</summary>
internal static class TypePromotion
{
    /// <summary>
    /// Dimensioned tensors decide first; a 0-dim tensor or a scalar (Note [Wrapped numbers]) only
    /// raises the category (bool &lt; integer &lt; float), landing on the default dtype for floats.
    /// </summary>
    public static DType ResultType(Tensor a, Tensor b)
    {
        DType? dim = null, zeroDim = null, wrapped = null;
        Add(a);
        Add(b);
        var result = dim ?? zeroDim ?? wrapped!.Value;
        if (zeroDim is { } z && z.Category() > result.Category()) result = z;
        if (wrapped is { } w && w.Category() > result.Category())
            result = w.Category() == 2 ? DType.Float32 : DType.Int64;
        return result;

        void Add(Tensor t)
        {
            if (t.IsWrappedNumber) wrapped = wrapped is { } x ? DTypeInfo.Promote(x, t.DType) : t.DType;
            else if (t.Dim == 0) zeroDim = zeroDim is { } x ? DTypeInfo.Promote(x, t.DType) : t.DType;
            else dim = dim is { } x ? DTypeInfo.Promote(x, t.DType) : t.DType;
        }
    }

    /// <summary>The result dtype of a tensor combined with a C# scalar.</summary>
    public static DType ResultType(Tensor a, Scalar s)
    {
        if (a.DType.Category() >= (s.IsIntegral ? 1 : 2)) return a.DType;
        return s.IsIntegral ? DType.Int64 : DType.Float32;
    }
}
