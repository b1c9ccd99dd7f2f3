namespace SharpGrad;

/// <summary>The element type of a tensor, PyTorch's <c>torch.dtype</c>.</summary>
public enum DType
{
    /// <summary>32-bit IEEE float, <c>torch.float32</c> (the default dtype).</summary>
    Float32,
    /// <summary>64-bit IEEE float, <c>torch.float64</c>.</summary>
    Float64,
    /// <summary>64-bit signed integer, <c>torch.int64</c>.</summary>
    Int64,
    /// <summary>32-bit signed integer, <c>torch.int32</c>.</summary>
    Int32,
    /// <summary>Boolean, <c>torch.bool</c>.</summary>
    Bool,
}

/// <summary>Facts about each <see cref="DType"/> and PyTorch's type promotion between them.</summary>
public static class DTypeInfo
{
    /// <summary>True for Float32 and Float64, the dtypes that can require grad.</summary>
    public static bool IsFloatingPoint(this DType dtype) => dtype is DType.Float32 or DType.Float64;

    /// <summary>True for Int32 and Int64.</summary>
    public static bool IsInteger(this DType dtype) => dtype is DType.Int32 or DType.Int64;

    /// <summary>PyTorch's name, such as <c>torch.float32</c>.</summary>
    public static string TorchName(this DType dtype) => dtype switch
    {
        DType.Float32 => "torch.float32",
        DType.Float64 => "torch.float64",
        DType.Int64 => "torch.int64",
        DType.Int32 => "torch.int32",
        _ => "torch.bool",
    };

    /// <summary>The legacy tensor type name used in error messages, such as <c>torch.FloatTensor</c>.</summary>
    public static string LegacyTypeName(this DType dtype) => dtype switch
    {
        DType.Float32 => "torch.FloatTensor",
        DType.Float64 => "torch.DoubleTensor",
        DType.Int64 => "torch.LongTensor",
        DType.Int32 => "torch.IntTensor",
        _ => "torch.BoolTensor",
    };

    /// <summary>PyTorch's name without the module prefix, such as <c>Float</c>, used in error texts.</summary>
    public static string ScalarTypeName(this DType dtype) => dtype switch
    {
        DType.Float32 => "Float",
        DType.Float64 => "Double",
        DType.Int64 => "Long",
        DType.Int32 => "Int",
        _ => "Bool",
    };

    /// <summary>0 for bool, 1 for integers, 2 for floating point: PyTorch's promotion categories.</summary>
    internal static int Category(this DType dtype) => dtype switch
    {
        DType.Bool => 0,
        DType.Int32 or DType.Int64 => 1,
        _ => 2,
    };

    /// <summary>
    /// <c>torch.promote_types(a, b)</c>: the smallest dtype both convert to without losing category.
    /// </summary>
    public static DType Promote(DType a, DType b)
    {
        if (a == b) return a;
        int ca = a.Category(), cb = b.Category();
        if (ca != cb) return ca > cb ? a : b;
        // Same category, different dtypes: the wider one.
        return (a, b) switch
        {
            (DType.Float64, _) or (_, DType.Float64) => DType.Float64,
            (DType.Int64, _) or (_, DType.Int64) => DType.Int64,
            _ => a,
        };
    }

    internal static Type ClrType(this DType dtype) => dtype switch
    {
        DType.Float32 => typeof(float),
        DType.Float64 => typeof(double),
        DType.Int64 => typeof(long),
        DType.Int32 => typeof(int),
        _ => typeof(bool),
    };

    internal static DType FromClr<T>() =>
        typeof(T) == typeof(float) ? DType.Float32 :
        typeof(T) == typeof(double) ? DType.Float64 :
        typeof(T) == typeof(long) ? DType.Int64 :
        typeof(T) == typeof(int) ? DType.Int32 :
        typeof(T) == typeof(bool) ? DType.Bool :
        throw new ArgumentException($"Unsupported element type {typeof(T).Name}");
}
