using System.Runtime.CompilerServices;
using SharpGrad.Autograd;
using SharpGrad.Profiling;

namespace SharpGrad;

/// <summary>
/// The instrumentation points the library calls: every public op opens an <see cref="Op(string)"/>
/// scope, the engine opens one scope per node it runs, and <c>Tensor.Allocate</c> reports bytes.
/// </summary>
/// <remarks>
/// Note [Profiler off is free]: when no profiler is active every entry point here is one read of
/// the static <see cref="Active"/> field and returns a default <see cref="RecordScope"/> whose
/// Dispose is a null check: no allocation, no clock read, no thread-static access. Everything that
/// costs anything lives in <see cref="ProfilerSession"/> and runs only while a profile is open.
/// Like PyTorch's profiler, an active profile is process-wide: ops on every thread are recorded.
/// </remarks>
internal static class Profiler
{
    /// <summary>The session recording events, or null when no profiler is active.</summary>
    internal static volatile ProfilerSession? Active;

    /// <summary>Opens an op event with no tensor inputs (factories, <c>torch.cat</c> of a list).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RecordScope Op(string name)
    {
        var session = Active;
        return session is null ? default : session.Begin(name, EventScope.Function, -1, session.RecordShapes ? [] : null);
    }

    /// <summary>Opens an op event with one tensor input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RecordScope Op(string name, Tensor? a)
    {
        var session = Active;
        return session is null ? default : session.Begin(name, EventScope.Function, -1, session.RecordShapes ? [ShapeOf(a)] : null);
    }

    /// <summary>Opens an op event with two tensor inputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RecordScope Op(string name, Tensor? a, Tensor? b)
    {
        var session = Active;
        return session is null ? default : session.Begin(name, EventScope.Function, -1, session.RecordShapes ? [ShapeOf(a), ShapeOf(b)] : null);
    }

    /// <summary>Opens an op event with three tensor inputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RecordScope Op(string name, Tensor? a, Tensor? b, Tensor? c)
    {
        var session = Active;
        return session is null ? default : session.Begin(name, EventScope.Function, -1,
            session.RecordShapes ? [ShapeOf(a), ShapeOf(b), ShapeOf(c)] : null);
    }

    /// <summary>Opens an op event whose inputs are a list of tensors (<c>aten::cat</c>, <c>aten::stack</c>, indexing).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RecordScope Op(string name, Tensor? self, IReadOnlyList<Tensor?> tensors)
    {
        var session = Active;
        return session is null ? default : session.Begin(name, EventScope.Function, -1,
            session.RecordShapes ? ShapesOf(self, tensors) : null);
    }

    /// <summary>Opens an op event whose inputs are a tensor, a list of tensors and one more tensor (<c>aten::index_put</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RecordScope Op(string name, Tensor? self, IReadOnlyList<Tensor?> tensors, Tensor? last)
    {
        var session = Active;
        return session is null ? default : session.Begin(name, EventScope.Function, -1,
            session.RecordShapes ? [.. ShapesOf(self, tensors), ShapeOf(last)] : null);
    }

    /// <summary>
    /// Opens the event the engine records around everything it does for one node, PyTorch's
    /// <c>autograd::engine::evaluate_function: MulBackward0</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RecordScope EvaluateFunction(Node node)
    {
        var session = Active;
        return session is null ? default : session.Begin("autograd::engine::evaluate_function: " + NodeName(node),
            EventScope.Function, node.SequenceNr, session.RecordShapes ? [] : null);
    }

    /// <summary>Opens the event of a backward node's own formula (PyTorch's <c>MulBackward0</c> event), shapes of its incoming gradients.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RecordScope Node(Node node, Tensor?[] grads)
    {
        var session = Active;
        return session is null ? default : session.Begin(NodeName(node), EventScope.BackwardFunction, node.SequenceNr,
            session.RecordShapes ? ShapesOf(null, grads) : null);
    }

    /// <summary>Reports a fresh tensor of <paramref name="sizes"/> elements of <paramref name="dtype"/> (Tensor.Allocate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Allocated(DType dtype, int[] sizes)
    {
        var session = Active;
        if (session is not null && session.ProfileMemory) session.Allocated((long)ShapeUtil.Numel(sizes) * dtype.ItemSize());
    }

    /// <summary>
    /// The name PyTorch's profiler shows for a node: its class name, with the C++ namespace for the
    /// engine's own nodes (<c>torch::autograd::AccumulateGrad</c>).
    /// </summary>
    internal static string NodeName(Node node) => node switch
    {
        AccumulateGrad or CopySlices or DelayedError => "torch::autograd::" + node.Name,
        _ => node.Name,
    };

    private static int[] ShapeOf(Tensor? t) => t is null ? [] : (int[])t.Sizes.Clone();

    private static int[][] ShapesOf(Tensor? self, IReadOnlyList<Tensor?> tensors)
    {
        int first = self is null ? 0 : 1;
        var shapes = new int[first + tensors.Count][];
        if (self is not null) shapes[0] = ShapeOf(self);
        for (int i = 0; i < tensors.Count; i++) shapes[first + i] = ShapeOf(tensors[i]);
        return shapes;
    }
}
