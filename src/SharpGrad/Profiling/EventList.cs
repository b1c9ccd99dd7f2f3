using System.Collections;

namespace SharpGrad.Profiling;

/// <summary>
/// A list of profiler rows that prints as PyTorch's table: <c>torch.autograd.profiler_util.EventList</c>.
/// <see cref="FunctionEventList"/> holds single events; <see cref="FunctionEventList.KeyAverages"/>
/// returns an <c>EventList&lt;FunctionEventAvg&gt;</c>.
/// </summary>
public class EventList<T> : IReadOnlyList<T> where T : IProfilerEvent
{
    private protected List<T> Items;

    /// <summary>A list of the given rows; <paramref name="profileMemory"/> adds the memory columns to the table.</summary>
    public EventList(IEnumerable<T> events, bool profileMemory = false)
    {
        Items = [.. events];
        ProfileMemory = profileMemory;
    }

    /// <summary>Whether the table shows "CPU Mem" and "Self CPU Mem", <c>profile_memory</c>.</summary>
    public bool ProfileMemory { get; }

    /// <inheritdoc/>
    public int Count => Items.Count;

    /// <inheritdoc/>
    public T this[int index] => Items[index];

    /// <summary>The sum of the rows' self times, in microseconds, <c>self_cpu_time_total</c>.</summary>
    public double SelfCpuTimeTotal
    {
        get
        {
            double total = 0;
            foreach (var e in Items) total += e.SelfCpuTimeTotal;
            return total;
        }
    }

    /// <summary>
    /// Formats the rows as PyTorch 1.13's profiler table, <c>EventList.table(sort_by, row_limit, ...)</c>.
    /// </summary>
    /// <param name="sortBy">A row attribute in PyTorch's spelling to sort by, descending: <c>self_cpu_time_total</c>,
    /// <c>cpu_time_total</c>, <c>cpu_time</c>, <c>count</c>, <c>cpu_memory_usage</c>, <c>self_cpu_memory_usage</c>
    /// (the CUDA ones are accepted and are all zero); null keeps the list's order.</param>
    /// <param name="rowLimit">The most rows to print.</param>
    /// <param name="maxNameColumnWidth">Longer names are cut to this width minus 3 and end in <c>...</c>; null for no limit.</param>
    /// <param name="maxShapesColumnWidth">The widest the "Input Shapes" column gets; null for no limit.</param>
    /// <param name="header">A title printed above the table.</param>
    /// <param name="topLevelEventsOnly">Print only rows whose (first) event has no parent.</param>
    public string Table(string? sortBy = null, int rowLimit = 100, int? maxNameColumnWidth = 55,
        int? maxShapesColumnWidth = 80, string? header = null, bool topLevelEventsOnly = false) =>
        ProfilerTable.Build(Items.Cast<IProfilerEvent>().ToList(), sortBy, rowLimit, maxNameColumnWidth,
            maxShapesColumnWidth, header, ProfileMemory, topLevelEventsOnly, typeof(T).Name);

    /// <summary>The sum of all rows as one row named <c>Total</c>, <c>total_average()</c>.</summary>
    public FunctionEventAvg TotalAverage()
    {
        var total = new FunctionEventAvg();
        foreach (var e in Items)
        {
            total.ForgetKey();
            total.Add(e);
        }
        total.Rename("Total");
        return total;
    }

    /// <summary>The table with its default arguments, as <c>str(event_list)</c>.</summary>
    public override string ToString() => Table();

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => Items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// The events of a profile, nested into a tree: PyTorch's <c>EventList</c> of <c>FunctionEvent</c>s
/// after <c>_build_tree</c>.
/// </summary>
public sealed class FunctionEventList : EventList<FunctionEvent>
{
    /// <summary>
    /// A list of the given events, nested by their time ranges per thread as PyTorch does: an event is
    /// a child of the innermost event of the same thread whose [start, end) contains it. Events are
    /// re-parented, so an event belongs to the last list built from it.
    /// </summary>
    public FunctionEventList(IEnumerable<FunctionEvent> events, bool profileMemory = false) : base(events, profileMemory)
    {
        EventTree.PopulateCpuChildren(Items);
        EventTree.RemoveDuplicateNodes(Items);
    }

    /// <summary>A list whose parent links were set while recording (exact nesting, no timestamp comparisons).</summary>
    internal FunctionEventList(List<FunctionEvent> nestedEvents, bool profileMemory, bool nested) : base(nestedEvents, profileMemory)
    {
        if (!nested) EventTree.PopulateCpuChildren(Items);
        EventTree.RemoveDuplicateNodes(Items);
    }

    /// <summary>
    /// Sums the events of each name (and, with <paramref name="groupByInputShape"/>, each list of input
    /// shapes) into one row, in order of first appearance, <c>key_averages(group_by_input_shape)</c>.
    /// </summary>
    public EventList<FunctionEventAvg> KeyAverages(bool groupByInputShape = false)
    {
        var stats = new Dictionary<string, FunctionEventAvg>();
        var order = new List<FunctionEventAvg>();
        foreach (var e in Items)
        {
            string key = groupByInputShape ? e.Key + "\0" + ProfilerFormat.Shapes(e.InputShapes) : e.Key;
            if (!stats.TryGetValue(key, out var avg))
            {
                stats[key] = avg = new FunctionEventAvg();
                order.Add(avg);
            }
            avg.Add(e);
        }
        if (!groupByInputShape)
            foreach (var avg in order) avg.InputShapes = [];
        return new EventList<FunctionEventAvg>(order, ProfileMemory);
    }
}

/// <summary>Nesting events into parent/child trees, after PyTorch's EventList._build_tree.</summary>
internal static class EventTree
{
    /// <summary>
    /// <c>_populate_cpu_children</c>: per thread, events sorted by (start, -end) are pushed on a
    /// stack; an event's parent is the top of the stack once every range that cannot contain it
    /// (it starts at or after the range's end, or ends after it) has been popped.
    /// </summary>
    public static void PopulateCpuChildren(List<FunctionEvent> events)
    {
        foreach (var e in events)
        {
            e.CpuParent = null;
            e.Children = [];
        }
        foreach (var thread in events.OrderBy(e => e.Thread).GroupBy(e => e.Thread))
        {
            var stack = new List<FunctionEvent>();
            foreach (var e in thread.OrderBy(e => e.StartUs).ThenBy(e => -e.EndUs))
            {
                while (stack.Count > 0)
                {
                    var parent = stack[^1];
                    if (e.StartUs >= parent.EndUs || e.EndUs > parent.EndUs) stack.RemoveAt(stack.Count - 1);
                    else
                    {
                        parent.Children.Add(e);
                        e.CpuParent = parent;
                        break;
                    }
                }
                stack.Add(e);
            }
        }
    }

    /// <summary>
    /// <c>_remove_dup_nodes</c>: an event that is the only child of a parent of the same name (an op
    /// calling its own overload) is folded into the parent, its children lifted; repeated until none is left.
    /// </summary>
    public static void RemoveDuplicateNodes(List<FunctionEvent> events)
    {
        while (true)
        {
            var toDelete = new HashSet<FunctionEvent>(ReferenceEqualityComparer.Instance);
            foreach (var e in events)
            {
                if (e.CpuParent is { } parent && parent.Name == e.Name && parent.Children.Count == 1)
                {
                    parent.Children = e.Children;
                    foreach (var child in e.Children) child.CpuParent = parent;
                    toDelete.Add(e);
                }
            }
            if (toDelete.Count == 0) break;
            events.RemoveAll(toDelete.Contains);
        }
    }
}
