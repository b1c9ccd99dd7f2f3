using SharpGrad.Kernels;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>this += other without autograd checks (gradient accumulation, Note [Gradient accumulation]).</summary>
    internal void AddInPlaceUnchecked(Tensor other)
    {
        Dispatch.BinaryNumber<AddOp>(this, other, DType, this);
        Version.Value++;
    }
}
