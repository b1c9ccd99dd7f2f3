using SharpGrad.Kernels;

namespace SharpGrad;

/// <summary>
/// Runs kernel families on tensors: picks the compute dtype, converts and broadcasts operands,
/// allocates the result and dispatches to the element type. No autograd here.
/// </summary>
internal static class Dispatch
{
    /// <summary>A converted copy of <paramref name="t"/> when its dtype differs, else <paramref name="t"/> itself.</summary>
    public static Tensor As(Tensor t, DType dtype)
    {
        if (t.DType == dtype) return t;
        var result = Tensor.Allocate(dtype, t.Sizes);
        Elementwise.Copy(t, result);
        result.IsWrappedNumber = t.IsWrappedNumber;
        return result;
    }

    public static Tensor UnaryNumber<TOp>(Tensor x, DType dtype, Tensor? output = null) where TOp : IUnaryNumber<TOp>
    {
        x = As(x, dtype);
        output ??= Tensor.Allocate(dtype, x.Sizes);
        switch (dtype)
        {
            case DType.Float32: Elementwise.Unary<float, float, NumberUnary<TOp, float>>(x, output); break;
            case DType.Float64: Elementwise.Unary<double, double, NumberUnary<TOp, double>>(x, output); break;
            case DType.Int64: Elementwise.Unary<long, long, NumberUnary<TOp, long>>(x, output); break;
            case DType.Int32: Elementwise.Unary<int, int, NumberUnary<TOp, int>>(x, output); break;
            default: throw Unsupported(TOp_Name<TOp>(), dtype);
        }
        return output;
    }

    /// <summary>Floating point unary op; integer and bool inputs compute in the default dtype, as in PyTorch.</summary>
    public static Tensor UnaryFloat<TOp>(Tensor x, Tensor? output = null) where TOp : IUnaryFloat<TOp>
    {
        var dtype = output?.DType ?? (x.DType.IsFloatingPoint() ? x.DType : DType.Float32);
        if (!dtype.IsFloatingPoint()) throw Unsupported(TOp_Name<TOp>(), dtype);
        x = As(x, dtype);
        output ??= Tensor.Allocate(dtype, x.Sizes);
        if (dtype == DType.Float32) Elementwise.Unary<float, float, FloatUnary<TOp, float>>(x, output);
        else Elementwise.Unary<double, double, FloatUnary<TOp, double>>(x, output);
        return output;
    }

    public static Tensor BinaryNumber<TOp>(Tensor a, Tensor b, DType dtype, Tensor? output = null) where TOp : IBinaryNumber<TOp>
    {
        a = As(a, dtype);
        b = As(b, dtype);
        output ??= Tensor.Allocate(dtype, ShapeUtil.Broadcast(a.Sizes, b.Sizes));
        switch (dtype)
        {
            case DType.Float32: Elementwise.Binary<float, float, NumberBinary<TOp, float>>(a, b, output); break;
            case DType.Float64: Elementwise.Binary<double, double, NumberBinary<TOp, double>>(a, b, output); break;
            case DType.Int64: Elementwise.Binary<long, long, NumberBinary<TOp, long>>(a, b, output); break;
            case DType.Int32: Elementwise.Binary<int, int, NumberBinary<TOp, int>>(a, b, output); break;
            default: throw Unsupported(TOp_Name<TOp>(), dtype);
        }
        return output;
    }

    public static Tensor BinaryFloat<TOp>(Tensor a, Tensor b, DType dtype, Tensor? output = null) where TOp : IBinaryFloat<TOp>
    {
        if (!dtype.IsFloatingPoint()) throw Unsupported(TOp_Name<TOp>(), dtype);
        a = As(a, dtype);
        b = As(b, dtype);
        output ??= Tensor.Allocate(dtype, ShapeUtil.Broadcast(a.Sizes, b.Sizes));
        if (dtype == DType.Float32) Elementwise.Binary<float, float, FloatBinary<TOp, float>>(a, b, output);
        else Elementwise.Binary<double, double, FloatBinary<TOp, double>>(a, b, output);
        return output;
    }

    /// <summary>A comparison in the promoted dtype of the operands; bool operands compare as integers.</summary>
    public static Tensor Compare<TOp>(Tensor a, Tensor b) where TOp : ICompare<TOp>
    {
        var dtype = TypePromotion.ResultType(a, b);
        if (dtype == DType.Bool) dtype = DType.Int32;
        a = As(a, dtype);
        b = As(b, dtype);
        var output = Tensor.Allocate(DType.Bool, ShapeUtil.Broadcast(a.Sizes, b.Sizes));
        switch (dtype)
        {
            case DType.Float32: Elementwise.Binary<float, bool, CompareBinary<TOp, float>>(a, b, output); break;
            case DType.Float64: Elementwise.Binary<double, bool, CompareBinary<TOp, double>>(a, b, output); break;
            case DType.Int64: Elementwise.Binary<long, bool, CompareBinary<TOp, long>>(a, b, output); break;
            default: Elementwise.Binary<int, bool, CompareBinary<TOp, int>>(a, b, output); break;
        }
        return output;
    }

    private static string TOp_Name<TOp>() => typeof(TOp).Name.ToLowerInvariant();

    public static NotSupportedException Unsupported(string op, DType dtype) =>
        new($"\"{op}\" not implemented for '{dtype.ScalarTypeName()}'");
}
