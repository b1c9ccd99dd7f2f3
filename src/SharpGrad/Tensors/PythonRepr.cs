using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using SharpGrad.Autograd;

namespace SharpGrad;

public static partial class Torch
{
    /// <summary>
    /// Python's <c>repr(value)</c>, what <c>print</c> shows for tuples and lists of tensors: a C# array
    /// or value tuple is a Python tuple (<c>(a,)</c> for one element), any other list a Python list,
    /// null is <c>None</c>, booleans <c>True</c>/<c>False</c>, floats use Python's shortest repr.
    /// </summary>
    /// <remarks>
    /// Arrays print as tuples because they are how SharpGrad returns PyTorch's tuples (Note
    /// [Functional nesting]). Multi-line elements are not re-indented: that is plain <c>repr</c>;
    /// a notebook's <c>Out[]</c> cell shows <see cref="Pretty(object?, int)"/> instead.
    /// </remarks>
    public static string Repr(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        string s => PythonRepr.String(s),
        double d => PythonRepr.Float(d),
        float f => PythonRepr.Float(f),
        SharpGrad.Tensor or Node => value.ToString()!,
        DType dtype => dtype.TorchName(),
        IFormattable number when PythonRepr.IsInteger(number) => number.ToString(null, CultureInfo.InvariantCulture),
        _ when PythonRepr.Sequence(value) is { } seq =>
            seq.IsTuple && seq.Items.Count == 1 ? $"({Repr(seq.Items[0])},)"
            : (seq.IsTuple ? "(" : "[") + string.Join(", ", seq.Items.Select(Repr)) + (seq.IsTuple ? ")" : "]"),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// IPython's pretty form of <paramref name="value"/>, what a Jupyter notebook shows as a cell's
    /// <c>Out[]</c>: like <see cref="Repr(object?)"/>, but a tuple or list that does not fit in
    /// <paramref name="maxWidth"/> columns (or holds a multi-line element) puts one element per line,
    /// indented by one space per level of nesting, with the lines of each element indented to match.
    /// </summary>
    /// <remarks>
    /// This is <c>IPython.lib.pretty.pretty(value)</c> (IPython 8): Wadler-style groups, one per tuple,
    /// broken outermost first, and a multi-line repr forcing its enclosing groups to break. So
    /// <c>(tensor([[3.1172]]), tensor([[3.]]))</c> stays on one line while a tuple of two 3x3 tensors
    /// prints as <c>(tensor([[...],\n         [...]]),\n tensor(...))</c>.
    /// </remarks>
    public static string Pretty(object? value, int maxWidth = 79)
    {
        var printer = new PrettyPrinter(maxWidth);
        printer.Pretty(value);
        return printer.Finish();
    }
}

/// <summary>The pieces of Python's repr that .NET formats differently.</summary>
internal static class PythonRepr
{
    public readonly record struct Seq(bool IsTuple, IReadOnlyList<object?> Items);

    /// <summary>Arrays and value tuples are Python tuples; other non-string enumerables are lists.</summary>
    public static Seq? Sequence(object value)
    {
        if (value is ITuple tuple)
        {
            var items = new object?[tuple.Length];
            for (int i = 0; i < items.Length; i++) items[i] = tuple[i];
            return new Seq(true, items);
        }
        if (value is Array array) return new Seq(true, array.Cast<object?>().ToArray());
        if (value is IEnumerable enumerable and not string) return new Seq(false, enumerable.Cast<object?>().ToArray());
        return null;
    }

    public static bool IsInteger(IFormattable value) =>
        value is sbyte or byte or short or ushort or int or uint or long or ulong or System.Numerics.BigInteger;

    /// <summary>Python's <c>repr(str)</c>: single quotes unless the text has one and no double quote.</summary>
    public static string String(string s)
    {
        char quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        var sb = new StringBuilder().Append(quote);
        foreach (char c in s)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c == quote) sb.Append('\\').Append(c);
                    else if (c < ' ' || c == '\x7f') sb.Append($"\\x{(int)c:x2}");
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append(quote).ToString();
    }

    /// <summary>
    /// Python's <c>repr(float)</c>: the shortest round-tripping digits, positional when the decimal
    /// exponent is in [-4, 16), else <c>d.ddde+XX</c>; integral values keep a <c>.0</c>.
    /// </summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        string sign = value < 0 || (value == 0 && double.IsNegative(value)) ? "-" : "";
        if (value == 0) return sign + "0.0";
        // "E16" is not shortest; "R" is, in either positional or E notation: normalise it to digits + exponent.
        string r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int e = 0;
        int ePos = r.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            e = int.Parse(r[(ePos + 1)..], CultureInfo.InvariantCulture);
            r = r[..ePos];
        }
        int point = r.IndexOf('.');
        string digits = point >= 0 ? r.Remove(point, 1) : r;
        int decpt = (point >= 0 ? point : r.Length) + e; // value = 0.digits * 10^decpt
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0') lead++;
        digits = digits[lead..].TrimEnd('0');
        decpt -= lead;
        if (digits.Length == 0) digits = "0";

        if (decpt > -4 && decpt <= 16)
        {
            if (decpt <= 0) return sign + "0." + new string('0', -decpt) + digits;
            if (decpt >= digits.Length) return sign + digits + new string('0', decpt - digits.Length) + ".0";
            return sign + digits[..decpt] + "." + digits[decpt..];
        }
        int exponent = decpt - 1;
        string mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
    }
}
