using INumberT = System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad;

/// <summary>
/// Runs kernel families on tensors: picks the compute dtype, converts and broadcasts operands,
/// allocates the result and dispatches to the element type. No autograd here.
/// </summary>
/// <remarks>
/// Note [Lean dispatch]: the common calls allocate nothing but the result. Results are made
/// uninitialised (every kernel here writes every element) and share their operand's Sizes (and
/// contiguous Strides) array (Note [Shared shape arrays]). A 0-dim operand in another dtype than
/// the compute dtype (a wrapped number such as the 2.5 of <c>x * 2.5</c>) is not converted into a
/// new tensor: its value is read, converted exactly as the conversion copy would
/// (<c>CreateTruncating</c>), and the span-scalar kernel runs on the dense other operand.
/// </remarks>
internal static class Dispatch
{
    /// <summary>A converted copy of <paramref name="t"/> when its dtype differs, else <paramref name="t"/> itself.</summary>
    public static Tensor As(Tensor t, DType dtype)
    {
        if (t.DType == dtype) return t;
        var result = Tensor.AllocateUninitializedLike(dtype, t);
        Elementwise.Copy(t, result);
        result.IsWrappedNumber = t.IsWrappedNumber;
        return result;
    }

    /// <summary><c>TypePromotion.ResultType(a, b)</c>, answering the same-dtype case without the general walk.</summary>
    public static DType ResultType(Tensor a, Tensor b) =>
        a.DType == b.DType && !(a.IsWrappedNumber && b.IsWrappedNumber) ? a.DType : TypePromotion.ResultType(a, b);

    public static Tensor UnaryNumber<TOp>(Tensor x, DType dtype, Tensor? output = null) where TOp : IUnaryNumber<TOp>
    {
        x = As(x, dtype);
        output ??= Tensor.AllocateUninitializedLike(dtype, x);
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
        output ??= Tensor.AllocateUninitializedLike(dtype, x);
        if (dtype == DType.Float32) Elementwise.Unary<float, float, FloatUnary<TOp, float>>(x, output);
        else Elementwise.Unary<double, double, FloatUnary<TOp, double>>(x, output);
        return output;
    }

    public static Tensor BinaryNumber<TOp>(Tensor a, Tensor b, DType dtype, Tensor? output = null) where TOp : IBinaryNumber<TOp>
    {
        if (output is null && ScalarForm(a, b, dtype, dtype) is { } form)
        {
            switch (dtype)
            {
                case DType.Float32: return Scalar<float, float, NumberBinary<TOp, float>>(form);
                case DType.Float64: return Scalar<double, double, NumberBinary<TOp, double>>(form);
                case DType.Int64: return Scalar<long, long, NumberBinary<TOp, long>>(form);
                case DType.Int32: return Scalar<int, int, NumberBinary<TOp, int>>(form);
            }
        }
        a = As(a, dtype);
        b = As(b, dtype);
        output ??= Result(a, b, dtype);
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
        if (output is null && ScalarForm(a, b, dtype, dtype) is { } form)
            return dtype == DType.Float32
                ? Scalar<float, float, FloatBinary<TOp, float>>(form)
                : Scalar<double, double, FloatBinary<TOp, double>>(form);
        a = As(a, dtype);
        b = As(b, dtype);
        output ??= Result(a, b, dtype);
        if (dtype == DType.Float32) Elementwise.Binary<float, float, FloatBinary<TOp, float>>(a, b, output);
        else Elementwise.Binary<double, double, FloatBinary<TOp, double>>(a, b, output);
        return output;
    }

    /// <summary>
    /// <c>op(a, s)</c> (or <c>op(s, a)</c> when <paramref name="scalarFirst"/>) with a C# number: the
    /// same result as with <c>Tensor.Wrap(s)</c>, without making the wrapped tensor when
    /// <paramref name="a"/> is dense in the compute dtype (Note [Lean dispatch]).
    /// </summary>
    public static Tensor BinaryNumber<TOp>(Tensor a, Scalar s, DType dtype, bool scalarFirst = false) where TOp : IBinaryNumber<TOp>
    {
        if (a.DType == dtype && SharedShapes.IsDense(a))
        {
            switch (dtype)
            {
                case DType.Float32: return Scalar<float, float, NumberBinary<TOp, float>>(a, ScalarValue<float>(s), scalarFirst, dtype);
                case DType.Float64: return Scalar<double, double, NumberBinary<TOp, double>>(a, ScalarValue<double>(s), scalarFirst, dtype);
                case DType.Int64: return Scalar<long, long, NumberBinary<TOp, long>>(a, ScalarValue<long>(s), scalarFirst, dtype);
                case DType.Int32: return Scalar<int, int, NumberBinary<TOp, int>>(a, ScalarValue<int>(s), scalarFirst, dtype);
            }
        }
        var w = Tensor.Wrap(s);
        return scalarFirst ? BinaryNumber<TOp>(w, a, dtype) : BinaryNumber<TOp>(a, w, dtype);
    }

    /// <summary>The floating point twin of <see cref="BinaryNumber{TOp}(Tensor, Scalar, DType, bool)"/>.</summary>
    public static Tensor BinaryFloat<TOp>(Tensor a, Scalar s, DType dtype, bool scalarFirst = false) where TOp : IBinaryFloat<TOp>
    {
        if (a.DType == dtype && SharedShapes.IsDense(a))
        {
            if (dtype == DType.Float32) return Scalar<float, float, FloatBinary<TOp, float>>(a, ScalarValue<float>(s), scalarFirst, dtype);
            if (dtype == DType.Float64) return Scalar<double, double, FloatBinary<TOp, double>>(a, ScalarValue<double>(s), scalarFirst, dtype);
        }
        var w = Tensor.Wrap(s);
        return scalarFirst ? BinaryFloat<TOp>(w, a, dtype) : BinaryFloat<TOp>(a, w, dtype);
    }

