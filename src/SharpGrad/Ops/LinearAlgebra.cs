using System.Numerics;
using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// The matrix product <c>out[i, j] = sum_k this[i, k] * mat2[k, j]</c> of two 2-D tensors of the
    /// same dtype, <c>torch.mm</c>. No broadcasting (see <see cref="Matmul"/>).
    /// </summary>
    public Tensor Mm(Tensor mat2)
    {
        using var scope = Profiler.Op("aten::mm", this, mat2);
        if (Dim != 2) throw new InvalidOperationException("self must be a matrix");
        if (mat2.Dim != 2) throw new InvalidOperationException("mat2 must be a matrix");
        if (Sizes[1] != mat2.Sizes[0])
            throw new InvalidOperationException(
                $"mat1 and mat2 shapes cannot be multiplied ({Sizes[0]}x{Sizes[1]} and {mat2.Sizes[0]}x{mat2.Sizes[1]})");
        CheckGemmDTypes(mat2, "addmm_impl_cpu_");
        var result = GemmKernel(this, mat2, 1, Sizes[0], mat2.Sizes[1], Sizes[1],
            (0, Strides[0], Strides[1]), (0, mat2.Strides[0], mat2.Strides[1]), [Sizes[0], mat2.Sizes[1]]);
        if (Graph.NeedsGrad(this, mat2))
        {
            var node = new MmBackward0();
            node.Init(this, mat2);
            Graph.Record(node, result, this, mat2);
        }
        return result;
    }

    /// <summary>
    /// The batched matrix product <c>out[b] = this[b] @ mat2[b]</c> of two 3-D tensors, <c>torch.bmm</c>.
    /// </summary>
    public Tensor Bmm(Tensor mat2)
    {
        using var scope = Profiler.Op("aten::bmm", this, mat2);
        if (Dim != 3) throw new InvalidOperationException("batch1 must be a 3D tensor");
        if (mat2.Dim != 3) throw new InvalidOperationException("batch2 must be a 3D tensor");
        if (mat2.Sizes[0] != Sizes[0] || mat2.Sizes[1] != Sizes[2])
            throw new InvalidOperationException(
                $"Expected size for first two dimensions of batch2 tensor to be: [{Sizes[0]}, {Sizes[2]}] but got: [{mat2.Sizes[0]}, {mat2.Sizes[1]}].");
        CheckGemmDTypes(mat2, "bmm");
        var result = GemmKernel(this, mat2, Sizes[0], Sizes[1], mat2.Sizes[2], Sizes[2],
            (Strides[0], Strides[1], Strides[2]), (mat2.Strides[0], mat2.Strides[1], mat2.Strides[2]),
            [Sizes[0], Sizes[1], mat2.Sizes[2]]);
        if (Graph.NeedsGrad(this, mat2))
        {
            var node = new BmmBackward0();
            node.Init(this, mat2);
            Graph.Record(node, result, this, mat2);
        }
        return result;
    }

    /// <summary>The matrix-vector product <c>out[i] = sum_k this[i, k] * vec[k]</c>, <c>torch.mv</c>.</summary>
    public Tensor Mv(Tensor vec)
    {
        using var scope = Profiler.Op("aten::mv", this, vec);
        if (Dim != 2 || vec.Dim != 1)
            throw new InvalidOperationException($"vector + matrix @ vector expected, got 1, {Dim}, {vec.Dim}");
        if (Sizes[1] != vec.Sizes[0])
            throw new InvalidOperationException($"size mismatch, got {Sizes[0]}, {Sizes[0]}x{Sizes[1]},{vec.Sizes[0]}");
        CheckGemmDTypes(vec, "addmv_impl_cpu");
        var result = GemmKernel(this, vec, 1, Sizes[0], 1, Sizes[1],
            (0, Strides[0], Strides[1]), (0, vec.Strides[0], 0), [Sizes[0]]);
        if (Graph.NeedsGrad(this, vec))
        {
            var node = new MvBackward0();
            node.Init(this, vec);
            Graph.Record(node, result, this, vec);
        }
        return result;
    }

    /// <summary>The inner product <c>out = sum_i this[i] * other[i]</c> of two 1-D tensors, <c>torch.dot</c>.</summary>
    public Tensor Dot(Tensor other)
    {
        using var scope = Profiler.Op("aten::dot", this, other);
        if (Dim != 1 || other.Dim != 1)
            throw new InvalidOperationException($"1D tensors expected, but got {Dim}D and {other.Dim}D tensors");
        if (DType != other.DType)
            throw new InvalidOperationException(
                $"dot : expected both vectors to have same dtype, but found {DType.ScalarTypeName()} and {other.DType.ScalarTypeName()}");
        if (Sizes[0] != other.Sizes[0])
            throw new InvalidOperationException(
                $"inconsistent tensor size, expected tensor [{Sizes[0]}] and src [{other.Sizes[0]}] to have the same number of elements, but got {Sizes[0]} and {other.Sizes[0]} elements respectively");
        if (DType == DType.Bool) throw Dispatch.Unsupported("dot", DType);
        var result = GemmKernel(this, other, 1, 1, 1, Sizes[0], (0, 0, Strides[0]), (0, other.Strides[0], 0), []);
        if (Graph.NeedsGrad(this, other))
        {
            var node = new DotBackward0();
            node.Init(this, other);
            Graph.Record(node, result, this, other);
        }
        return result;
    }

    /// <summary>PyTorch's order: Bool is rejected by name before a dtype mismatch is reported.</summary>
    private void CheckGemmDTypes(Tensor other, string kernelName)
    {
        if (DType == DType.Bool) throw Dispatch.Unsupported(kernelName, DType);
        if (other.DType != DType)
            throw new InvalidOperationException(
                $"expected scalar type {DType.ScalarTypeName()} but found {other.DType.ScalarTypeName()}");
    }

    /// <summary>
    /// Runs <see cref="Gemm"/> over <paramref name="batch"/> products of (m x k) by (k x n) operands
    /// given by (batch, row, column) strides, into a new contiguous tensor of <paramref name="outSizes"/>.
    /// </summary>
    private static Tensor GemmKernel(Tensor a, Tensor b, int batch, int m, int n, int k,
        (int Batch, int Row, int Col) aStrides, (int Batch, int Row, int Col) bStrides, int[] outSizes)
    {
        // GEMM overwrites every element of C (zero when k == 0): no need to clear it first.
        var result = AllocateUninitialized(a.DType, outSizes);
        switch (a.DType)
        {
            case DType.Float32: RunGemm<float>(a, b, result, batch, m, n, k, aStrides, bStrides); break;
            case DType.Float64: RunGemm<double>(a, b, result, batch, m, n, k, aStrides, bStrides); break;
            case DType.Int64: RunGemm<long>(a, b, result, batch, m, n, k, aStrides, bStrides); break;
            default: RunGemm<int>(a, b, result, batch, m, n, k, aStrides, bStrides); break;
        }
        return result;
    }

    private static void RunGemm<T>(Tensor a, Tensor b, Tensor c, int batch, int m, int n, int k,
        (int Batch, int Row, int Col) aStrides, (int Batch, int Row, int Col) bStrides) where T : unmanaged, INumber<T>
    {
        // Borrowed, not taken (Note [Storage pool]): GEMM is synchronous and keeps no reference, so
        // the three storages stay reachable to the end and pooled arrays can be recycled afterwards.
        var aData = a.Storage.BorrowArray<T>();
        var bData = b.Storage.BorrowArray<T>();
        var cData = c.Storage.BorrowArray<T>();
        Gemm.RunBatched(batch, m, n, k,
            aData, a.Offset, aStrides.Batch, aStrides.Row, aStrides.Col,
            bData, b.Offset, bStrides.Batch, bStrides.Row, bStrides.Col,
            cData, 0, m * n, n);
        GC.KeepAlive(a.Storage);
        GC.KeepAlive(b.Storage);
        GC.KeepAlive(c.Storage);
    }
}

