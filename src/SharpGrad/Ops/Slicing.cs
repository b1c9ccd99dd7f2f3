using SharpGrad.Autograd;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// <c>out[..., ...] = this[..., index, ...]</c>: the view at <paramref name="index"/> along
    /// <paramref name="dim"/>, which is removed, <c>tensor.select(dim, index)</c>. A negative index
    /// counts from the end.
    /// </summary>
    public Tensor Select(int dim, int index)
    {
        using var scope = Profiler.Op("aten::select", this);
        if (Dim == 0) throw new IndexOutOfRangeException("select() cannot be applied to a 0-dim tensor.");
        int d = ShapeUtil.WrapDim(dim, Dim);
        int size = Sizes[d];
        if (index < -size || index >= size)
            throw new IndexOutOfRangeException(
                $"select(): index {index} out of range for tensor of size {ShapeUtil.Format(Sizes)} at dimension {d}");
        int i = index < 0 ? index + size : index;
        int[] sizes = [.. Sizes[..d], .. Sizes[(d + 1)..]];
        int[] strides = [.. Strides[..d], .. Strides[(d + 1)..]];
        var original = Sizes;
        return View(Offset + i * Strides[d], sizes, strides, () => new SelectBackward0(original, d, i));
    }

    /// <summary>
    /// <c>out[..., i, ...] = this[..., start + i, ...]</c> for <c>0 &lt;= i &lt; length</c>: a view of
    /// <paramref name="length"/> elements along <paramref name="dim"/>, <c>tensor.narrow(dim, start, length)</c>.
    /// A negative start counts from the end.
    /// </summary>
    public Tensor Narrow(int dim, int start, int length)
    {
        using var scope = Profiler.Op("aten::narrow", this);
        if (Dim == 0) throw new InvalidOperationException("narrow() cannot be applied to a 0-dim tensor.");
        int d = ShapeUtil.WrapDim(dim, Dim);
        int size = Sizes[d];
        // start == size is a valid (empty) start, though not a valid wrapped index.
        if (start != size) start = ShapeUtil.WrapDim(start, size);
        if (length < 0 || start > size - length)
            throw new InvalidOperationException($"start ({start}) + length ({length}) exceeds dimension size ({size}).");
        return Slice(d, start, start + length);
    }

    /// <summary>
    /// <c>out[..., i, ...] = this[..., start + i * step, ...]</c>: the view of Python's
    /// <c>tensor[..., start:end:step]</c> along <paramref name="dim"/> (PyTorch's <c>aten::slice</c>).
    /// Negative bounds count from the end; bounds are clamped to the size; step must be positive.
    /// </summary>
    public Tensor Slice(int dim, int? start = null, int? end = null, int step = 1)
    {
        using var scope = Profiler.Op("aten::slice", this);
        if (Dim == 0) throw new IndexOutOfRangeException("slice() cannot be applied to a 0-dim tensor.");
        int d = ShapeUtil.WrapDim(dim, Dim);
        if (step <= 0) throw new InvalidOperationException("slice step must be positive");
        long size = Sizes[d];
        long s = start ?? 0, e = end ?? long.MaxValue;
        if (s < 0) s += size;
        if (e < 0) e += size;
        s = Math.Clamp(s, 0, size);
        e = Math.Clamp(e, s, size);
        int count = (int)((e - s + step - 1) / step);
        var sizes = (int[])Sizes.Clone();
        var strides = (int[])Strides.Clone();
        sizes[d] = count;
        strides[d] = Strides[d] * step;
        var original = Sizes;
        int first = (int)s;
        return View(Offset + first * Strides[d], sizes, strides, () => new SliceBackward0(original, d, first, step));
    }

    /// <summary>
    /// <c>out[i_0, ..., i_{n-1}] = storage[storageOffset + sum_k i_k * strides[k]]</c>: a view with any
    /// geometry over this tensor's storage, <c>tensor.as_strided(size, stride, storage_offset)</c>. The
    /// offset is absolute in the storage and defaults to this tensor's; elements may overlap.
    /// </summary>
    public Tensor AsStrided(int[] size, int[] stride, int? storageOffset = null)
    {
        using var scope = Profiler.Op("aten::as_strided", this);
        if (size.Length != stride.Length) throw new InvalidOperationException("mismatch in length of strides and shape");
        foreach (int st in stride)
            if (st < 0)
                throw new InvalidOperationException(
                    $"as_strided: Negative strides are not supported at the moment, got strides: {ShapeUtil.Format(stride)}");
        int offset = storageOffset ?? Offset;
        if (offset < 0) throw new InvalidOperationException($"Tensor: invalid storage offset {offset}");
        foreach (int sz in size)
            if (sz < 0)
                throw new InvalidOperationException(
                    $"Storage size calculation overflowed with sizes={ShapeUtil.Format(size)} and strides={ShapeUtil.Format(stride)}");
        if (AsStridedGeometry.Extent(size, stride, offset) is { } last)
        {
            long itemSize = DType.ItemSize();
            long required = (last + 1) * itemSize, available = Storage.Length * itemSize;
            if (required > available)
                throw new InvalidOperationException(
                    $"setStorage: sizes {ShapeUtil.Format(size)}, strides {ShapeUtil.Format(stride)}, storage offset {offset}, and itemsize {itemSize} requiring a storage size of {required} are out of bounds for storage of size {available}");
        }
        var input = new AsStridedGeometry(Sizes, Strides, Offset);
        var output = new AsStridedGeometry((int[])size.Clone(), (int[])stride.Clone(), offset);
        return View(offset, output.Sizes, output.Strides, () => new AsStridedBackward0(input, output));
    }
}

