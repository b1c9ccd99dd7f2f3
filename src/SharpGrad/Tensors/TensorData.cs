using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>Note [Wrapped numbers]: true for the 0-dim tensor a C# scalar operand becomes.</summary>
    internal bool IsWrappedNumber;

    /// <summary>A 0-dim tensor holding a C# scalar operand, marked as a wrapped number.</summary>
    internal static Tensor Wrap(Scalar s)
    {
        var storage = s.IsIntegral ? new Storage(new[] { (long)s.Value }, DType.Int64) : new Storage(new[] { s.Value }, DType.Float64);
        return new Tensor(storage, 0, [], []) { IsWrappedNumber = true };
    }

    /// <summary>The single value of a one-element tensor, converted to <typeparamref name="T"/>, <c>tensor.item()</c>.</summary>
    public T Item<T>() where T : unmanaged
    {
        if (Numel != 1)
            throw new InvalidOperationException("only one element tensors can be converted to Python scalars");
        return ToArray<T>()[0];
    }

    /// <summary>The elements in row-major order, converted to <typeparamref name="T"/> (float, double, long, int or bool).</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        var dtype = DTypeInfo.FromClr<T>();
        var dense = Allocate(dtype, Sizes);
        Elementwise.Copy(this, dense);
        return dense.Storage.As<T>();
    }

    /// <summary>The elements as a contiguous array of the tensor's own element type, without copying when possible.</summary>
    internal T[] ContiguousData<T>()
    {
        if (IsContiguous && Offset == 0 && Storage.Length == Numel) return Storage.As<T>();
        var dense = Allocate(DType, Sizes);
        Elementwise.Copy(this, dense);
        return dense.Storage.As<T>();
    }

    /// <summary>The element at a flat row-major index as a double (for printing and tests).</summary>
    internal double GetDouble(int flatIndex)
    {
        int offset = Offset;
        for (int d = Sizes.Length - 1; d >= 0; d--)
        {
            offset += flatIndex % Sizes[d] * Strides[d];
            flatIndex /= Sizes[d];
        }
        return DType switch
        {
            DType.Float32 => Storage.As<float>()[offset],
            DType.Float64 => Storage.As<double>()[offset],
            DType.Int64 => Storage.As<long>()[offset],
            DType.Int32 => Storage.As<int>()[offset],
            _ => Storage.As<bool>()[offset] ? 1 : 0,
        };
    }

    /// <summary>Creates a contiguous tensor over a copy of <paramref name="data"/> with the given shape.</summary>
    internal static Tensor FromSpan<T>(ReadOnlySpan<T> data, ReadOnlySpan<int> shape, DType? dtype, bool requiresGrad) where T : unmanaged
    {
        int n = ShapeUtil.Numel(shape);
        if (n != data.Length)
            throw new ArgumentException($"shape '{ShapeUtil.Format(shape)}' is invalid for input of size {data.Length}");
        var own = DTypeInfo.FromClr<T>();
        var t = Allocate(own, shape);
        data.CopyTo(t.Storage.As<T>());
        if (dtype is { } d && d != own) t = Dispatch.As(t, d);
        if (requiresGrad) t.RequireGradFromFactory();
        return t;
    }

    /// <summary>A contiguous copy in the same dtype, without autograd.</summary>
    internal Tensor CopyRaw()
    {
        var result = Allocate(DType, Sizes);
        Elementwise.Copy(this, result);
        return result;
    }

    /// <summary>Sets the elements at the given row-major positions of a contiguous tensor (no autograd).</summary>
    internal void IndexFillRaw(ReadOnlySpan<long> positions, double value)
    {
        if (!IsContiguous) throw new InvalidOperationException("IndexFillRaw needs a contiguous tensor");
        foreach (long p in positions)
            new Tensor(Storage, Offset + (int)p, [], []).FillRaw(value);
    }

    /// <summary>Fills every element with <paramref name="value"/> (no autograd, no version bump).</summary>
    internal void FillRaw(double value)
    {
        var scalar = Allocate(DType.Float64, []);
        scalar.Storage.As<double>()[0] = value;
        Elementwise.Copy(scalar, this);
    }
}
