using SharpGrad.Autograd;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// Basic indexing, Python's <c>x[1:3, 0]</c>: <c>x[1..3, 0]</c>, <c>x[.., ^1]</c>, <c>x[1]</c>,
    /// <c>x[TensorIndex.Ellipsis, 0]</c>, <c>x[TensorIndex.None]</c>. Always a view of this tensor.
    /// </summary>
    /// <remarks>
    /// Indices apply left to right as in PyTorch: an integer is a <see cref="Select"/> (the dim goes
    /// away), a range a <see cref="Slice"/> (the dim stays), <c>None</c> an <see cref="Unsqueeze"/>,
    /// and an ellipsis skips the dims not otherwise indexed; so the grad_fn chain is PyTorch's
    /// (<c>SelectBackward0</c>, <c>SliceBackward0</c>, <c>UnsqueezeBackward0</c>, or
    /// <c>AliasBackward0</c> when nothing was indexed). Errors carry PyTorch's texts.
    /// <para>Assigning (<c>x[1..3, 0] = value</c>) copies <c>value</c>, broadcast and converted, into
    /// the indexed view: PyTorch's <c>x[...] = value</c>, an in-place write (Note [In-place ops]).
    /// For a number, use <c>x[...].FillInPlace(n)</c>.</para>
    /// <para>The indexer's metadata name is <c>Items</c> because <see cref="Item{T}"/> is taken.</para>
    /// </remarks>
    [System.Runtime.CompilerServices.IndexerName("Items")]
    public Tensor this[params TensorIndex[] indices]
    {
        get
        {
            if (indices.Length == 1) return IndexSingle(indices[0]);
            int specified = 0;
            foreach (var index in indices)
                if (index.IsSelect || index.IsSliceLike) specified++;
            if (specified > Dim)
                throw new IndexOutOfRangeException($"too many indices for tensor of dimension {Dim}");
            var result = this;
            int dim = 0;
            for (int i = 0; i < indices.Length; i++)
            {
                var index = indices[i];
                switch (index.Kind)
                {
                    case TensorIndex.IndexKind.Ellipsis:
                        dim += Dim - specified;
                        break;
                    case TensorIndex.IndexKind.None:
                        result = result.Unsqueeze(dim++);
                        break;
                    case TensorIndex.IndexKind.Integer or TensorIndex.IndexKind.FromEnd:
                        result = result.IndexSelectDim(dim, index, realDim: i);
                        break;
                    default:
                        result = result.IndexSliceDim(dim++, index);
                        break;
                }
            }
            return ReferenceEquals(result, this) ? Alias() : result;
        }
        set => this[indices].CopyInPlace(value);
    }

    /// <summary>Python's fast paths for a lone index: <c>x[i]</c>, <c>x[a:b]</c>, <c>x[None]</c>, <c>x[...]</c>.</summary>
    private Tensor IndexSingle(TensorIndex index) => index.Kind switch
    {
        TensorIndex.IndexKind.Ellipsis => Alias(),
        TensorIndex.IndexKind.None => Unsqueeze(0),
        TensorIndex.IndexKind.Integer or TensorIndex.IndexKind.FromEnd => IndexSelectDim(0, index, realDim: 0),
        _ => IndexSliceDim(0, index),
    };

    /// <summary>An integer index at <paramref name="dim"/>, with PyTorch's indexing error texts.</summary>
    private Tensor IndexSelectDim(int dim, TensorIndex index, int realDim)
    {
        int size = Dim == 0 ? 0 : Sizes[ShapeUtil.WrapDim(dim, Dim)];
        int i = index.PythonInteger(size);
        if (Dim == 0 && i == 0)
            throw new IndexOutOfRangeException(
                "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number");
        if (i < -size || i >= size)
            throw new IndexOutOfRangeException($"index {i} is out of bounds for dimension {realDim} with size {size}");
        return Select(dim, i);
    }

    /// <summary>A range or slice index at <paramref name="dim"/>.</summary>
    private Tensor IndexSliceDim(int dim, TensorIndex index)
    {
        if (index.Kind == TensorIndex.IndexKind.Slice)
        {
            if (index.Step == 0) throw new ArgumentException("slice step cannot be zero");
            if (index.Step < 0) throw new ArgumentException("step must be greater than zero");
            return Slice(dim, index.Start, index.Stop, index.Step);
        }
        if (Dim == 0) return Slice(dim); // throws PyTorch's 0-dim error
        int size = Sizes[ShapeUtil.WrapDim(dim, Dim)];
        var range = index.RangeValue;
        // System.Index from the end resolves against the size; clamping to [0, size] is Slice's.
        int start = Math.Max(range.Start.IsFromEnd ? size - range.Start.Value : range.Start.Value, 0);
        int end = Math.Max(range.End.IsFromEnd ? size - range.End.Value : range.End.Value, 0);
        return Slice(dim, start, end);
    }

    /// <summary>A view with the same geometry, PyTorch's <c>alias</c> (what <c>x[...]</c> returns).</summary>
    internal Tensor Alias() => View(Offset, Sizes, Strides, static () => new AliasBackward0());
}

internal sealed class AliasBackward0 : SingleOutputNode
{
    public override string Name => "AliasBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [grad];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.Alias();
}
