namespace SharpGrad.Autograd;

/// <summary>One entered dual level (Note [Forward AD levels]); stale once exited.</summary>
internal sealed class ForwardLevel
{
    public volatile bool Exited;
}

/// <summary>
/// Forward-mode AD state and the one place tangents are propagated (Note [Forward AD]).
/// </summary>
/// <remarks>
/// Note [Forward AD levels]: a dual level is per thread (like grad mode) and only one may be entered
/// at a time, as in PyTorch 1.13. Every entry creates a new <see cref="ForwardLevel"/> object; a
/// tangent remembers the level it was set at, so tangents of an exited level are invisible (and are
/// dropped the next time they are looked at). <see cref="AnyLevel"/> counts entered levels on all
/// threads: when it is zero (the common case) forward AD costs one static read per op.
/// <para>Note [Forward AD]: when a level is active, <see cref="Graph.NeedsGrad(Tensor)"/> is also true
/// for inputs that carry a tangent, so ops build their node as for backward; <see cref="Graph.Record"/>
/// then asks the node for the output tangents (<see cref="Node.Jvp"/>, an explicit rule beside each
/// backward formula, or the generic <see cref="Fallback"/>), and wires the backward graph only when
/// grad mode is on and some input requires grad. Rules run with forward AD suspended (they read
/// primal values, never tangents of tangents) and with the current grad mode, so a tangent that
/// depends on tensors requiring grad is itself differentiable.</para>
/// <para>Note [Tangent layout]: a tangent has the same sizes, strides, storage offset and storage
/// length as its primal (PyTorch's "same meta"; see <see cref="Conform"/>). So the tangent of a view is
/// the same view of the base's tangent, and an in-place op updates a tangent in place
/// (<see cref="AfterInPlace"/>), which every view of it sees.</para>
/// </remarks>
internal static class ForwardGrad
{
    private static int s_levels;
    [ThreadStatic] private static ForwardLevel? t_level;
    [ThreadStatic] private static int t_suspended;

    /// <summary>True when some thread has entered a dual level: the fast-path check.</summary>
    public static bool AnyLevel => Volatile.Read(ref s_levels) != 0;

    /// <summary>The level entered on this thread, suspended or not.</summary>
    public static ForwardLevel? Entered => t_level;

    /// <summary>
    /// The level whose tangents ops see and propagate: null when none, when suspended, or in inference
    /// mode (which turns forward AD off too, as in PyTorch).
    /// </summary>
    public static ForwardLevel? Current => AnyLevel && t_suspended == 0 && !InferenceMode.IsEnabled ? t_level : null;

    /// <summary>True when ops propagate tangents on this thread.</summary>
    public static bool IsActive => Current is not null;

    /// <summary>A test hook: called with every node whose tangents come from <see cref="Fallback"/>.</summary>
    internal static Action<Node>? FallbackObserver;

    public static void Enter()
    {
        if (t_level is not null) throw new InvalidOperationException("Nested forward mode AD is not supported at the moment");
        t_level = new ForwardLevel();
        Interlocked.Increment(ref s_levels);
    }

    public static void Exit()
    {
        var level = t_level ?? throw new InvalidOperationException("Dual level must be a positive number.");
        level.Exited = true;
        t_level = null;
        Interlocked.Decrement(ref s_levels);
    }

    /// <summary>Turns tangent propagation off on this thread until disposed (rules, custom function forwards).</summary>
    public static Suspension Suspend()
    {
        t_suspended++;
        return new Suspension(1);
    }

    /// <summary>Turns tangent propagation back on inside a suspension (a custom function's own jvp).</summary>
    public static Suspension Resume()
    {
        int depth = t_suspended;
        t_suspended = 0;
        return new Suspension(-depth);
    }

    /// <summary>Restores the suspension depth when disposed.</summary>
    public readonly struct Suspension(int delta) : IDisposable
    {
        public void Dispose() => t_suspended -= delta;
    }

    /// <summary>The tangent of <paramref name="t"/> at the current level, or null.</summary>
    public static Tensor? TangentOf(Tensor t)
    {
        var level = Current;
        if (level is null) return null;
        if (t.TangentValue is { } value)
        {
            if (ReferenceEquals(t.TangentLevel, level)) return value;
            if (t.TangentLevel!.Exited) t.ClearTangent(); // eager release of a stale level's tangent
        }
        return DeriveFromBase(t, level);
    }