public static partial class Torch
{
    /// <summary>The view at <paramref name="index"/> along <paramref name="dim"/>, <c>torch.select(input, dim, index)</c>.</summary>
    public static Tensor Select(Tensor input, int dim, int index) => input.Select(dim, index);

    /// <summary>A view of <paramref name="length"/> elements from <paramref name="start"/> along <paramref name="dim"/>, <c>torch.narrow</c>.</summary>
    public static Tensor Narrow(Tensor input, int dim, int start, int length) => input.Narrow(dim, start, length);

    /// <summary>A view with any geometry over <paramref name="input"/>'s storage, <c>torch.as_strided</c>.</summary>
    public static Tensor AsStrided(Tensor input, int[] size, int[] stride, int? storageOffset = null) =>
        input.AsStrided(size, stride, storageOffset);
}

internal static class ItemSizes
{
    /// <summary>Bytes per element, PyTorch's <c>itemsize</c> (used in its error texts).</summary>
    public static int ItemSize(this DType dtype) => dtype switch
    {
        DType.Float64 or DType.Int64 => 8,
        DType.Bool => 1,
        _ => 4,
    };
}

internal sealed class SelectBackward0(int[] selfSizes, int dim, int index) : SingleOutputNode
{
    public override string Name => "SelectBackward0";

    // self: select_backward(grad, sizes, dim, index): grad scattered into zeros at index
    protected override Tensor?[] Backward(Tensor grad)
    {
        var index1 = Torch.Tensor(new long[] { index });
        return [Torch.Zeros(selfSizes, grad.DType).IndexAdd(dim, index1, grad.Unsqueeze(dim))];
    }

    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.Select(dim, index);
}

internal sealed class SliceBackward0(int[] selfSizes, int dim, int start, int step) : SingleOutputNode
{
    public override string Name => "SliceBackward0";

    // self: slice_backward(grad, sizes, dim, start, end, step): grad scattered into zeros at start, start+step, ...
    protected override Tensor?[] Backward(Tensor grad)
    {
        int count = grad.Sizes[dim];
        var positions = new long[count];
        for (int i = 0; i < count; i++) positions[i] = start + (long)i * step;
        return [Torch.Zeros(selfSizes, grad.DType).IndexAdd(dim, Torch.Tensor(positions), grad)];
    }

    internal override Tensor? Jvp(Tensor?[] t) =>
        t[0]!.Slice(dim, start, start + (OutputSizes[dim] - 1) * step + 1, step);
}
