using SharpGrad.Autograd;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// A view with every size-1 dim removed, <c>tensor.squeeze()</c>; the elements are unchanged.
    /// </summary>
    public Tensor Squeeze()
    {
        using var scope = Profiler.Op("aten::squeeze", this);
        var sizes = new List<int>(Dim);
        var strides = new List<int>(Dim);
        for (int d = 0; d < Dim; d++)
        {
            if (Sizes[d] == 1) continue;
            sizes.Add(Sizes[d]);
            strides.Add(Strides[d]);
        }
        var original = Sizes;
        return View(Offset, sizes.ToArray(), strides.ToArray(), () => new SqueezeBackward0(original));
    }

    /// <summary>
    /// A view with <paramref name="dim"/> removed if its size is 1 (otherwise a view of the same
    /// shape), <c>tensor.squeeze(dim)</c>.
    /// </summary>
    public Tensor Squeeze(int dim)
    {
        using var scope = Profiler.Op("aten::squeeze", this);
        var (d, sizes, strides) = SqueezeGeometry(dim);
        var original = Sizes;
        return View(Offset, sizes, strides, () => new SqueezeBackward1(original, d));
    }

    /// <summary>
    /// PyTorch's in-place <c>squeeze_(dim)</c> applied to the fresh result of an op, as matmul does to
    /// drop its temporary dim: the geometry of <see cref="Squeeze(int)"/> over the same storage, but
    /// not a view, since the squeezed tensor takes the place of the fresh one (nothing else holds it);
    /// node <c>SqueezeBackward3</c>. Only for tensors that no caller can see.
    /// </summary>
    internal Tensor SqueezeFreshInPlace(int dim)
    {
        var (d, sizes, strides) = SqueezeGeometry(dim);
        var result = new Tensor(Storage, Offset, sizes, strides, Version);
        if (Graph.NeedsGrad(this)) Graph.Record(new SqueezeBackward3(Sizes, d), result, this);
        return result;
    }

    /// <summary>The wrapped dim and the sizes and strides without it when its size is 1 (else unchanged).</summary>
    private (int Dim, int[] Sizes, int[] Strides) SqueezeGeometry(int dim)
    {
        int d = ShapeUtil.WrapDim(dim, Dim);
        if (Dim == 0 || Sizes[d] != 1) return (d, Sizes, Strides);
        return (d, [.. Sizes[..d], .. Sizes[(d + 1)..]], [.. Strides[..d], .. Strides[(d + 1)..]]);
    }

    /// <summary>
    /// A view with a size-1 dim inserted at <paramref name="dim"/> (in <c>[-Dim-1, Dim]</c>),
    /// <c>tensor.unsqueeze(dim)</c>.
    /// </summary>
    public Tensor Unsqueeze(int dim)
    {
        using var scope = Profiler.Op("aten::unsqueeze", this);
        int d = ShapeUtil.WrapDim(dim, Dim + 1);
        int stride = d >= Dim ? 1 : Sizes[d] * Strides[d];
        int[] sizes = [.. Sizes[..d], 1, .. Sizes[d..]];
        int[] strides = [.. Strides[..d], stride, .. Strides[d..]];
        return View(Offset, sizes, strides, () => new UnsqueezeBackward0(d));
    }

    /// <summary>
    /// The dims <paramref name="startDim"/>..<paramref name="endDim"/> (inclusive) merged into one,
    /// <c>tensor.flatten(start_dim, end_dim)</c>: a <see cref="Reshape"/>, so a view when the strides
    /// allow and a copy otherwise. A 0-D tensor becomes 1-D; when the range is a single dim the
    /// tensor itself is returned.
    /// </summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        using var scope = Profiler.Op("aten::flatten", this);
        int start = ShapeUtil.WrapDim(startDim, Dim), end = ShapeUtil.WrapDim(endDim, Dim);
        if (start > end)
            throw new InvalidOperationException("flatten() has invalid args: start_dim cannot come after end_dim");
        if (Dim == 0) return Reshape(1);
        if (start == end) return this;
        int merged = 1;
        for (int d = start; d <= end; d++) merged *= Sizes[d];
        int[] shape = [.. Sizes[..start], merged, .. Sizes[(end + 1)..]];
        return Reshape(shape);
    }

    /// <summary>Inserts a size-1 dim wherever <paramref name="sizes"/> has one (PyTorch's unsqueeze_to).</summary>
    internal Tensor UnsqueezeTo(int[] sizes)
    {
        var result = this;
        for (int d = 0; d < sizes.Length; d++)
            if (sizes[d] == 1) result = result.Unsqueeze(d);
        return result;
    }
}

public static partial class Torch
{
    /// <summary>A view with every size-1 dim removed, <c>torch.squeeze(input)</c>.</summary>
    public static Tensor Squeeze(Tensor input) => input.Squeeze();

    /// <summary>A view with <paramref name="dim"/> removed if its size is 1, <c>torch.squeeze(input, dim)</c>.</summary>
    public static Tensor Squeeze(Tensor input, int dim) => input.Squeeze(dim);

    /// <summary>A view with a size-1 dim inserted at <paramref name="dim"/>, <c>torch.unsqueeze(input, dim)</c>.</summary>
    public static Tensor Unsqueeze(Tensor input, int dim) => input.Unsqueeze(dim);

    /// <summary>The dims start..end merged into one, <c>torch.flatten(input, start_dim, end_dim)</c>.</summary>
    public static Tensor Flatten(Tensor input, int startDim = 0, int endDim = -1) => input.Flatten(startDim, endDim);
}

internal sealed class SqueezeBackward0(int[] selfSizes) : SingleOutputNode
{
    public override string Name => "SqueezeBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [grad.UnsqueezeTo(selfSizes)];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.Squeeze();
}

/// <summary>The gradient of squeeze(dim) and squeeze_(dim): <c>unsqueeze_to(grad, dim, self.sizes())</c>.</summary>
internal abstract class SqueezeDimBackward(int[] selfSizes, int dim) : SingleOutputNode
{
    protected override Tensor?[] Backward(Tensor grad) =>
        [selfSizes.Length > 0 && selfSizes[dim] == 1 ? grad.Unsqueeze(dim) : grad];

    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.Squeeze(dim);
}

internal sealed class SqueezeBackward1(int[] selfSizes, int dim) : SqueezeDimBackward(selfSizes, dim)
{
    public override string Name => "SqueezeBackward1";
}

/// <summary>The node of the in-place <c>squeeze_(dim)</c> (see <see cref="Tensor.SqueezeFreshInPlace"/>).</summary>
internal sealed class SqueezeBackward3(int[] selfSizes, int dim) : SqueezeDimBackward(selfSizes, dim)
{
    public override string Name => "SqueezeBackward3";
}

internal sealed class UnsqueezeBackward0(int dim) : SingleOutputNode
{
    public override string Name => "UnsqueezeBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [grad.Squeeze(dim)];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.Unsqueeze(dim);
}
