using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad.Kernels;

internal readonly struct AddOp : IBinaryNumber<AddOp>
{
    public static T Invoke<T>(T a, T b) where T : INumber<T> => a + b;
    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Add(a, b, d);
    public static void Invoke<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : INumber<T> => TensorPrimitives.Add(a, b, d);
    public static void Invoke<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Add(b, a, d);
}

internal readonly struct SubOp : IBinaryNumber<SubOp>
{
    public static T Invoke<T>(T a, T b) where T : INumber<T> => a - b;
    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Subtract(a, b, d);
    public static void Invoke<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : INumber<T> => TensorPrimitives.Subtract(a, b, d);
    public static void Invoke<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Subtract(a, b, d);
}

internal readonly struct MulOp : IBinaryNumber<MulOp>
{
    public static T Invoke<T>(T a, T b) where T : INumber<T> => a * b;
    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Multiply(a, b, d);
    public static void Invoke<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : INumber<T> => TensorPrimitives.Multiply(a, b, d);
    public static void Invoke<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : INumber<T> => TensorPrimitives.Multiply(b, a, d);
}

/// <summary>True division (floating point only; integer operands are promoted before).</summary>
internal readonly struct DivOp : IBinaryFloat<DivOp>
{
    public static T Invoke<T>(T a, T b) where T : IFloatingPointIeee754<T> => a / b;
    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : IFloatingPointIeee754<T> => TensorPrimitives.Divide(a, b, d);
    public static void Invoke<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : IFloatingPointIeee754<T> => TensorPrimitives.Divide(a, b, d);
    public static void Invoke<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : IFloatingPointIeee754<T> => TensorPrimitives.Divide(a, b, d);
}

internal readonly struct NegOp : IUnaryNumber<NegOp>
{
    public static T Invoke<T>(T x) where T : INumber<T> => -x;
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : INumber<T> => TensorPrimitives.Negate(x, d);
}

internal readonly struct ReciprocalOp : IUnaryFloat<ReciprocalOp>
{
    public static T Invoke<T>(T x) where T : IFloatingPointIeee754<T> => T.One / x;
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T> => TensorPrimitives.Divide(T.One, x, d);
}
