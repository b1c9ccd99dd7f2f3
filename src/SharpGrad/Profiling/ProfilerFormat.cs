using System.Globalization;
using System.Text;

namespace SharpGrad.Profiling;

/// <summary>
/// The units the profiler table prints, as PyTorch 1.13's profiler_util formats them: times with
/// three decimals in us, ms or s; shares with two decimals; memory in b, Kb, Mb or Gb (1024-based).
/// Decimals are Python's correctly rounded ones (Note [Python float formatting]).
/// </summary>
internal static class ProfilerFormat
{
    private const double UsInSecond = 1000.0 * 1000.0;
    private const double UsInMs = 1000.0;
    private const long Kb = 1024, Mb = 1024 * Kb, Gb = 1024 * Mb;

    /// <summary><c>_format_time</c>: <c>4.000us</c>, <c>7.502ms</c>, <c>1.250s</c>.</summary>
    public static string Time(double us)
    {
        if (us >= UsInSecond) return PyFloatFormat.Fixed(us / UsInSecond, 3) + "s";
        if (us >= UsInMs) return PyFloatFormat.Fixed(us / UsInMs, 3) + "ms";
        return PyFloatFormat.Fixed(us, 3) + "us";
    }

    /// <summary><c>_format_time_share</c>: <c>53.32%</c>, or <c>NaN</c> when the total is zero.</summary>
    public static string TimeShare(double us, double totalUs)
    {
        if (totalUs == 0) return "NaN";
        return PyFloatFormat.Fixed(us * 100.0 / totalUs, 2) + "%";
    }

    /// <summary><c>_format_memory</c>: <c>552 b</c>, <c>44.13 Kb</c>, <c>-1.50 Mb</c>, <c>2.00 Gb</c>.</summary>
    public static string Memory(long bytes)
    {
        long magnitude = Math.Abs(bytes);
        if (magnitude >= Gb) return PyFloatFormat.Fixed(bytes * 1.0 / Gb, 2) + " Gb";
        if (magnitude >= Mb) return PyFloatFormat.Fixed(bytes * 1.0 / Mb, 2) + " Mb";
        if (magnitude >= Kb) return PyFloatFormat.Fixed(bytes * 1.0 / Kb, 2) + " Kb";
        return bytes.ToString(CultureInfo.InvariantCulture) + " b";
    }

    /// <summary>Python's <c>str()</c> of a list of shapes: <c>[[2, 3], []]</c>.</summary>
    public static string Shapes(IReadOnlyList<int[]> shapes)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < shapes.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append('[').AppendJoin(", ", shapes[i]).Append(']');
        }
        return sb.Append(']').ToString();
    }

    /// <summary>Python's <c>str()</c> of a time: integers without decimals, else the shortest round-trip form.</summary>
    public static string Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? ((long)value).ToString(CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
}
