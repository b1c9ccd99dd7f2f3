namespace SharpGrad;

/// <summary>
/// A C# number used as an operand, PyTorch's <c>Scalar</c>: an integer or a floating point value.
/// </summary>
/// <remarks>
/// Note [Wrapped numbers]: a scalar operand never promotes a tensor within its category
/// (<c>x * 2.5</c> stays float32; <c>intTensor + 2</c> stays int32), but a floating scalar lifts an
/// integer or bool tensor to the default dtype (float32), as in PyTorch.
/// </remarks>
public readonly struct Scalar
{
    private Scalar(double value, bool isIntegral)
    {
        Value = value;
        IsIntegral = isIntegral;
    }

    /// <summary>The value as a double.</summary>
    public double Value { get; }

    /// <summary>True when the scalar came from an integer (or bool) C# value.</summary>
    public bool IsIntegral { get; }

    /// <summary>An integral scalar.</summary>
    public static implicit operator Scalar(int value) => new(value, true);

    /// <summary>An integral scalar.</summary>
    public static implicit operator Scalar(long value) => new(value, true);

    /// <summary>A floating scalar.</summary>
    public static implicit operator Scalar(float value) => new(value, false);

    /// <summary>A floating scalar.</summary>
    public static implicit operator Scalar(double value) => new(value, false);

    /// <summary>The category dtype of this scalar: Int64 or Float64 (the dtype of a wrapped number).</summary>
    internal DType DType => IsIntegral ? DType.Int64 : DType.Float64;

    /// <inheritdoc/>
    public override string ToString() => IsIntegral ? ((long)Value).ToString() : Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