    /// <summary>
    /// A view without its own tangent whose base got one later (by an in-place op through another
    /// view): its tangent is the same view of the base's tangent (PyTorch's forward view rule).
    /// </summary>
    private static Tensor? DeriveFromBase(Tensor view, ForwardLevel level)
    {
        if (view.ViewBase is not { } b || view.NoForwardView) return null;
        if (b.TangentValue is not { } bt || !ReferenceEquals(b.TangentLevel, level) || !SameMeta(bt, b)) return null;
        Tensor derived;
        using (Suspend()) derived = bt.AsStrided(view.Sizes, view.Strides, view.Offset);
        view.SetTangent(derived, level);
        return derived;
    }

    /// <summary>Sets <paramref name="t"/>'s tangent at the current level.</summary>
    public static void SetTangent(Tensor t, Tensor tangent) =>
        t.SetTangent(tangent, t_level ?? throw new InvalidOperationException("no dual level"));

    public static bool HasTangent(Tensor? t) => t is not null && TangentOf(t) is not null;

    public static bool AnyTangent(ReadOnlySpan<Tensor?> inputs)
    {
        foreach (var t in inputs) if (HasTangent(t)) return true;
        return false;
    }

    /// <summary>
    /// Computes and sets the tangents of <paramref name="results"/> from the tangents of
    /// <paramref name="inputs"/> with <paramref name="node"/>'s rule. Called by Graph.Record when a level
    /// is active and some input has a tangent; the node's InputMeta is set.
    /// </summary>
    public static void Propagate(Node node, ReadOnlySpan<Tensor> results, ReadOnlySpan<Tensor?> inputs, bool many)
    {
        var level = Current!;
        var tangents = new Tensor?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++) tangents[i] = inputs[i] is { } x ? TangentOf(x) : null;
        var outputs = new Tensor?[results.Length];
        using (Suspend())
        {
            var computed = many ? node.JvpMany(tangents) : [node.Jvp(tangents)];
            for (int j = 0; j < results.Length; j++)
            {
                var r = results[j];
                if (!r.DType.IsFloatingPoint()) continue;
                var tangent = j < computed.Length ? computed[j] : null;
                outputs[j] = Conform(tangent ?? Torch.Zeros(r.Sizes, r.DType), r, inputs, tangents);
            }
        }
        for (int j = 0; j < results.Length; j++)
            if (outputs[j] is { } tangent) results[j].SetTangent(tangent, level);
    }

    /// <summary>
    /// <paramref name="tangent"/> with the layout of <paramref name="primal"/> (Note [Tangent layout]):
    /// a broadcast tangent is expanded, and one with another layout, or sharing memory with an input's
    /// tangent when the primal does not share memory with that input, is copied.
    /// </summary>
    public static Tensor Conform(Tensor tangent, Tensor primal, ReadOnlySpan<Tensor?> inputs = default, Tensor?[]? inputTangents = null)
    {
        if (!ShapeUtil.SameShape(tangent.Sizes, primal.Sizes)) tangent = tangent.Expand(primal.Sizes);
        bool copy = !SameMeta(tangent, primal);
        for (int i = 0; !copy && inputTangents is not null && i < inputTangents.Length; i++)
            copy = inputTangents[i] is { } u && u.Storage == tangent.Storage && inputs[i]!.Storage != primal.Storage;
        if (!copy) return tangent;
        var result = new Tensor(Storage.Allocate(tangent.DType, primal.Storage.Length), primal.Offset, primal.Sizes, primal.Strides);
        using (Suspend())
        {
            if (tangent.RequiresGrad && GradMode.IsEnabled) result.CopyInPlace(tangent); // keeps the tangent differentiable
            else Kernels.Elementwise.Copy(tangent, result);
        }
        return result;
    }

    /// <summary>PyTorch's has_same_meta: same sizes, strides, storage offset and storage length.</summary>
    public static bool SameMeta(Tensor a, Tensor b) =>
        a.Offset == b.Offset && a.Storage.Length == b.Storage.Length &&
        ShapeUtil.SameShape(a.Sizes, b.Sizes) && ShapeUtil.SameShape(a.Strides, b.Strides);

    /// <summary>
    /// After an in-place op wrote <paramref name="result"/> into <paramref name="self"/>: self's tangent
    /// becomes the result's, written into self's existing tangent when it has one (so views and the base
    /// see it), else into a view of its base's tangent (created as zeros if needed), else set.
    /// </summary>
    public static void AfterInPlace(Tensor self, Tensor result)
    {
        if (Current is not { } level || TangentOf(result) is not { } rt) return;
        var st = TangentOf(self);
        var bt = st is null && self.ViewBase is { } b0 && !self.NoForwardView ? TangentOf(b0) : null;
        using (Suspend())
        {
            if (st is null && self.ViewBase is { } b && !self.NoForwardView)
            {
                if (bt is null)
                {
                    bt = new Tensor(Storage.Allocate(rt.DType, b.Storage.Length), b.Offset, b.Sizes, b.Strides);
                    b.SetTangent(bt, level);
                }
                st = bt.AsStrided(self.Sizes, self.Strides, self.Offset);
                self.SetTangent(st, level);
            }
            if (st is null) self.SetTangent(Conform(rt, self), level);
            else if (ReferenceEquals(st, rt)) { }
            else if (!GradMode.IsEnabled || !(rt.RequiresGrad || st.RequiresGrad))
            {
                Kernels.Elementwise.Copy(rt.Expand(self.Sizes), st);
                st.Version.Value++;
            }
            // A differentiable tangent is updated by a recorded copy_ (PyTorch's self_t.copy_(...)); a leaf
            // that requires grad was refused before the write (CheckInPlace).
            else st.CopyInPlace(rt);
        }
    }

    /// <summary>
    /// Before an in-place op on <paramref name="self"/>: its tangent is updated in place too, so with grad
    /// mode on it must not be a leaf that requires grad (or a view of one), PyTorch's errors.
    /// </summary>
    public static void CheckInPlace(Tensor self)
    {
        if (!GradMode.IsEnabled || TangentOf(self) is not { } st) return;
        if (st.IsLeaf && st.RequiresGrad && st.ViewBase is null)
            throw new InvalidOperationException("a leaf Variable that requires grad is being used in an in-place operation.");
        if (st.ViewBase is { IsLeaf: true, RequiresGrad: true })
            throw new InvalidOperationException("a view of a leaf Variable that requires grad is being used in an in-place operation.");
    }

    /// <summary>The edge that marks an input as differentiable while <see cref="Fallback"/> runs a backward formula.</summary>
    private static readonly Edge s_marker = new(new AccumulateGrad(Tensor.Allocate(DType.Float32, [])), 0);

    /// <summary>
    /// The generic forward rule, for nodes without an explicit one: a backward formula is linear in the
    /// output gradient v, so with <c>g_i(v) = node.Apply(v)</c> and <c>s = sum_i &lt;g_i(v), u_i&gt;</c>,
    /// the Jacobian-vector product is <c>J u = ds/dv</c> (the double-backward trick). v is zeros that
    /// require grad; g_i is recorded (grad mode on), then differentiated once more.
    /// </summary>
    public static Tensor?[] Fallback(Node node, Tensor?[] tangents)
    {
        FallbackObserver?.Invoke(node);
        var meta = node.InputMeta;
        bool createGraph = GradMode.IsEnabled;
        var realEdges = node.NextEdges;
        // Backward formulas skip inputs whose edge is invalid: mark every input with a tangent.
        var edges = new Edge[tangents.Length];
        for (int i = 0; i < edges.Length; i++)
            edges[i] = tangents[i] is not null ? s_marker : i < realEdges.Length ? realEdges[i] : default;
        node.NextEdges = edges;
        try
        {
            using var grad = new GradModeScope(true);
            var v = new Tensor[meta.Length];
            var differentiable = new List<Tensor>();
            for (int j = 0; j < v.Length; j++)
            {
                bool floating = meta[j].DType.IsFloatingPoint();
                v[j] = Torch.Zeros(meta[j].Sizes, meta[j].DType, requiresGrad: floating);
                if (floating) differentiable.Add(v[j]);
            }
            var g = node.Apply((Tensor?[])v.Clone());
            Tensor? s = null;
            for (int i = 0; i < tangents.Length && i < g.Length; i++)
            {
                if (tangents[i] is not { } u || g[i] is not { } gi) continue;
                if (!gi.RequiresGrad && node is FunctionNode) throw FunctionNode.JvpRequired();
                var term = (gi.SumToSize(u.Sizes) * u).Sum();
                s = s is null ? term : s + term;
            }
            var result = new Tensor?[meta.Length];
            if (s is null || !s.RequiresGrad || differentiable.Count == 0) return result;
            var jvps = Torch.Autograd.Grad([s], differentiable, createGraph: createGraph, allowUnused: true);
            for (int j = 0, k = 0; j < v.Length; j++)
                if (v[j].RequiresGrad) result[j] = jvps[k++];
            return result;
        }
        finally
        {
            node.NextEdges = realEdges;
        }
    }

    /// <summary>The sum of the tangent terms that are present, or null when none is (a zero tangent).</summary>
    public static Tensor? Add(Tensor? a, Tensor? b) => a is null ? b : b is null ? a : a + b;
}
