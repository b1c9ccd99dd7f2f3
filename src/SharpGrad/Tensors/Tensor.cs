using System.Diagnostics;
using SharpGrad.Autograd;

namespace SharpGrad;

/// <summary>
/// A strided n-dimensional array with PyTorch's autograd semantics: <c>torch.Tensor</c>.
/// </summary>
/// <remarks>
/// A tensor is a view (offset, sizes, strides) into a <see cref="Storage"/>. Views share storage
/// and the version counter (Note [Version counter]). Autograd state lives beside the view:
/// <see cref="GradFn"/> for results of recorded ops, <see cref="RequiresGrad"/> for leaves.
/// </remarks>
[DebuggerDisplay("{DebuggerSummary,nq}")]
public sealed partial class Tensor
{
    internal readonly Storage Storage;
    internal readonly int Offset;
    internal readonly int[] Sizes;
    internal readonly int[] Strides;
    internal readonly VersionCounter Version;

    internal Tensor(Storage storage, int offset, int[] sizes, int[] strides, VersionCounter? version = null)
    {
        Storage = storage;
        Offset = offset;
        Sizes = sizes;
        Strides = strides;
        Version = version ?? new VersionCounter();
        IsInferenceTensor = InferenceMode.IsEnabled;
    }

    /// <summary>A fresh contiguous tensor of the given shape; contents are zero.</summary>
    internal static Tensor Allocate(DType dtype, ReadOnlySpan<int> sizes)
    {
        foreach (int s in sizes)
            if (s < 0) throw new ArgumentException($"Trying to create tensor with negative dimension {s}: {ShapeUtil.Format(sizes)}");
        int[] sz = sizes.ToArray();
        Profiler.Allocated(dtype, sz);
        return new Tensor(Storage.Allocate(dtype, ShapeUtil.Numel(sz)), 0, sz, ShapeUtil.ContiguousStrides(sz));
    }

    /// <summary>The element type, <c>tensor.dtype</c>.</summary>
    public DType DType => Storage.DType;

    /// <summary>The sizes of each dimension, <c>tensor.shape</c> (a copy).</summary>
    public int[] Shape => (int[])Sizes.Clone();

    /// <summary>The size of one dimension (negative counts from the end), <c>tensor.size(dim)</c>.</summary>
    public int Size(int dim) => Sizes[ShapeUtil.WrapDim(dim, Dim)];

    /// <summary>The strides of each dimension in elements, <c>tensor.stride()</c> (a copy).</summary>
    public int[] Stride() => (int[])Strides.Clone();

    /// <summary>The number of dimensions, <c>tensor.dim()</c>.</summary>
    public int Dim => Sizes.Length;

    /// <summary>The number of elements, <c>tensor.numel()</c>.</summary>
    public int Numel => ShapeUtil.Numel(Sizes);

    /// <summary>The offset of the first element in the storage, <c>tensor.storage_offset()</c>.</summary>
    public int StorageOffset => Offset;

    /// <summary>True when the elements are laid out densely in row-major order, <c>tensor.is_contiguous()</c>.</summary>
    public bool IsContiguous => ShapeUtil.IsContiguous(Sizes, Strides);

    /// <summary>The version counter's value, <c>tensor._version</c>: bumped by every in-place write.</summary>
    public int VersionNumber => Version.Value;

    internal bool IsScalarLike => Sizes.Length == 0;

    internal string DebuggerSummary =>
        $"tensor {ShapeUtil.Format(Sizes)} {DType.TorchName()}" +
        (RequiresGrad ? " requires_grad" : "") + (GradFn is { } fn ? $" grad_fn={fn.Name}" : "");
}
