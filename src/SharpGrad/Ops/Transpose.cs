using SharpGrad.Autograd;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// <c>out[..., j, ..., i, ...] = this[..., i, ..., j, ...]</c>: a view with two dims swapped,
    /// <c>tensor.transpose(dim0, dim1)</c>. Negative dims count from the end.
    /// </summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        using var scope = Profiler.Op("aten::transpose", this);
        int d0 = ShapeUtil.WrapDim(dim0, Dim), d1 = ShapeUtil.WrapDim(dim1, Dim);
        var sizes = (int[])Sizes.Clone();
        var strides = (int[])Strides.Clone();
        if (Dim > 0)
        {
            (sizes[d0], sizes[d1]) = (sizes[d1], sizes[d0]);
            (strides[d0], strides[d1]) = (strides[d1], strides[d0]);
        }
        return View(Offset, sizes, strides, () => new TransposeBackward0(d0, d1));
    }

    /// <summary>
    /// <c>out[i, j] = this[j, i]</c> for matrices: a view transposing a tensor of at most 2 dims,
    /// PyTorch's <c>tensor.t()</c> (node <c>TBackward0</c>); 0-D and 1-D tensors come back as views
    /// of themselves. Also available as <see cref="Torch.Transpose(Tensor)"/>.
    /// </summary>
    /// <remarks>
    /// C# cannot have both a method <c>T()</c> and the property <see cref="T"/>, so PyTorch's
    /// <c>t()</c> is this argument-free overload of <c>Transpose</c>.
    /// </remarks>
    public Tensor Transpose()
    {
        using var scope = Profiler.Op("aten::t", this);
        if (Dim > 2)
            throw new InvalidOperationException($"t() expects a tensor with <= 2 dimensions, but self is {Dim}D");
        if (Dim < 2) return View(Offset, Sizes, Strides, () => new TBackward0());
        return View(Offset, [Sizes[1], Sizes[0]], [Strides[1], Strides[0]], () => new TBackward0());
    }

    /// <summary>
    /// <c>out[i_{n-1}, ..., i_0] = this[i_0, ..., i_{n-1}]</c>: a view with all dims reversed, PyTorch's
    /// <c>tensor.T</c> (a permute, node <c>PermuteBackward0</c>).
    /// </summary>
    /// <remarks>
    /// As in PyTorch 1.13, using it on a tensor that is neither 2-D nor 0-D writes a deprecation
    /// warning (once per process) to <see cref="Torch.WarningSink"/>.
    /// </remarks>
    public Tensor T
    {
        get
        {
            using var scope = Profiler.Op("aten::numpy_T", this);
            if (Dim != 2 && Dim != 0) TransposeWarnings.NonMatrixT();
            var dims = new int[Dim];
            for (int i = 0; i < Dim; i++) dims[i] = Dim - 1 - i;
            return Permute(dims);
        }
    }

    /// <summary>
    /// <c>out[..., j, i] = this[..., i, j]</c>: a view transposing the last two dims (a batch of
    /// matrices), PyTorch's <c>tensor.mT</c>. Errors for 1-D tensors; a 0-D tensor is returned as is.
    /// </summary>
    public Tensor mT
    {
        get
        {
            using var scope = Profiler.Op("aten::mT", this);
            if (Dim == 0) return this; // PyTorch 1.13 returns the 0-D tensor itself
            if (Dim < 2)
                throw new InvalidOperationException(
                    $"tensor.mT is only supported on matrices or batches of matrices. Got {Dim}-D tensor.");
            return Transpose(-2, -1);
        }
    }

    /// <summary>
    /// <c>out[i_{dims[0]}, ..., i_{dims[n-1]}] = this[i_0, ..., i_{n-1}]</c>: a view with the dims
    /// reordered, <c>tensor.permute(dims)</c>. <c>out.size(k) == this.size(dims[k])</c>.
    /// </summary>
    public Tensor Permute(params int[] dims)
    {
        using var scope = Profiler.Op("aten::permute", this);
        if (dims.Length != Dim)
            throw new InvalidOperationException(
                $"permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = {Dim} is not equal to len(dims) = {dims.Length}");
        var wrapped = new int[Dim];
        var seen = new bool[Dim];
        var sizes = new int[Dim];
        var strides = new int[Dim];
        for (int i = 0; i < Dim; i++)
        {
            int d = ShapeUtil.WrapDim(dims[i], Dim);
            if (seen[d]) throw new InvalidOperationException("permute(): duplicate dims are not allowed.");
            seen[d] = true;
            wrapped[i] = d;
            sizes[i] = Sizes[d];
            strides[i] = Strides[d];
        }
        return View(Offset, sizes, strides, () => new PermuteBackward0(wrapped));
    }
}

public static partial class Torch
{
    /// <summary>A view with two dims swapped, <c>torch.transpose(input, dim0, dim1)</c>.</summary>
    public static Tensor Transpose(Tensor input, int dim0, int dim1) => input.Transpose(dim0, dim1);

    /// <summary>The transpose of a tensor of at most 2 dims, <c>torch.t(input)</c> (see <see cref="Tensor.Transpose()"/>).</summary>
    /// <remarks>Not named <c>T</c>: a method <c>Torch.T</c> would hide the <c>T</c> alias for Tensor used in this class's files.</remarks>
    public static Tensor Transpose(Tensor input) => input.Transpose();

    /// <summary>A view with the dims reordered, <c>torch.permute(input, dims)</c>.</summary>
    public static Tensor Permute(Tensor input, params int[] dims) => input.Permute(dims);
}

internal static class TransposeWarnings
{
    internal const string NonMatrixTText =
        "UserWarning: The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated and it will throw an error in a future release. " +
        "Consider `x.mT` to transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor.";

    private static int s_warned;

    public static void NonMatrixT()
    {
        if (Interlocked.Exchange(ref s_warned, 1) == 0) Torch.WarningSink(NonMatrixTText);
    }

    /// <summary>Lets the warning fire again (for tests).</summary>
    internal static void Reset() => s_warned = 0;
}

internal sealed class TransposeBackward0(int dim0, int dim1) : SingleOutputNode
{
    public override string Name => "TransposeBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [grad.Transpose(dim0, dim1)];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.Transpose(dim0, dim1);
}

internal sealed class TBackward0 : SingleOutputNode
{
    public override string Name => "TBackward0";
    protected override Tensor?[] Backward(Tensor grad) => [grad.Transpose()];
    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.Transpose();
}

internal sealed class PermuteBackward0(int[] dims) : SingleOutputNode
{
    public override string Name => "PermuteBackward0";

    // self: grad.permute(inverse of dims)
    protected override Tensor?[] Backward(Tensor grad)
    {
        var inverse = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++) inverse[dims[i]] = i;
        return [grad.Permute(inverse)];
    }

    internal override Tensor? Jvp(Tensor?[] t) => t[0]!.Permute(dims);
}