public static partial class Torch
{
    /// <summary>The matrix product of two 2-D tensors, <c>torch.mm(input, mat2)</c>.</summary>
    public static Tensor Mm(Tensor input, Tensor mat2) => input.Mm(mat2);

    /// <summary>The batched matrix product of two 3-D tensors, <c>torch.bmm(input, mat2)</c>.</summary>
    public static Tensor Bmm(Tensor input, Tensor mat2) => input.Bmm(mat2);

    /// <summary>The matrix-vector product, <c>torch.mv(input, vec)</c>.</summary>
    public static Tensor Mv(Tensor input, Tensor vec) => input.Mv(vec);

    /// <summary>The inner product of two 1-D tensors, <c>torch.dot(input, other)</c>.</summary>
    public static Tensor Dot(Tensor input, Tensor other) => input.Dot(other);
}

/// <summary>
/// A product's gradient needs each operand only for the other's gradient: save what a required
/// gradient uses (as MulBackward0 does).
/// </summary>
internal abstract class ProductBackward : SingleOutputNode
{
    protected SavedTensor? SelfSaved, OtherSaved;

    public void Init(Tensor self, Tensor other)
    {
        if (other.NeedsDerivative) SelfSaved = Save(self);
        if (self.NeedsDerivative) OtherSaved = Save(other);
    }

