using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad;

public static partial class Torch
{
    /// <summary><c>out = exp(x - max) / sum(exp(x - max))</c> along <paramref name="dim"/>, <c>torch.softmax</c>.</summary>
    public static Tensor Softmax(Tensor input, int dim, DType? dtype = null) => input.Softmax(dim, dtype);

    /// <summary><c>out = x - max - log(sum(exp(x - max)))</c> along <paramref name="dim"/>, <c>torch.log_softmax</c>.</summary>
    public static Tensor LogSoftmax(Tensor input, int dim, DType? dtype = null) => input.LogSoftmax(dim, dtype);

    /// <summary>PyTorch's <c>torch.nn</c> module.</summary>
    public static partial class NN
    {
        /// <summary>PyTorch's <c>torch.nn.functional</c>: stateless activations and losses.</summary>
        public static partial class Functional
        {
            /// <summary>
            /// <c>out = exp(x - max) / sum(exp(x - max))</c> along <paramref name="dim"/>, <c>torch.nn.functional.softmax</c>.
            /// </summary>
            /// <remarks>
            /// Numerically stable (Note [Stable softmax]). With <paramref name="dtype"/> the input is first
            /// converted (<c>ToCopyBackward0</c>), which lets integer tensors be used. Node <c>SoftmaxBackward0</c>.
            /// </remarks>
            public static Tensor Softmax(Tensor input, int dim, DType? dtype = null) => input.Softmax(dim, dtype);

            /// <summary>
            /// <c>out = x - max - log(sum(exp(x - max)))</c> along <paramref name="dim"/>, <c>torch.nn.functional.log_softmax</c>.
            /// </summary>
            /// <remarks>Numerically stable; node <c>LogSoftmaxBackward0</c>. See <see cref="Softmax"/> for <paramref name="dtype"/>.</remarks>
            public static Tensor LogSoftmax(Tensor input, int dim, DType? dtype = null) => input.LogSoftmax(dim, dtype);
        }
    }
}

public sealed partial class Tensor
{
    /// <summary><c>out = exp(x - max) / sum(exp(x - max))</c> along <paramref name="dim"/>, <c>tensor.softmax(dim)</c>.</summary>
    public Tensor Softmax(int dim, DType? dtype = null)
    {
        using var scope = Profiler.Op("aten::softmax", this);
        return SoftmaxImpl(dim, dtype, log: false);
    }

    /// <summary><c>out = x - max - log(sum(exp(x - max)))</c> along <paramref name="dim"/>, <c>tensor.log_softmax(dim)</c>.</summary>
    public Tensor LogSoftmax(int dim, DType? dtype = null)
    {
        using var scope = Profiler.Op("aten::log_softmax", this);
        return SoftmaxImpl(dim, dtype, log: true);
    }

    private Tensor SoftmaxImpl(int dim, DType? dtype, bool log)
    {
        int d = ShapeUtil.WrapDim(dim, Dim);
        var input = dtype is { } dt ? To(dt) : this;
        var result = SoftmaxForward(input, d, log);
        if (Graph.NeedsGrad(input))
        {
            if (log)
            {
                var node = new LogSoftmaxBackward0(d);
                node.Result = node.Save(result, isOutput: true);
                Graph.Record(node, result, input);
            }
            else
            {
                var node = new SoftmaxBackward0(d);
                node.Result = node.Save(result, isOutput: true);
                Graph.Record(node, result, input);
            }
        }
        return result;
    }

    /// <summary>The forward kernel: a fresh contiguous result (Note [Softmax layout]).</summary>
    private static Tensor SoftmaxForward(Tensor input, int dim, bool log)
    {
        var result = Allocate(input.DType, input.Sizes);
        if (input.Numel == 0) return result;
        if (!input.DType.IsFloatingPoint())
        {
            // PyTorch names the kernel that rejects the dtype: the last-dim one (log_ or not) or the
            // general one, which is "softmax_kernel_impl" for log_softmax too.
            bool lastDim = input.Dim == 0 || dim == input.Dim - 1;
            string kernel = lastDim ? (log ? "log_softmax_lastdim_kernel_impl" : "softmax_lastdim_kernel_impl") : "softmax_kernel_impl";
            throw Dispatch.Unsupported(kernel, input.DType);
        }
        int n = input.Dim == 0 ? 1 : input.Sizes[dim], outer = 1, inner = 1;
        for (int i = 0; i < dim; i++) outer *= input.Sizes[i];
        for (int i = dim + 1; i < input.Dim; i++) inner *= input.Sizes[i];
        if (input.DType == DType.Float32)
            SoftmaxKernel.Forward<float>(input.ContiguousData<float>(), result.Storage.As<float>(), outer, n, inner, log);
        else
            SoftmaxKernel.Forward<double>(input.ContiguousData<double>(), result.Storage.As<double>(), outer, n, inner, log);
        return result;
    }
}

internal sealed class SoftmaxBackward0(int dim) : SingleOutputNode
{
    public SavedTensor? Result;
    public override string Name => "SoftmaxBackward0";

    // self: out * (grad - (grad * out).sum(dim, keepdim=True))
    protected override Tensor?[] Backward(Tensor grad)
    {
        var output = Result!.Unpack();
        return [output * (grad - (grad * output).Sum(dim, keepDim: true))];
    }

    // The Jacobian is symmetric: the same formula on the tangent.
    internal override Tensor? Jvp(Tensor?[] t) => Backward(t[0]!)[0];
}

internal sealed class LogSoftmaxBackward0(int dim) : SingleOutputNode
{
    public SavedTensor? Result;
    public override string Name => "LogSoftmaxBackward0";

    // self: grad - exp(out) * grad.sum(dim, keepdim=True)
    protected override Tensor?[] Backward(Tensor grad)
    {
        var output = Result!.Unpack();
        return [grad - output.Exp() * grad.Sum(dim, keepDim: true)];
    }

    // self_t - (exp(result) * self_t).sum(dim, keepdim)
    internal override Tensor? Jvp(Tensor?[] t)
    {
        var u = t[0]!;
        return u - (Result!.Unpack().Exp() * u).Sum(dim, keepDim: true);
    }
}
