namespace SharpGrad.Autograd;

/// <summary>
/// A user-defined differentiable operation, PyTorch's <c>torch.autograd.Function</c>: subclass it,
/// implement <see cref="Forward"/> and <see cref="Backward"/>, and call <see cref="Apply"/>.
/// </summary>
/// <remarks>
/// Note [Custom functions]: Forward runs with grad mode off on the raw inputs. If any input
/// requires grad (and grad mode is on), one node named <c>{ClassName}Backward</c> (PyTorch's
/// naming, minus a trailing "Function") becomes the grad_fn of every differentiable output. Its
/// Backward receives one gradient per output and must return one per input (null for inputs
/// without gradient); the engine checks the count and shapes with PyTorch's errors naming the node.
/// An output that is an unmodified input is returned as a new alias, so the input's own history
/// is not overwritten; inputs modified in place must be declared with MarkDirty.
/// </remarks>
public abstract class Function
{
    /// <summary>Computes the outputs from the inputs; runs with grad mode off.</summary>
    public abstract Tensor[] Forward(FunctionContext ctx, params Tensor?[] inputs);

    /// <summary>Computes one gradient per input (null where none) from one gradient per output.</summary>
    public abstract Tensor?[] Backward(FunctionContext ctx, params Tensor?[] gradOutputs);

    /// <summary>
    /// True when Backward is not itself differentiable: differentiating its result then raises
    /// PyTorch's <c>@once_differentiable</c> error.
    /// </summary>
    protected virtual bool OnceDifferentiable => false;

    /// <summary>
    /// The forward-mode rule, PyTorch's <c>jvp(ctx, *grad_inputs)</c>: the tangent of every output from
    /// the tangent of every input (null for inputs without one). Runs with forward AD suspended, after
    /// <see cref="Forward"/>, with the same <paramref name="ctx"/>. The default returns null: the output
    /// tangents then come from <see cref="Backward"/> by the double-backward trick, so Backward must be
    /// differentiable (PyTorch 1.13 instead always requires jvp); a once-differentiable function, or one
    /// whose Backward is not differentiable, raises PyTorch's "You must implement the jvp function" error.
    /// </summary>
    public virtual Tensor?[]? Jvp(FunctionContext ctx, params Tensor?[] tangents) => null;

    /// <summary>The backward node's name: the class name plus "Backward", as PyTorch names <c>MyFnBackward</c>.</summary>
    public virtual string BackwardName => GetType().Name + "Backward";

    /// <summary>Runs the function on <paramref name="inputs"/> and records it, <c>MyFunction.apply(*inputs)</c>; one output.</summary>
    public Tensor Apply(params Tensor?[] inputs)
    {
        var outputs = ApplyMany(inputs);
        return outputs.Length == 1 ? outputs[0]
            : throw new InvalidOperationException($"{GetType().Name} returned {outputs.Length} outputs: use ApplyMany");
    }

    /// <summary>Runs the function on <paramref name="inputs"/> and records it; any number of outputs.</summary>
    public Tensor[] ApplyMany(params Tensor?[] inputs)
    {
        bool grad = GradMode.IsEnabled && Array.Exists(inputs, t => t is { RequiresGrad: true });
        // Note [Custom functions and forward AD]: inputs with a tangent count as needing a gradient (the
        // generic forward rule runs Backward); Forward itself sees no tangents, as in PyTorch.
        bool forward = ForwardGrad.IsActive && Array.Exists(inputs, t => t?.Tangent is not null);
        bool record = grad || forward;
        var ctx = new FunctionContext(Array.ConvertAll(inputs,
            t => t is not null && (grad && t.RequiresGrad || forward && t.Tangent is not null)));
        Tensor[] outputs;
        using (new GradModeScope(false))
        using (ForwardGrad.Suspend())
            outputs = Forward(ctx, inputs);
        outputs = (Tensor[])outputs.Clone();
        CheckDirty(ctx, inputs);
        for (int i = 0; i < outputs.Length; i++)
        {
            var o = outputs[i];
            bool isInput = Array.Exists(inputs, t => ReferenceEquals(t, o));
            if (isInput && ctx.Dirty?.Contains(o) != true) outputs[i] = o.Detach(); // a fresh alias
        }
        if (!record)
        {
            ctx.Seal(new FunctionNode(this, ctx, inputs.Length, OnceDifferentiable), outputs);
            return outputs;
        }
        var node = new FunctionNode(this, ctx, inputs.Length, OnceDifferentiable);
        var differentiable = Array.FindAll(outputs, o => ctx.NonDifferentiable?.Contains(o) != true && o.DType.IsFloatingPoint());
        Graph.RecordMany(node, outputs, inputs);
        foreach (var o in outputs)
            if (!Array.Exists(differentiable, d => ReferenceEquals(d, o)))
            {
                o.ClearGradFn();
                o.ClearTangent();
            }
        ctx.Seal(node, outputs);
        return outputs;
    }

