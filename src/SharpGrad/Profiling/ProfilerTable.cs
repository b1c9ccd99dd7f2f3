using System.Globalization;
using System.Text;

namespace SharpGrad.Profiling;

/// <summary>
/// PyTorch 1.13's profiler table (<c>profiler_util._build_table</c>), reimplemented for CPU-only
/// rows. Note [Profiler table layout]: the name column is right-aligned, as wide as the longest
/// key plus 4 (at most <c>max_name_column_width</c>; longer names are cut and end in "...");
/// every other column is 12 wide, "Input Shapes" as wide as its longest text plus 4 (at most
/// <c>max_shapes_column_width</c>); every column, the last included, is followed by two spaces,
/// and the dashed separator has the same shape. Percentages are of the sum of the rows' self
/// times, which is also the footer. Sorting is descending and stable (Python's
/// <c>sorted(reverse=True)</c>).
/// </summary>
internal static class ProfilerTable
{
    private const int DefaultColumnWidth = 12;
    private const int SpacingSize = 2;

    public static string Build(List<IProfilerEvent> events, string? sortBy, int rowLimit, int? maxNameColumnWidth,
        int? maxShapesColumnWidth, string? header, bool profileMemory, bool topLevelEventsOnly, string typeName)
    {
        if (events.Count == 0) return "";

        bool hasInputShapes = events.Any(e => e.InputShapes.Count > 0);
        if (sortBy is not null)
        {
            var key = SortKey(sortBy, typeName);
            events = [.. events.OrderByDescending(key)];
        }

        int nameWidth = events.Max(e => e.Key.Length) + 4;
        if (maxNameColumnWidth is { } maxName) nameWidth = Math.Min(nameWidth, maxName);
        int shapesWidth = events.Max(e => ProfilerFormat.Shapes(e.InputShapes).Length) + 4;
        if (maxShapesColumnWidth is { } maxShapes) shapesWidth = Math.Min(shapesWidth, maxShapes);

        var headers = new List<string> { "Name", "Self CPU %", "Self CPU", "CPU total %", "CPU total", "CPU time avg" };
        if (profileMemory) headers.AddRange(["CPU Mem", "Self CPU Mem"]);
        headers.Add("# of Calls");
        var widths = new List<int> { nameWidth };
        for (int i = 1; i < headers.Count; i++) widths.Add(DefaultColumnWidth);
        if (hasInputShapes)
        {
            headers.Add("Input Shapes");
            widths.Add(shapesWidth);
        }
        int lineLength = widths.Sum(w => w + SpacingSize) - SpacingSize;
        string separator = string.Concat(widths.Select(w => new string('-', w) + new string(' ', SpacingSize)));

        double selfTotal = 0;
        foreach (var e in events) selfTotal += e.SelfCpuTimeTotal;

        var sb = new StringBuilder();
        void Append(string line) => sb.Append(line).Append('\n');
        string Row(IReadOnlyList<string> values)
        {
            var row = new StringBuilder();
            for (int i = 0; i < values.Count; i++) row.Append(values[i].PadLeft(widths[i])).Append(' ', SpacingSize);
            return row.ToString();
        }

        if (header is not null)
        {
            Append(new string('=', lineLength));
            Append(header);
        }
        if (topLevelEventsOnly)
        {
            Append(new string('=', lineLength));
            Append("This report only display top-level ops statistics");
        }
        Append(separator);
        Append(Row(headers));
        Append(separator);

        int printed = 0;
        foreach (var e in events)
        {
            if (printed == rowLimit) break;
            if (topLevelEventsOnly && e.CpuParent is not null) continue;
            printed++;
            string name = e.Key;
            if (maxNameColumnWidth is { } max && name.Length >= max - 3) name = name[..Math.Max(max - 3, 0)] + "...";
            var values = new List<string>
            {
                name,
                ProfilerFormat.TimeShare(e.SelfCpuTimeTotal, selfTotal),
                ProfilerFormat.Time(e.SelfCpuTimeTotal),
                ProfilerFormat.TimeShare(e.CpuTimeTotal, selfTotal),
                ProfilerFormat.Time(e.CpuTimeTotal),
                ProfilerFormat.Time(e.CpuTime),
            };
            if (profileMemory)
            {
                values.Add(ProfilerFormat.Memory(e.CpuMemoryUsage));
                values.Add(ProfilerFormat.Memory(e.SelfCpuMemoryUsage));
            }
            values.Add(e.Count.ToString(CultureInfo.InvariantCulture));
            if (hasInputShapes)
            {
                string shapes = ProfilerFormat.Shapes(e.InputShapes);
                values.Add(shapes.Length > shapesWidth ? shapes[..shapesWidth] : shapes);
            }
            Append(Row(values));
        }

        Append(separator);
        Append("Self CPU time total: " + ProfilerFormat.Time(selfTotal));
        return sb.ToString();
    }

    /// <summary>The row attribute named in PyTorch's spelling, as a number to sort by.</summary>
    private static Func<IProfilerEvent, double> SortKey(string sortBy, string typeName) => sortBy switch
    {
        "cpu_time" => e => e.CpuTime,
        "cpu_time_total" => e => e.CpuTimeTotal,
        "self_cpu_time_total" => e => e.SelfCpuTimeTotal,
        "cpu_memory_usage" => e => e.CpuMemoryUsage,
        "self_cpu_memory_usage" => e => e.SelfCpuMemoryUsage,
        "count" => e => e.Count,
        "cuda_time" or "cuda_time_total" or "self_cuda_time_total" or "cuda_memory_usage" or "self_cuda_memory_usage" => _ => 0,
        _ => throw new ArgumentException($"'{typeName}' object has no attribute '{sortBy}'"),
    };
}
