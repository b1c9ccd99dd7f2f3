namespace SharpGrad.Tour;

/// <summary>
/// One code cell of a seed tutorial, ported to C#. <paramref name="Deterministic"/> cells print
/// exactly what PyTorch prints (object addresses aside); a test compares them with
/// tests/golden/tour.json, produced by running the same Python cells in PyTorch 1.13.
/// </summary>
public sealed record Cell(string Id, string Heading, bool Deterministic, Action<TextWriter> Run);

/// <summary>Python's <c>print</c> and <c>repr</c> conventions, so ported cells print the same text.</summary>
public static class Py
{
    /// <summary><c>print(a, b, ...)</c>: the arguments' texts joined by spaces, then a newline.</summary>
    public static void Print(this TextWriter o, params object?[] parts) =>
        o.WriteLine(string.Join(" ", parts.Select(Str)));

    /// <summary>Python's <c>str()</c> of a value: None, True/False, or ToString().</summary>
    public static string Str(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        IReadOnlyList<(Autograd.Node? Function, int InputNr)> edges => Repr(edges),
        _ => value.ToString() ?? "",
    };

    /// <summary>The repr of <c>grad_fn.next_functions</c>: a tuple of (node, input number) tuples.</summary>
    public static string Repr(IReadOnlyList<(Autograd.Node? Function, int InputNr)> edges)
    {
        var items = edges.Select(e => $"({Str(e.Function)}, {e.InputNr})").ToList();
        return items.Count == 1 ? $"({items[0]},)" : $"({string.Join(", ", items)})";
    }

    /// <summary>The repr of a tuple of tensors, as a notebook displays it (multi-line tensors indented).</summary>
    public static string Tuple(params object[] items)
    {
        var parts = items.Select(i => Str(i is Tensor[] ts ? Tuple(ts) : i)).ToList();
        string oneLine = "(" + string.Join(", ", parts) + (parts.Count == 1 ? ",)" : ")");
        if (!oneLine.Contains('\n')) return oneLine;
        return "(" + string.Join(",\n ", parts.Select(p => p.Replace("\n", "\n "))) + ")";
    }
}