    private static void CheckDirty(FunctionContext ctx, Tensor?[] inputs)
    {
        if (ctx.Dirty is null || !GradMode.IsEnabled) return;
        foreach (var t in ctx.Dirty)
            if (Array.Exists(inputs, i => ReferenceEquals(i, t)) && t.IsLeaf && t.RequiresGrad)
                throw new InvalidOperationException("a leaf Variable that requires grad has been used in an in-place operation.");
    }
}

/// <summary>The backward node of a custom <see cref="Function"/>.</summary>
internal sealed class FunctionNode(Function function, FunctionContext ctx, int inputCount, bool onceDifferentiable) : Node
{
    public override string Name => function.BackwardName;

    internal override bool MaterializeGrads => ctx.MaterializeGrads;

    internal override Tensor? Jvp(Tensor?[] tangents) => JvpMany(tangents)[0];

    // The function's own jvp when it has one, else the generic rule through Backward.
    internal override Tensor?[] JvpMany(Tensor?[] tangents)
    {
        var result = function.Jvp(ctx, tangents);
        if (result is null)
            return onceDifferentiable ? throw JvpRequired() : ForwardGrad.Fallback(this, tangents);
        if (result.Length != InputMeta.Length)
            throw new InvalidOperationException(
                $"Function's jvp returned an invalid number of forward gradients (expected {InputMeta.Length} but got {result.Length})");
        return result;
    }

    /// <summary>PyTorch's error (a NotImplementedError) for a function whose tangents cannot be derived from Backward.</summary>
    internal static NotSupportedException JvpRequired() =>
        new("You must implement the jvp function for custom autograd.Function to use it with forward mode AD.");

    protected internal override Tensor?[] Apply(Tensor?[] gradOutputs)
    {
        bool differentiateLater = GradMode.IsEnabled && Array.Exists(gradOutputs, g => g is { RequiresGrad: true });
        Tensor?[] grads;
        if (onceDifferentiable)
            using (new GradModeScope(false)) grads = function.Backward(ctx, gradOutputs);
        else grads = function.Backward(ctx, gradOutputs);
        if (grads.Length != inputCount)
            throw new InvalidOperationException(
                $"function {Name} returned an incorrect number of gradients (expected {inputCount}, got {grads.Length})");
        if (onceDifferentiable && differentiateLater)
            for (int i = 0; i < grads.Length; i++)
                if (grads[i] is { } g) grads[i] = DelayedError.Wrap(g, gradOutputs);
        return grads;
    }
}

/// <summary>
/// Stands in the graph where a once-differentiable function's gradient would need differentiating:
/// PyTorch's <c>DelayedError</c>.
/// </summary>
internal sealed class DelayedError : SingleOutputNode
{
    public override string Name => "DelayedError";

    protected override Tensor?[] Backward(Tensor grad) =>
        throw new InvalidOperationException("trying to differentiate twice a function that was marked with @once_differentiable");

    public static Tensor Wrap(Tensor value, Tensor?[] dependsOn)
    {
        var alias = value.Detach();
        var node = new DelayedError();
        var edges = Array.FindAll(dependsOn, t => t is { RequiresGrad: true });
        Graph.Record(node, alias, edges);
        return alias;
    }
}
