using SharpGrad.Kernels;

namespace SharpGrad.Autograd;

/// <summary>
/// The grad_fn a base tensor gets when one of its views is modified in place: PyTorch's
/// <c>CopySlices</c>. It routes the part of the gradient that falls on the view through the
/// in-place op's own node, and the rest straight to the base's previous history.
/// </summary>
/// <remarks>
/// Edges: 0 is the base's previous history; 1.. are the in-place op's other inputs. The op node's
/// own edge 0 (to the view's old history) is bypassed, because the old view values came from the
/// old base values, which edge 0 here already covers.
/// </remarks>
public sealed class CopySlices : Node
{
    private readonly int _baseOffset;
    private readonly int[] _baseSizes, _baseStrides;
    private readonly int _viewOffset;
    private readonly int[] _viewSizes, _viewStrides;
    private readonly int _storageLength;
    private Node? _fn;

    private CopySlices(Tensor @base, Tensor view, Node fn)
    {
        _baseOffset = @base.Offset;
        _baseSizes = @base.Sizes;
        _baseStrides = @base.Strides;
        _viewOffset = view.Offset;
        _viewSizes = view.Sizes;
        _viewStrides = view.Strides;
        _storageLength = @base.Storage.Length;
        _fn = fn;
    }

    /// <inheritdoc/>
    public override string Name => "CopySlices";

    /// <summary>
    /// Makes <paramref name="base"/>'s grad_fn a CopySlices over the in-place node <paramref name="fn"/>
    /// applied to <paramref name="view"/>, then regenerates the view's grad_fn from the base.
    /// </summary>
    internal static void Rebase(Tensor @base, Tensor view, Node fn)
    {
        var node = new CopySlices(@base, view, fn);
        var edges = new Edge[fn.NextEdges.Length];
        edges[0] = @base.GradientEdge();
        for (int i = 1; i < edges.Length; i++) edges[i] = fn.NextEdges[i];
        node.NextEdges = edges;
        node.InputMeta = [new InputMetadata(@base.Sizes, @base.DType)];
        @base.SetGradFn(node, 0);
        view.RegenerateViewGradFn();
    }

    /// <inheritdoc/>
    protected internal override Tensor?[] Apply(Tensor?[] gradOutputs)
    {
        if (GradMode.IsEnabled)
            throw new NotSupportedException(
                "SharpGrad does not yet support double backward (createGraph) through an in-place write into a view (CopySlices).");
        var fn = _fn ?? throw new InvalidOperationException(SavedTensor.FreedMessage);
        var grad = gradOutputs[0]!;
        // The gradient laid out like the base, so the view's geometry addresses its slice.
        var result = new Tensor(Storage.Allocate(grad.DType, _storageLength), _baseOffset, _baseSizes, _baseStrides);
        Elementwise.Copy(grad, result);
        var slice = new Tensor(result.Storage, _viewOffset, _viewSizes, _viewStrides);
        var sliceGrad = Tensor.Allocate(grad.DType, _viewSizes);
        Elementwise.Copy(slice, sliceGrad);
        var fnGrads = fn.Apply([sliceGrad]);
        if (fnGrads[0] is { } g0) Elementwise.Copy(g0.SumToSize(_viewSizes), slice);
        else slice.FillRaw(0);
        var outputs = new Tensor?[NextEdges.Length];
        outputs[0] = result;
        for (int i = 1; i < outputs.Length; i++) outputs[i] = fnGrads[i];
        return outputs;
    }

    internal override void ReleaseVariables()
    {
        _fn?.ReleaseVariables();
        _fn = null;
    }
}
