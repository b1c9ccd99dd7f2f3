using T = SharpGrad.Tensor;

namespace SharpGrad;

public static partial class Torch
{
    /// <summary>A 0-dim tensor holding <paramref name="value"/>, <c>torch.tensor(value)</c>.</summary>
    public static T Tensor<TElem>(TElem value, DType? dtype = null, bool requiresGrad = false) where TElem : unmanaged =>
        T.FromSpan<TElem>([value], [], dtype, requiresGrad);

    /// <summary>A 1-D tensor copied from <paramref name="data"/>; the dtype follows the element type unless given.</summary>
    public static T Tensor<TElem>(TElem[] data, DType? dtype = null, bool requiresGrad = false) where TElem : unmanaged =>
        T.FromSpan<TElem>(data, [data.Length], dtype, requiresGrad);

    /// <summary>A 2-D tensor copied from <paramref name="data"/>.</summary>
    public static T Tensor<TElem>(TElem[,] data, DType? dtype = null, bool requiresGrad = false) where TElem : unmanaged =>
        FromMulti<TElem>(data, dtype, requiresGrad);

    /// <summary>A 3-D tensor copied from <paramref name="data"/>.</summary>
    public static T Tensor<TElem>(TElem[,,] data, DType? dtype = null, bool requiresGrad = false) where TElem : unmanaged =>
        FromMulti<TElem>(data, dtype, requiresGrad);

    /// <summary>A 4-D tensor copied from <paramref name="data"/>.</summary>
    public static T Tensor<TElem>(TElem[,,,] data, DType? dtype = null, bool requiresGrad = false) where TElem : unmanaged =>
        FromMulti<TElem>(data, dtype, requiresGrad);

    /// <summary>A tensor of the given shape copied from <paramref name="data"/> (row-major).</summary>
    public static T Tensor<TElem>(ReadOnlySpan<TElem> data, int[] shape, DType? dtype = null, bool requiresGrad = false) where TElem : unmanaged =>
        T.FromSpan(data, shape, dtype, requiresGrad);

    private static T FromMulti<TElem>(Array data, DType? dtype, bool requiresGrad) where TElem : unmanaged
    {
        var shape = new int[data.Rank];
        for (int d = 0; d < shape.Length; d++) shape[d] = data.GetLength(d);
        var flat = new TElem[data.Length];
        int i = 0;
        foreach (TElem v in data) flat[i++] = v;
        return T.FromSpan<TElem>(flat, shape, dtype, requiresGrad);
    }
}
