using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Text;
using SharpGrad.Autograd;

namespace SharpGrad.Viz;

/// <summary>
/// Note [Node attributes]: PyTorch exposes what a backward node saved as <c>grad_fn._saved_*</c>
/// attributes, which torchviz lists (<c>show_attrs</c>) and names saved tensors after
/// (<c>show_saved</c>). A SharpGrad node keeps the same information in its own fields (primary
/// constructor parameters such as <c>selfSizes</c>, <c>SavedTensor</c> fields such as <c>_self</c>),
/// so the picture reads them by reflection and writes their names in PyTorch's snake_case
/// (<c>selfSizes</c> becomes <c>self_sizes</c>, <c>SelfSaved</c> becomes <c>self</c>).
/// Only fields of simple types are shown (numbers, flags, sizes, scalars, dtypes, enums, saved
/// tensors); anything else is an implementation detail. Engine nodes (AccumulateGrad, CopySlices,
/// custom-function nodes) have no such attributes, as in PyTorch. When trimming removed a field, the
/// picture simply shows less: nothing depends on it.
/// </summary>
internal static class NodeFields
{
    /// <summary>The node's attributes as (snake_case name, value), sorted by name as Python's <c>dir()</c> is.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2075",
        Justification = "Graph pictures only describe the fields that exist; a trimmed field is just not shown (Note [Node attributes]).")]
    public static List<(string Name, object? Value)> Read(Node node)
    {
        var result = new List<(string Name, object? Value)>();
        if (node is AccumulateGrad or CopySlices or FunctionNode or DelayedError) return result;
        var names = new HashSet<string>(StringComparer.Ordinal);
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        for (Type? type = node.GetType(); type is not null && type != typeof(Node); type = type.BaseType)
        {
            foreach (var field in type.GetFields(flags))
            {
                if (!IsShown(field.FieldType)) continue;
                string name = SnakeName(field.Name);
                if (names.Add(name)) result.Add((name, field.GetValue(node)));
            }
        }
        result.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    /// <summary>The name of each saved tensor held in a field (<c>name</c>, or <c>name[i]</c> in an array).</summary>
    public static Dictionary<SavedTensor, string> SavedNames(List<(string Name, object? Value)> fields)
    {
        var names = new Dictionary<SavedTensor, string>(ReferenceEqualityComparer.Instance);
        foreach (var (name, value) in fields)
        {
            if (value is SavedTensor saved) names.TryAdd(saved, name);
            else if (value is SavedTensor?[] array)
                for (int i = 0; i < array.Length; i++)
                    if (array[i] is { } s) names.TryAdd(s, $"{name}[{i}]");
        }
        return names;
    }

    private static bool IsShown(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(Scalar) ||
               type == typeof(SavedTensor) || type == typeof(SavedTensor[]) ||
               type == typeof(int[]) || type == typeof(long[]) || type == typeof(bool[]) || type == typeof(double[]);
    }

    /// <summary>
    /// A C# field name in PyTorch's style: compiler wrappers (<c>&lt;dim&gt;P</c>, backing fields),
    /// leading underscores and a <c>Saved</c> suffix dropped, camelCase turned into snake_case.
    /// </summary>
    internal static string SnakeName(string fieldName)
    {
        string name = fieldName;
        if (name.StartsWith('<') && name.IndexOf('>') is > 1 and var close) name = name[1..close];
        name = name.TrimStart('_');
        if (name.Length > "Saved".Length && name.EndsWith("Saved", StringComparison.Ordinal)) name = name[..^"Saved".Length];
        var sb = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsAsciiLetterUpper(c))
            {
                if (i > 0 && !char.IsAsciiLetterUpper(name[i - 1])) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>A value as Python's <c>str()</c> shows the matching PyTorch attribute (tuples, True/False, None).</summary>
    internal static string Format(object? value) => value switch
    {
        null => "None",
        SavedTensor => "[saved tensor]",
        SavedTensor?[] array => Array.Exists(array, s => s is not null) ? "[saved tensors]" : "()",
        bool b => b ? "True" : "False",
        double d => PythonFloat(d),
        float f => PythonFloat(f),
        Scalar s => s.ToString(),
        DType t => t.TorchName(),
        int[] a => Tuple(a.Select(v => v.ToString(CultureInfo.InvariantCulture))),
        long[] a => Tuple(a.Select(v => v.ToString(CultureInfo.InvariantCulture))),
        bool[] a => Tuple(a.Select(v => v ? "True" : "False")),
        double[] a => Tuple(a.Select(PythonFloat)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Python's tuple repr: <c>()</c>, <c>(3,)</c>, <c>(5, 3)</c>.</summary>
    private static string Tuple(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count == 1 ? $"({list[0]},)" : "(" + string.Join(", ", list) + ")";
    }

    /// <summary>Python's float repr: shortest round-trip digits, <c>1.0</c>, <c>1e-05</c>, <c>inf</c>, <c>nan</c>.</summary>
    private static string PythonFloat(double d)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsInfinity(d)) return d > 0 ? "inf" : "-inf";
        string s = d.ToString("R", CultureInfo.InvariantCulture);
        if (s.Contains('E')) return s.Replace("E", "e");
        return s.Contains('.') ? s : s + ".0";
    }
}
