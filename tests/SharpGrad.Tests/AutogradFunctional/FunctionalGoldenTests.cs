using System.Text.Json;
using static SharpGrad.Tests.AutogradFunctional.FunctionalFixture;
using F = SharpGrad.Torch.Autograd.Functional;

namespace SharpGrad.Tests.AutogradFunctional;

/// <summary>
/// Every case of functional_api.json run through the overload PyTorch's nesting selects (a single
/// tensor or a tuple on each side), compared with PyTorch 1.13: the nesting, shapes, dtypes, values,
/// requires_grad and grad_fn of the result, its repr and notebook display, or the error type and text.
/// </summary>
public class FunctionalGoldenTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Root.GetProperty("cases").EnumerateObject()) data.Add(c.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_matches_PyTorch(string name)
    {
        var c = Root.GetProperty("cases").GetProperty(name);
        if (c.TryGetProperty("error", out var error))
        {
            var e = Assert.ThrowsAny<Exception>(() => Call(c));
            Assert.IsType(ExceptionType(error.GetProperty("type").GetString()!), e);
            Assert.Equal(error.GetProperty("message").GetString(), e.Message);
            return;
        }
        var result = AsPythonContainers(c.GetProperty("result"), Call(c));
        if (s_deviations.ContainsKey(name))
        {
            AssertMatches(c.GetProperty("result"), result, checkGraph: false);
            return;
        }
        AssertMatches(c.GetProperty("result"), result);
        Assert.Equal(c.GetProperty("repr").GetString(), Torch.Repr(result));
        Assert.Equal(c.GetProperty("pretty").GetString(), Torch.Pretty(result));
    }

    // Cases whose values, shapes, dtypes and nesting match PyTorch but whose requires_grad / grad_fn do not.
    private static readonly Dictionary<string, string> s_deviations = new()
    {
        // PyTorch's forward formula for mul is other_t * self_p + self_t * other_p, with the missing tangent
        // of the constant 2 an efficient zero tensor: multiplying it by the primal x, which requires grad,
        // records a graph, so PyTorch's tangent of 2 * x requires grad though it does not depend on x.
        // SharpGrad's rule skips the missing term, so the tangent (and the Jacobian) has no grad_fn.
        ["jacobian_forward_mode_requires_grad_linear"] = "zero-tangent terms are skipped, not multiplied",
    };

    /// <summary>
    /// PyTorch 1.13's forward-mode jacobian (and so the forward-over-reverse hessian) nests its result in
    /// lists where the reverse mode uses tuples; SharpGrad returns arrays (its tuples, Note [Functional
    /// nesting]) either way, since its return types cannot tell the two apart. So where the fixture has a
    /// list, the array is compared (and printed) as a list; everything inside is compared as is.
    /// </summary>
    private static object? AsPythonContainers(JsonElement expected, object? actual)
    {
        var list = default(JsonElement);
        bool isList = expected.ValueKind == JsonValueKind.Object && expected.TryGetProperty("list", out list);
        if (!isList && expected.ValueKind != JsonValueKind.Array) return actual;
        if (actual is not Array array) return actual; // AssertMatches reports the mismatch
        var items = isList ? list : expected;
        if (items.GetArrayLength() != array.Length) return actual;
        var converted = new object?[array.Length];
        int i = 0;
        foreach (var e in items.EnumerateArray()) converted[i] = AsPythonContainers(e, array.GetValue(i++));
        return isList ? converted.ToList() : converted;
    }

    /// <summary>Runs one fixture case through the overload that matches its nesting.</summary>
    private static object Call(JsonElement c)
    {
        string api = c.GetProperty("api").GetString()!;
        var fn = Funcs[c.GetProperty("func").GetString()!];
        var (inputs, tupleIn) = Args(c.GetProperty("inputs"));
        var (v, tupleV) = Args(c.GetProperty("v"));
        var kw = c.GetProperty("kwargs");
        bool createGraph = Flag(kw, "create_graph"), strict = Flag(kw, "strict"), vectorize = Flag(kw, "vectorize");
        Tensor? v1 = v is null || tupleV ? null : v[0];
        Tensor[]? vN = tupleV ? v : null;
        inputs ??= [];
        Tensor x = inputs.Length > 0 ? inputs[0] : null!; // an empty tuple is always passed as one
        Func<Tensor, Tensor> ss = t => fn.Apply([t])[0];
        Func<Tensor[], Tensor> ts = xs => fn.Apply(xs)[0];
        Func<Tensor, Tensor[]> st = t => fn.Apply([t]);
        var tt = fn.Apply;

        switch (api)
        {
            case "jacobian":
            {
                string strategy = kw.TryGetProperty("strategy", out var s) ? s.GetString()! : "reverse-mode";
                return (tupleIn, fn.ReturnsTuple) switch
                {
                    (false, false) => F.Jacobian(ss, x, createGraph, strict, vectorize, strategy),
                    (true, false) => F.Jacobian(ts, inputs, createGraph, strict, vectorize, strategy),
                    (false, true) => F.Jacobian(st, x, createGraph, strict, vectorize, strategy),
                    (true, true) => F.Jacobian(tt, inputs, createGraph, strict, vectorize, strategy),
                };
            }
            case "hessian":
            {
                string strategy = kw.TryGetProperty("outer_jacobian_strategy", out var s) ? s.GetString()! : "reverse-mode";
                return tupleIn
                    ? F.Hessian(ts, inputs, createGraph, strict, vectorize, strategy)
                    : F.Hessian(ss, x, createGraph, strict, vectorize, strategy);
            }
            case "vjp":
                return (tupleIn, fn.ReturnsTuple) switch
                {
                    (false, false) => F.Vjp(ss, x, v1, createGraph, strict),
                    (true, false) => F.Vjp(ts, inputs, v1, createGraph, strict),
                    (false, true) => F.Vjp(st, x, vN, createGraph, strict),
                    (true, true) => F.Vjp(tt, inputs, vN, createGraph, strict),
                };
            case "jvp":
                return (tupleIn, fn.ReturnsTuple) switch
                {
                    (false, false) => F.Jvp(ss, x, v1, createGraph, strict),
                    (true, false) => F.Jvp(ts, inputs, vN, createGraph, strict),
                    (false, true) => F.Jvp(st, x, v1, createGraph, strict),
                    (true, true) => F.Jvp(tt, inputs, vN, createGraph, strict),
                };
            case "vhp":
                return tupleIn ? F.Vhp(ts, inputs, vN, createGraph, strict) : F.Vhp(ss, x, v1, createGraph, strict);
            case "hvp":
                return tupleIn ? F.Hvp(ts, inputs, vN, createGraph, strict) : F.Hvp(ss, x, v1, createGraph, strict);
            default:
                throw new ArgumentException(api);
        }
    }

    /// <summary>A fixture argument: a name is a single tensor, a list of names a tuple, null none.</summary>
    private static (Tensor[]? Values, bool IsTuple) Args(JsonElement spec) => spec.ValueKind switch
    {
        JsonValueKind.Null => (null, false),
        JsonValueKind.String => ([Input(spec.GetString()!)], false),
        _ => ([.. spec.EnumerateArray().Select(n => Input(n.GetString()!))], true),
    };

    private static bool Flag(JsonElement kwargs, string name) => kwargs.TryGetProperty(name, out var v) && v.GetBoolean();
}
