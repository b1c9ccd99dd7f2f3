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
[DebuggerTypeProxy(typeof(TensorDebugView))]
public sealed partial class Tensor
{
    internal readonly Storage Storage;
    internal readonly int Offset;
    // Note [Shared shape arrays]: Sizes and Strides are never written after a tensor is made (every
    // op that derives a new shape clones first: Reshape.InferSize, Slicing, Splitting, Joining...,
    // and Shape/Stride() hand out copies), so tensors may share one array: a result reuses its
    // operand's Sizes, and contiguous strides come from ShapeUtil's shared arrays when possible.
    // Code that needs a modified shape must clone; never write into a tensor's Sizes or Strides.
    internal readonly int[] Sizes;
    internal readonly int[] Strides;
    private VersionCounter? _version;

    internal Tensor(Storage storage, int offset, int[] sizes, int[] strides, VersionCounter? version = null)
    {
        Storage = storage;
        Offset = offset;
        Sizes = sizes;
        Strides = strides;
        _version = version;
        IsInferenceTensor = InferenceMode.IsEnabled;
    }

    /// <summary>
    /// The version counter shared with every view and <c>Detach()</c> alias (Note [Version counter]).
    /// Made on first use: most results are never viewed, saved or written in place, and a missing
    /// counter reads as version 0 (<see cref="VersionValue"/>).
    /// </summary>
    internal VersionCounter Version => _version ?? CreateVersion();

    /// <summary>The version counter's value without creating the counter (0 when it does not exist yet).</summary>
    internal int VersionValue => _version?.Value ?? 0;

    private VersionCounter CreateVersion()
    {
        // Two threads making the first views of one tensor at once must agree on one counter.
        Interlocked.CompareExchange(ref _version, new VersionCounter(), null);
        return _version;
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

    /// <summary>
    /// A fresh contiguous tensor whose contents are NOT initialised, for kernels that write every
    /// element. <paramref name="sizes"/> is kept, not copied (Note [Shared shape arrays]): pass an
    /// operand's Sizes or a freshly made array, never one a caller may still change.
    /// <paramref name="strides"/>, when given, must be the contiguous strides of the sizes.
    /// </summary>
    internal static Tensor AllocateUninitialized(DType dtype, int[] sizes, int[]? strides = null)
    {
        Profiler.Allocated(dtype, sizes);
        return new(Storage.AllocateUninitialized(dtype, SharedShapes.Numel(sizes)), 0, sizes, strides ?? SharedShapes.ContiguousStrides(sizes));
    }

    /// <summary>
    /// A fresh uninitialised tensor shaped like <paramref name="like"/>, sharing its Sizes, and its
    /// Strides when they are exactly the contiguous ones (Note [Shared shape arrays]).
    /// </summary>
    internal static Tensor AllocateUninitializedLike(DType dtype, Tensor like) =>
        AllocateUninitialized(dtype, like.Sizes, SharedShapes.IsDefaultStrides(like.Sizes, like.Strides) ? like.Strides : null);

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
    public int VersionNumber => VersionValue;

    internal bool IsScalarLike => Sizes.Length == 0;

    internal string DebuggerSummary =>
        $"tensor {ShapeUtil.Format(Sizes)} {DType.TorchName()}" +
        (RequiresGrad ? " requires_grad" : "") + (GradFn is { } fn ? $" grad_fn={fn.Name}" : "");
}
