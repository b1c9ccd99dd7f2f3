using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>A copy in <paramref name="dtype"/>, or this tensor when it already has it, <c>tensor.to(dtype)</c>.</summary>
    public Tensor To(DType dtype)
    {
        using var scope = Profiler.Op("aten::to", this);
        if (dtype == DType) return this;
        var result = Dispatch.As(this, dtype);
        result.IsWrappedNumber = false;
        if (Graph.NeedsGrad(this) && dtype.IsFloatingPoint()) Graph.Record(new ToCopyBackward0(), result, this);
        return result;
    }

    /// <summary>A contiguous copy with its own storage, <c>tensor.clone()</c>; gradients flow through.</summary>
    public Tensor Clone()
    {
        using var scope = Profiler.Op("aten::clone", this);
        var result = AllocateUninitialized(DType, Sizes); // the copy writes every element
        Elementwise.Copy(this, result);
        if (Graph.NeedsGrad(this)) Graph.Record(new CloneBackward0(), result, this);
        return result;
    }

    /// <summary>This tensor if contiguous, else a contiguous copy, <c>tensor.contiguous()</c>.</summary>
    public Tensor Contiguous()
    {
        using var scope = Profiler.Active is null || IsContiguous ? default : Profiler.Op("aten::contiguous", this); // nothing when contiguous, as in PyTorch
        return IsContiguous ? this : Clone();
    }

    /// <summary><c>tensor.float()</c>: a Float32 copy.</summary>
    public Tensor Float() => To(DType.Float32);

    /// <summary><c>tensor.double()</c>: a Float64 copy.</summary>
    public Tensor Double() => To(DType.Float64);

    /// <summary><c>tensor.long()</c>: an Int64 copy.</summary>
    public Tensor Long() => To(DType.Int64);

    /// <summary><c>tensor.int()</c>: an Int32 copy.</summary>
    public Tensor Int() => To(DType.Int32);

    /// <summary><c>tensor.bool()</c>: a Bool copy.</summary>
    public Tensor Bool() => To(DType.Bool);
}

internal sealed class ToCopyBackward0 : SingleOutputNode
{
    public override string Name => "ToCopyBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [grad]; // the engine casts to the input dtype
    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.To(InputMeta[0].DType);
}

internal sealed class CloneBackward0 : SingleOutputNode
{
    public override string Name => "CloneBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [grad];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.Clone();
}
