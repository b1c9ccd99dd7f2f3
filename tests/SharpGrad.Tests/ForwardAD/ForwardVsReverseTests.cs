using System.Reflection;
using SharpGrad.Autograd;
using SharpGrad.Tests.Support;
using static SharpGrad.Torch.Autograd;

namespace SharpGrad.Tests.ForwardMode;

/// <summary>
/// Every op-table row in forward mode: with random tangents u_i and a random cotangent v, the
/// forward-mode tangent J u must satisfy <c>&lt;v, J u&gt; == sum_i &lt;J_i^T v, u_i&gt;</c>, the right side
/// from reverse mode (Torch.Autograd.Grad). Every layout of every row, float64, relative tolerance 1e-9.
/// </summary>
public class ForwardVsReverseTests
{
    /// <summary>Rows whose output deliberately carries no tangent.</summary>
    /// <remarks>unpack_dual: its primal is, by definition, the value without the tangent.</remarks>
    internal static readonly HashSet<string> NotForwardDifferentiable = ["unpack_dual"];


    public static TheoryData<string, Layouts.Layout> Cases()
    {
        var data = new TheoryData<string, Layouts.Layout>();
        foreach (var row in OpTable.All.Where(r => !NotForwardDifferentiable.Contains(r.Name)))
            foreach (var layout in row.Layouts ?? Layouts.All)
                data.Add(row.Name, layout);
        return data;
    }

