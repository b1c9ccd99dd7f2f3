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
    private Node? _fn;

    private CopySlices(Tensor @base, Tensor view, Node fn)
    {
        _baseOffset = @base.Offset;
        _baseSizes = @base.Sizes;
        _baseStrides = @base.Strides;
        _viewOffset = view.Offset;
        _viewSizes = view.Sizes;
        _viewStrides = view.Strides;
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
    /// <remarks>
    /// Written in Tensor ops (index_select / index_add over the base's flat logical order), so it
    /// is itself differentiable: double backward through in-place writes into views works.
    /// </remarks>
    protected internal override Tensor?[] Apply(Tensor?[] gradOutputs)
    {
        var fn = _fn ?? throw new InvalidOperationException(SavedTensor.FreedMessage);
        var grad = gradOutputs[0]!;
        var positions = _positions ??= ViewPositionsInBase();
        var index = Tensor.FromSpan<long>(positions, [positions.Length], DType.Int64, false);
        var flat = grad.Reshape(-1);
        var sliceGrad = flat.IndexSelect(0, index).Reshape(_viewSizes);
        var fnGrads = fn.Apply([sliceGrad]);
        // The gradient for the old base: unchanged outside the view, the op's input gradient inside.
        var keep = Torch.OnesLike(flat);
        keep.IndexFillRaw(positions, 0);
        var result = flat * keep;
        if (fnGrads[0] is { } g0)
            result = result + Torch.ZerosLike(flat).IndexAdd(0, index, g0.SumToSize(_viewSizes).Reshape(-1));
        var outputs = new Tensor?[NextEdges.Length];
        outputs[0] = result.Reshape(_baseSizes);
        for (int i = 1; i < outputs.Length; i++) outputs[i] = fnGrads[i];
        return outputs;
    }

    private long[]? _positions;

    /// <summary>For each view element (row-major), the row-major index of the base element it aliases.</summary>
    private long[] ViewPositionsInBase()
    {
        var byStorage = new Dictionary<long, long>();
        var baseGeometry = new AsStridedGeometry(_baseSizes, _baseStrides, _baseOffset);
        var basePositions = baseGeometry.Positions(0);
        for (int i = 0; i < basePositions.Length; i++) byStorage.TryAdd(basePositions[i], i);
        var viewPositions = new AsStridedGeometry(_viewSizes, _viewStrides, _viewOffset).Positions(0);
        var result = new long[viewPositions.Length];
        for (int i = 0; i < result.Length; i++)
            result[i] = byStorage.TryGetValue(viewPositions[i], out long p) ? p
                : throw new InvalidOperationException("CopySlices: the view reaches memory outside its base");
        return result;
    }

    internal override void ReleaseVariables()
    {
        _fn?.ReleaseVariables();
        _fn = null;
    }
}