    /// <summary>The product itself (mm, bmm, mv, dot), which is bilinear.</summary>
    protected abstract Tensor Product(Tensor a, Tensor b);

    // self_t (op) other + self (op) other_t
    internal override Tensor? Jvp(Tensor?[] t) =>
        ForwardGrad.Add(t[0] is { } u ? Product(u, OtherSaved!.Unpack()) : null, t[1] is { } w ? Product(SelfSaved!.Unpack(), w) : null);
}

internal sealed class MmBackward0 : ProductBackward
{
    public override string Name => "MmBackward0";
    protected override Tensor Product(Tensor a, Tensor b) => a.Mm(b);

    // self: grad @ mat2^T;  mat2: self^T @ grad
    protected override Tensor?[] Backward(Tensor grad) =>
        [OtherSaved is null ? null : grad.Mm(OtherSaved.Unpack().Transpose()),
         SelfSaved is null ? null : SelfSaved.Unpack().Transpose().Mm(grad)];
}

internal sealed class BmmBackward0 : ProductBackward
{
    public override string Name => "BmmBackward0";
    protected override Tensor Product(Tensor a, Tensor b) => a.Bmm(b);

    // self: grad.bmm(mat2.transpose(1, 2));  mat2: self.transpose(1, 2).bmm(grad)
    protected override Tensor?[] Backward(Tensor grad) =>
        [OtherSaved is null ? null : grad.Bmm(OtherSaved.Unpack().Transpose(1, 2)),
         SelfSaved is null ? null : SelfSaved.Unpack().Transpose(1, 2).Bmm(grad)];
}

internal sealed class MvBackward0 : ProductBackward
{
    public override string Name => "MvBackward0";
    protected override Tensor Product(Tensor a, Tensor b) => a.Mv(b);

    // self: outer(grad, vec) = grad.reshape(n, 1) * vec;  vec: self^T @ grad
    protected override Tensor?[] Backward(Tensor grad) =>
        [OtherSaved is null ? null : grad.Reshape(grad.Sizes[0], 1) * OtherSaved.Unpack(),
         SelfSaved is null ? null : SelfSaved.Unpack().Transpose().Mv(grad)];
}

internal sealed class DotBackward0 : ProductBackward
{
    public override string Name => "DotBackward0";
    protected override Tensor Product(Tensor a, Tensor b) => a.Dot(b);

    // self: grad * other;  other: grad * self
    protected override Tensor?[] Backward(Tensor grad) =>
        [OtherSaved is null ? null : grad * OtherSaved.Unpack(),
         SelfSaved is null ? null : grad * SelfSaved.Unpack()];
}
