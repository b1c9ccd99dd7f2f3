using System.Runtime.CompilerServices;

namespace SharpGrad.Autograd;

/// <summary>
/// An edge of the backward graph: the node that receives a gradient, and which of its inputs
/// (which output of the forward op) it arrives at. <see cref="Function"/> is null for inputs that
/// need no gradient.
/// </summary>
public readonly record struct Edge(Node? Function, int InputNr)
{
    /// <summary>True when a gradient flows along this edge.</summary>
    public bool IsValid => Function is not null;
}

/// <summary>Shape and dtype of one forward output: what the gradient arriving for it must look like.</summary>
internal readonly record struct InputMetadata(int[] Sizes, DType DType);

/// <summary>
/// A node of the backward graph, PyTorch's <c>torch.autograd.graph.Node</c> (what <c>grad_fn</c> holds).
/// </summary>
/// <remarks>
/// A node maps the gradients of its forward op's outputs to the gradients of the op's inputs.
/// Backward formulas are written in Tensor ops, never raw kernels, so that running them with
/// grad mode on records a graph of the backward pass itself (double backward).
/// </remarks>
public abstract partial class Node
{
    // Note [Cheap nodes]: recording a node allocates the node and its edge array, nothing more
    // for the common single-output node: the output's shape and dtype are kept inline (sharing
    // the result's Sizes array, Note [Shared shape arrays]) and up to two saved tensors need no
    // list. The engine keeps its per-run bookkeeping (dependency count, gradients) on the node
    // while it owns the node for a run (Note [Engine state]).
    private static long s_nextSequenceNr;
    private SavedTensor? _saved0, _saved1;
    private List<SavedTensor>? _savedMore;
    internal Edge[] NextEdges = [];
    private InputMetadata _meta0;          // forward output 0
    private InputMetadata[]? _metaMany;    // all outputs, for multi-output nodes
    private int _metaCount;
    internal List<(Tensor Tensor, int OutputNr)>? RetainedGrads;

    /// <summary>The shape and dtype of each forward output (a new array for single-output nodes; the engine uses <see cref="GetInputMeta"/>).</summary>
    internal InputMetadata[] InputMeta
    {
        get
        {
            if (_metaMany is { } many) return many;
            return _metaCount == 0 ? [] : [_meta0];
        }
        set
        {
            _metaMany = value.Length > 1 ? value : null;
            _meta0 = value.Length > 0 ? value[0] : default;
            _metaCount = value.Length;
        }
    }

    /// <summary>Makes this node's only forward output have <paramref name="sizes"/> and <paramref name="dtype"/>.</summary>
    internal void SetSingleInputMeta(int[] sizes, DType dtype)
    {
        _meta0 = new InputMetadata(sizes, dtype);
        _metaMany = null;
        _metaCount = 1;
    }

    /// <summary>The number of gradients this node receives (forward outputs).</summary>
    internal int InputCount => _metaCount;

    /// <summary>The shape and dtype expected of gradient <paramref name="i"/>.</summary>
    internal InputMetadata GetInputMeta(int i) => _metaMany is { } many ? many[i] : _meta0;

    // Engine state while a run owns this node (Note [Engine state]).
    internal long EngineOwner;
    internal int EngineDependencies;
    internal Tensor? EngineGrad;
    internal Tensor?[]? EngineBuffer;
    /// <summary>Whether <see cref="EngineGrad"/> is held by nothing but the engine (Note [Stolen gradients]).</summary>
    internal bool EngineGradOwned;

    /// <summary>Creates a node with the next sequence number (the engine runs later nodes first).</summary>
    protected Node() => SequenceNr = Interlocked.Increment(ref s_nextSequenceNr);

    /// <summary>PyTorch's class name for this node, such as <c>MulBackward0</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Creation order; among ready nodes the engine runs the highest first.</summary>
    public long SequenceNr { get; internal set; }

    /// <summary>
    /// The nodes this one sends gradients to, with the input number at each, <c>grad_fn.next_functions</c>.
    /// Inputs that need no gradient appear as <c>(null, 0)</c>.
    /// </summary>
    public IReadOnlyList<(Node? Function, int InputNr)> NextFunctions =>
        Array.ConvertAll(NextEdges, e => (e.Function, e.InputNr));

    /// <summary>The number of forward outputs, i.e. of gradients this node receives.</summary>
    public int NumInputs => _metaCount;

    /// <summary>PyTorch's repr: <c>&lt;MulBackward0 object at 0x...&gt;</c>.</summary>
    public override string ToString() => $"<{Name} object at 0x{Address:x12}>";

    private long Address => 0x7f0000000000L + (RuntimeHelpers.GetHashCode(this) & 0x7fffffffL) * 16;

    /// <summary>Computes the input gradients from the output gradients (one entry per next edge).</summary>
    protected internal abstract Tensor?[] Apply(Tensor?[] gradOutputs);

    /// <summary>
    /// The forward-mode rule (Note [Forward AD]): the tangent of the forward output from the tangents
    /// of the forward inputs (one per next edge; null means zero), in Tensor ops. May return a tangent
    /// in the broadcast shape, or null for zero. Defaults to the generic double-backward rule.
    /// </summary>
    internal virtual Tensor? Jvp(Tensor?[] tangents) => ForwardGrad.Fallback(this, tangents)[0];

    /// <summary>The forward-mode rule of a node with several outputs: one tangent per output.</summary>
    internal virtual Tensor?[] JvpMany(Tensor?[] tangents) => ForwardGrad.Fallback(this, tangents);

    /// <summary>The shape of forward output 0 (what a Jvp rule's result must broadcast to).</summary>
    internal int[] OutputSizes => InputMeta[0].Sizes;

    /// <summary>Whether gradients that did not arrive are passed as zeros (custom functions may opt out).</summary>
    internal virtual bool MaterializeGrads => true;

    /// <summary>The C# stack trace of the forward call that created this node, kept in anomaly mode.</summary>
    internal string? ForwardStackTrace;

    /// <summary>Registers a tensor saved for backward; released after backward unless the graph is retained.</summary>
    internal SavedTensor Save(Tensor tensor, bool isOutput = false)
    {
        var saved = new SavedTensor(tensor, isOutput, this);
        if (_saved0 is null) _saved0 = saved;
        else if (_saved1 is null) _saved1 = saved;
        else (_savedMore ??= []).Add(saved);
        return saved;
    }

    /// <summary>The tensors saved for backward, in the order they were saved (for graph pictures).</summary>
    internal IReadOnlyList<SavedTensor> SavedTensors
    {
        get
        {
            var list = new List<SavedTensor>();
            if (_saved0 is not null) list.Add(_saved0);
            if (_saved1 is not null) list.Add(_saved1);
            if (_savedMore is not null) list.AddRange(_savedMore);
            return list;
        }
    }

    /// <summary>Frees saved tensors: PyTorch's <c>release_variables</c>.</summary>
    internal virtual void ReleaseVariables()
    {
        _saved0?.Release();
        _saved1?.Release();
        if (_savedMore is null) return;
        foreach (var s in _savedMore) s.Release();
    }
}

/// <summary>A node for an op with one output, the common case.</summary>
internal abstract class SingleOutputNode : Node
{
    protected internal sealed override Tensor?[] Apply(Tensor?[] gradOutputs) => Backward(gradOutputs[0]!);

    /// <summary><see cref="Apply"/> without the array around the one gradient (for the engine).</summary>
    internal Tensor?[] ApplySingle(Tensor grad) => Backward(grad);

    /// <summary>Input gradients from the gradient of the single output.</summary>
    protected abstract Tensor?[] Backward(Tensor grad);
}
