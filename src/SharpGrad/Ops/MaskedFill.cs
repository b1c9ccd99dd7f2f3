using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// <c>out[i] = mask[i] ? value : this[i]</c>, broadcasting this tensor and the Bool
    /// <paramref name="mask"/>, <c>tensor.masked_fill(mask, value)</c> (node <c>MaskedFillBackward0</c>).
    /// </summary>
    /// <remarks>
    /// The result keeps this tensor's dtype; <paramref name="value"/> is converted to it, and a value the
    /// dtype cannot hold (NaN or infinity for an integer tensor, a finite value beyond float32's range for
    /// a float32 one) is PyTorch's "value cannot be converted" error. PyTorch 1.13 reads a non-Bool mask
    /// without checking it; here a non-Bool mask is an error (later PyTorch's text).
    /// </remarks>
    public Tensor MaskedFill(Tensor mask, Scalar value)
    {
        using var scope = Profiler.Op("aten::masked_fill", this, mask);
        if (mask.DType != DType.Bool)
            throw new InvalidOperationException(
                $"masked_fill_ only supports boolean masks, but got mask with dtype {mask.DType.ScalarTypeName()}");
        var sizes = ShapeUtil.Broadcast(mask.Sizes, Sizes);
        var fill = Dispatch.As(Wrap(CheckConvertible(value, DType)), DType);
        var result = Allocate(DType, sizes);
        SelectKernel.Apply(mask, fill, this, result);
        if (Graph.NeedsGrad(this))
        {
            var node = new MaskedFillBackward0();
            node.Mask = node.Save(mask);
            Graph.Record(node, result, this);
        }
        return result;
    }

    /// <summary>
    /// <paramref name="value"/> unchanged when <paramref name="dtype"/> can hold it, else PyTorch's
    /// overflow error (c10's <c>checked_convert</c>).
    /// </summary>
    internal static Scalar CheckConvertible(Scalar value, DType dtype)
    {
        double v = value.Value;
        bool fits = dtype switch
        {
            DType.Float32 => !double.IsFinite(v) || Math.Abs(v) <= float.MaxValue,
            DType.Int32 => v >= int.MinValue && v <= int.MaxValue,
            DType.Int64 => v >= long.MinValue && v < 9223372036854775808.0,
            _ => true,
        };
        if (!fits)
        {
            string type = dtype switch { DType.Float32 => "float", DType.Int32 => "int", _ => "int64_t" };
            throw new InvalidOperationException($"value cannot be converted to type {type} without overflow");
        }
        return value;
    }
}

public static partial class Torch
{
    /// <summary><c>out[i] = mask[i] ? value : input[i]</c>, <c>torch.masked_fill(input, mask, value)</c>.</summary>
    public static Tensor MaskedFill(Tensor input, Tensor mask, Scalar value) => input.MaskedFill(mask, value);
}

internal sealed class MaskedFillBackward0 : SingleOutputNode
{
    public SavedTensor? Mask;

    public override string Name => "MaskedFillBackward0";

    // self: grad.masked_fill(mask, 0)
    protected override Tensor?[] Backward(Tensor grad) => [grad.MaskedFill(Mask!.Unpack(), 0)];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.MaskedFill(Mask!.Unpack(), 0);
}