    /// <summary>A comparison in the promoted dtype of the operands; bool operands compare as integers.</summary>
    public static Tensor Compare<TOp>(Tensor a, Tensor b) where TOp : ICompare<TOp>
    {
        var dtype = ResultType(a, b);
        if (dtype == DType.Bool) dtype = DType.Int32;
        if (ScalarForm(a, b, dtype, DType.Bool) is { } form)
        {
            switch (dtype)
            {
                case DType.Float32: return Scalar<float, bool, CompareBinary<TOp, float>>(form);
                case DType.Float64: return Scalar<double, bool, CompareBinary<TOp, double>>(form);
                case DType.Int64: return Scalar<long, bool, CompareBinary<TOp, long>>(form);
            }
        }
        a = As(a, dtype);
        b = As(b, dtype);
        var output = Result(a, b, DType.Bool);
        switch (dtype)
        {
            case DType.Float32: Elementwise.Binary<float, bool, CompareBinary<TOp, float>>(a, b, output); break;
            case DType.Float64: Elementwise.Binary<double, bool, CompareBinary<TOp, double>>(a, b, output); break;
            case DType.Int64: Elementwise.Binary<long, bool, CompareBinary<TOp, long>>(a, b, output); break;
            default: Elementwise.Binary<int, bool, CompareBinary<TOp, int>>(a, b, output); break;
        }
        return output;
    }

    /// <summary>A fresh uninitialised result of the broadcast shape, sharing an operand's shape arrays when it has that shape.</summary>
    private static Tensor Result(Tensor a, Tensor b, DType dtype)
    {
        if (SharedShapes.SameSizes(a.Sizes, b.Sizes) || b.Sizes.Length == 0) return Tensor.AllocateUninitializedLike(dtype, a);
        if (a.Sizes.Length == 0) return Tensor.AllocateUninitializedLike(dtype, b);
        return Tensor.AllocateUninitialized(dtype, ShapeUtil.Broadcast(a.Sizes, b.Sizes));
    }

    /// <summary>A binary call in span-scalar form: a dense tensor operand and a 0-dim one read as a value.</summary>
    private readonly record struct ScalarCall(Tensor Dense, Tensor Scalar, bool ScalarFirst, DType OutDType);

    /// <summary>
    /// The span-scalar form of <c>op(a, b)</c> when one operand is 0-dim and the other is dense in the
    /// compute dtype (Note [Lean dispatch]); null otherwise.
    /// </summary>
    private static ScalarCall? ScalarForm(Tensor a, Tensor b, DType dtype, DType outDType)
    {
        if (b.Sizes.Length == 0 && a.DType == dtype && SharedShapes.IsDense(a))
            return new ScalarCall(a, b, false, outDType);
        if (a.Sizes.Length == 0 && b.DType == dtype && SharedShapes.IsDense(b))
            return new ScalarCall(b, a, true, outDType);
        return null;
    }

    private static Tensor Scalar<T, TOut, TK>(ScalarCall call) where T : INumberT.INumber<T> where TK : IBinaryKernel<T, TOut> =>
        Scalar<T, TOut, TK>(call.Dense, ScalarValue<T>(call.Scalar), call.ScalarFirst, call.OutDType);

    private static Tensor Scalar<T, TOut, TK>(Tensor dense, T value, bool scalarFirst, DType outDType) where TK : IBinaryKernel<T, TOut>
    {
        var output = Tensor.AllocateUninitializedLike(outDType, dense);
        Elementwise.BinaryScalar<T, TOut, TK>(dense, value, output, scalarFirst);
        return output;
    }

    /// <summary>A C# number converted to <typeparamref name="T"/> as the conversion of its wrapped tensor would (Int64 or Float64 source).</summary>
    private static T ScalarValue<T>(Scalar s) where T : INumberT.INumber<T> =>
        s.IsIntegral ? T.CreateTruncating((long)s.Value) : T.CreateTruncating(s.Value);

    /// <summary>The value of a one-element tensor converted to <typeparamref name="T"/> as <see cref="Elementwise.Copy"/> converts.</summary>
    private static T ScalarValue<T>(Tensor t) where T : INumberT.INumber<T>
    {
        var storage = t.Storage;
        int i = t.Offset;
        var value = t.DType switch
        {
            DType.Float32 => T.CreateTruncating(storage.Borrow<float>()[i]),
            DType.Float64 => T.CreateTruncating(storage.Borrow<double>()[i]),
            DType.Int64 => T.CreateTruncating(storage.Borrow<long>()[i]),
            DType.Int32 => T.CreateTruncating(storage.Borrow<int>()[i]),
            _ => storage.Borrow<bool>()[i] ? T.One : T.Zero,
        };
        GC.KeepAlive(storage); // Note [Storage pool]: borrowed until read
        return value;
    }

    private static string TOp_Name<TOp>() => typeof(TOp).Name.ToLowerInvariant();

    public static NotSupportedException Unsupported(string op, DType dtype) =>
        new($"\"{op}\" not implemented for '{dtype.ScalarTypeName()}'");
}
