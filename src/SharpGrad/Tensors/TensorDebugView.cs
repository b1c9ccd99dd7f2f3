using System.Diagnostics;

namespace SharpGrad;

/// <summary>
/// What a .NET debugger shows when a <see cref="Tensor"/> is expanded (its
/// <see cref="DebuggerTypeProxyAttribute"/>): the layout and autograd state, a flat prefix of the
/// values and, in place of the proxy's own row, the values nested by dimension.
/// </summary>
/// <remarks>
/// Note [Tensor debugger view]: a debugger evaluates these members on every step, on tensors of any
/// size, so each reads at most <see cref="MaxElements"/> elements straight from the storage (in
/// logical row-major order, whatever the strides) and records nothing in the autograd graph.
/// <see cref="Grad"/> reads the field, so inspecting a non-leaf never writes PyTorch's ".grad of a
/// non-leaf" warning. No reflection: the view survives trimming and AOT compilation.
/// </remarks>
internal sealed class TensorDebugView
{
    /// <summary>The most elements <see cref="Values"/> and <see cref="Items"/> read.</summary>
    internal const int MaxElements = 1000;

    private readonly Tensor _tensor;

    public TensorDebugView(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        _tensor = tensor;
    }

    /// <summary><c>tensor.shape</c>.</summary>
    public int[] Shape => _tensor.Shape;

    /// <summary><c>tensor.dtype</c>.</summary>
    public DType DType => _tensor.DType;

    /// <summary><c>tensor.stride()</c>, in elements.</summary>
    public int[] Strides => _tensor.Stride();

    /// <summary><c>tensor.storage_offset()</c>.</summary>
    public int StorageOffset => _tensor.StorageOffset;

    /// <summary><c>tensor.numel()</c>.</summary>
    public int Numel => _tensor.Numel;

    /// <summary><c>tensor.is_contiguous()</c>.</summary>
    public bool IsContiguous => _tensor.IsContiguous;

    /// <summary><c>tensor.requires_grad</c>.</summary>
    public bool RequiresGrad => _tensor.RequiresGrad;

    /// <summary><c>tensor.is_leaf</c>.</summary>
    public bool IsLeaf => _tensor.IsLeaf;

    /// <summary>The name of <c>tensor.grad_fn</c> (<c>MulBackward0</c>), null for leaves.</summary>
    public string? GradFn => _tensor.GradFn?.Name;

    /// <summary><c>tensor.grad</c>, read without the non-leaf warning.</summary>
    public Tensor? Grad => _tensor.GradRaw;

    /// <summary><c>tensor._version</c>: how many in-place writes the storage has seen.</summary>
    public int Version => _tensor.VersionNumber;

    /// <summary>True when the tensor has more elements than <see cref="Values"/> shows.</summary>
    public bool IsTruncated => _tensor.Numel > MaxElements;

    /// <summary>The first (up to <see cref="MaxElements"/>) elements in row-major order, as a typed array.</summary>
    public Array Values => _tensor.DType switch
    {
        DType.Float32 => Flat<float>(),
        DType.Float64 => Flat<double>(),
        DType.Int64 => Flat<long>(),
        DType.Int32 => Flat<int>(),
        _ => Flat<bool>(),
    };

    /// <summary>
    /// The values nested by dimension: a typed array for the last dimension inside <c>object[]</c>s
    /// for the others (one element for a 0-dim tensor). A large tensor shows its leading corner, at
    /// most <see cref="MaxElements"/> elements, keeping as much of the last dimensions as fits.
    /// </summary>
    [DebuggerBrowsable(DebuggerBrowsableState.RootHidden)]
    public Array Items => _tensor.DType switch
    {
        DType.Float32 => Nested<float>(),
        DType.Float64 => Nested<double>(),
        DType.Int64 => Nested<long>(),
        DType.Int32 => Nested<int>(),
        _ => Nested<bool>(),
    };

    private T[] Flat<T>()
    {
        var data = _tensor.Storage.As<T>();
        int[] sizes = _tensor.Sizes, strides = _tensor.Strides;
        var result = new T[Math.Min(_tensor.Numel, MaxElements)];
        var index = new int[sizes.Length];
        int offset = _tensor.Offset;
        for (int n = 0; n < result.Length; n++)
        {
            result[n] = data[offset];
            for (int d = sizes.Length - 1; d >= 0; d--) // odometer step to the next element
            {
                if (++index[d] < sizes[d])
                {
                    offset += strides[d];
                    break;
                }
                offset -= (sizes[d] - 1) * strides[d];
                index[d] = 0;
            }
        }
        return result;
    }

    private Array Nested<T>()
    {
        var data = _tensor.Storage.As<T>();
        int[] sizes = _tensor.Sizes;
        if (sizes.Length == 0) return new[] { data[_tensor.Offset] };
        // How many entries of each dim to show: the last dims first, the product within the budget.
        var take = new int[sizes.Length];
        int budget = MaxElements;
        for (int d = sizes.Length - 1; d >= 0; d--)
        {
            take[d] = Math.Min(sizes[d], Math.Max(budget, 1));
            if (take[d] > 0) budget /= take[d];
        }
        return Level<T>(data, take, 0, _tensor.Offset);
    }

    private Array Level<T>(T[] data, int[] take, int dim, int offset)
    {
        int stride = _tensor.Strides[dim];
        if (dim == take.Length - 1)
        {
            var row = new T[take[dim]];
            for (int i = 0; i < row.Length; i++) row[i] = data[offset + i * stride];
            return row;
        }
        var level = new object[take[dim]];
        for (int i = 0; i < level.Length; i++) level[i] = Level(data, take, dim + 1, offset + i * stride);
        return level;
    }
}