    internal static Tensor RandomLike(Tensor t, Random rng) =>
        Torch.Tensor<double>(Enumerable.Range(0, t.Numel).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), t.Shape, DType.Float64);

    private static double Dot(Tensor a, Tensor b) => (a.Detach() * b.Detach()).Sum().Item<double>();

    /// <summary>
    /// Runs the row in forward mode (primals made dual; when <paramref name="alsoRequireGrad"/> the primals
    /// also require grad, so both modes run at once) and in reverse mode, and compares the two products.
    /// </summary>
    /// <remarks>
    /// Rows that differentiate inside (the double-backward rows) need inputs that require grad even in
    /// pure forward mode; they run on dual leaves that require grad (forward-over-reverse).
    /// </remarks>
    internal static string? Compare(OpRow row, Layouts.Layout layout, bool alsoRequireGrad)
    {
        try
        {
            return CompareOnce(row, layout, alsoRequireGrad, leafPrimals: false);
        }
        catch (InvalidOperationException e) when (!alsoRequireGrad && e.Message.Contains("does not require grad"))
        {
            return CompareOnce(row, layout, alsoRequireGrad, leafPrimals: true);
        }
    }

    private static string? CompareOnce(OpRow row, Layouts.Layout layout, bool alsoRequireGrad, bool leafPrimals)
    {
        int seed = row.Name.GetHashCode() & 0xffff;
        var (inputs, fn) = Layouts.Prepare(row.Fn, row.Shapes, layout, row.Lo, row.Hi, seed);
        var rng = new Random(seed + 1);
        var tangents = inputs.Select(x => RandomLike(x, rng)).ToArray();
        Tensor output;
        Tensor? jvp;
        Tensor?[]? sameGraphGrads = null;
        Tensor? v = null;
        using (ForwardAD.DualLevel())
        {
            var primals = alsoRequireGrad ? inputs
                : inputs.Select(x => leafPrimals ? x.Detach().SetRequiresGrad() : x.Detach()).ToArray();
            var duals = primals.Select((x, i) => ForwardAD.MakeDual(x, tangents[i])).ToArray();
            var y = fn(duals);
            (output, jvp) = ForwardAD.UnpackDual(y);
            if (!output.DType.IsFloatingPoint()) return null;
            if (jvp is not null && !ShapeUtil.SameShape(jvp.Sizes, output.Sizes))
                return $"tangent shape {ShapeUtil.Format(jvp.Sizes)} for output {ShapeUtil.Format(output.Sizes)}";
            v = RandomLike(output, rng);
            // Both modes at once: backward through the very graph that carried the tangents.
            if (alsoRequireGrad && y.RequiresGrad) sameGraphGrads = Grad([y], inputs, [v], allowUnused: true);
        }
        double forward = jvp is null ? 0 : Dot(v, jvp);
        var reverse = fn(inputs);
        var grads = reverse.RequiresGrad ? Grad([reverse], inputs, [v], allowUnused: true) : new Tensor?[inputs.Length];
        double backward = 0;
        for (int i = 0; i < inputs.Length; i++) if (grads[i] is { } g) backward += Dot(g, tangents[i]);
        if (!Close(forward, backward)) return $"<v, J u> = {forward} but sum <J^T v, u> = {backward}";
        if (sameGraphGrads is not null)
        {
            double again = 0;
            for (int i = 0; i < inputs.Length; i++) if (sameGraphGrads[i] is { } g) again += Dot(g, tangents[i]);
            if (!Close(again, backward)) return $"backward through the dual graph gives {again}, plain reverse mode {backward}";
        }
        return null;
    }

    private static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_mode_matches_reverse_mode(string op, Layouts.Layout layout)
    {
        var error = Compare(OpTable.All.Single(r => r.Name == op), layout, alsoRequireGrad: false);
        Assert.True(error is null, $"{op} ({layout}): {error}");
    }

    public static TheoryData<string> RowNames()
    {
        var data = new TheoryData<string>();
        foreach (var row in OpTable.All.Where(r => !NotForwardDifferentiable.Contains(r.Name))) data.Add(row.Name);
        return data;
    }

    /// <summary>Tangents and gradients coexist: the dual inputs also require grad, and backward runs through the same graph.</summary>
    [Theory]
    [MemberData(nameof(RowNames))]
    public void Forward_mode_works_on_tensors_that_require_grad(string op)
    {
        var row = OpTable.All.Single(r => r.Name == op);
        var layout = (row.Layouts ?? Layouts.All)[0];
        var error = Compare(row, layout, alsoRequireGrad: true);
        Assert.True(error is null, $"{op} ({layout}): {error}");
    }

    /// <summary>
    /// Fails when a node class has neither an explicit forward rule (a Jvp override) nor was covered by the
    /// generic rule in some row run in forward mode.
    /// </summary>
    [Fact]
    public void Every_node_has_a_forward_rule_that_a_row_exercises()
    {
        var fallbackSeen = new HashSet<string>();
        int thread = Environment.CurrentManagedThreadId;
        void Observe(Node n)
        {
            if (Environment.CurrentManagedThreadId == thread) lock (fallbackSeen) fallbackSeen.Add(n.GetType().Name);
        }
        ForwardGrad.FallbackObserver += Observe;
        try
        {
            foreach (var row in OpTable.All.Where(r => !NotForwardDifferentiable.Contains(r.Name)))
                Compare(row, (row.Layouts ?? Layouts.All)[0], alsoRequireGrad: false);
        }
        finally
        {
            ForwardGrad.FallbackObserver -= Observe;
        }
        var missing = typeof(Node).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Node)) && !t.IsAbstract && !Exempt.Contains(t.Name))
            .Where(t => !HasExplicitRule(t) && !fallbackSeen.Contains(t.Name))
            .Select(t => t.Name).Order().ToList();
        Assert.True(missing.Count == 0, "nodes with no explicit forward rule that no row runs through the generic one: " + string.Join(", ", missing));
    }

    /// <remarks>
    /// AccumulateGrad is a leaf sink, not an op. CopySlices is never recorded by Graph.Record: in-place
    /// tangents are written by the in-place machinery (the in-place rows check them). DelayedError only
    /// raises. Identity is UnpackDual's primal, which carries no tangent by definition.
    /// </remarks>
    private static readonly HashSet<string> Exempt = ["AccumulateGrad", "CopySlices", "DelayedError", "Identity"];

    private static bool HasExplicitRule(Type t)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
        return t.GetMethod("Jvp", flags)!.DeclaringType != typeof(Node) || t.GetMethod("JvpMany", flags)!.DeclaringType != typeof(Node);
    }
}
