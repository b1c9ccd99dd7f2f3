namespace SharpGrad.Profiling;

/// <summary>
/// What a row of the profiler table shows, common to one event (<see cref="FunctionEvent"/>) and an
/// average over events of one name (<see cref="FunctionEventAvg"/>). Times are in microseconds,
/// memory in bytes.
/// </summary>
public interface IProfilerEvent
{
    /// <summary>The name the row is grouped and printed under, <c>evt.key</c>.</summary>
    string Key { get; }

    /// <summary>The number of calls, <c>evt.count</c>.</summary>
    int Count { get; }

    /// <summary>Wall time including children, <c>evt.cpu_time_total</c>.</summary>
    double CpuTimeTotal { get; }

    /// <summary>Wall time minus the children's, <c>evt.self_cpu_time_total</c>.</summary>
    double SelfCpuTimeTotal { get; }

    /// <summary><c>CpuTimeTotal / Count</c> (0 when Count is 0), <c>evt.cpu_time</c>.</summary>
    double CpuTime { get; }

    /// <summary>Bytes allocated while the range was open, children included, <c>evt.cpu_memory_usage</c>.</summary>
    long CpuMemoryUsage { get; }

    /// <summary>Bytes allocated minus the children's, <c>evt.self_cpu_memory_usage</c>.</summary>
    long SelfCpuMemoryUsage { get; }

    /// <summary>The shapes of the op's tensor inputs when recorded (empty otherwise), <c>evt.input_shapes</c>.</summary>
    IReadOnlyList<int[]> InputShapes { get; }

    /// <summary>The enclosing range on the same thread, or null for a top-level event, <c>evt.cpu_parent</c>.</summary>
    FunctionEvent? CpuParent { get; }
}

/// <summary>
/// One profiled range: an op, a backward node, an engine step or a user range. PyTorch's
/// <c>torch.autograd.profiler_util.FunctionEvent</c>.
/// </summary>
/// <remarks>
/// Events of one thread nest: <see cref="CpuParent"/> is the innermost range that contains this
/// one, <see cref="CpuChildren"/> the ranges directly inside it. Self time and self memory subtract
/// the direct children's totals, exactly as PyTorch does.
/// </remarks>
public sealed class FunctionEvent : IProfilerEvent
{
    /// <summary>Creates an event; <paramref name="startUs"/> and <paramref name="endUs"/> are microseconds since the profile began.</summary>
    public FunctionEvent(long id, string name, long thread, double startUs, double endUs,
        IReadOnlyList<int[]>? inputShapes = null, long cpuMemoryUsage = 0, int scope = 0, long sequenceNr = -1)
    {
        Id = id;
        Name = name;
        Thread = thread;
        StartUs = startUs;
        EndUs = endUs;
        InputShapes = inputShapes ?? [];
        CpuMemoryUsage = cpuMemoryUsage;
        Scope = scope;
        SequenceNr = sequenceNr;
    }

    /// <summary>The event's id (recording order), <c>evt.id</c>.</summary>
    public long Id { get; }

    /// <summary>The op, node or range name, such as <c>aten::mul</c>, <c>evt.name</c>.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public string Key => Name;

    /// <summary>The id of the thread the range ran on, <c>evt.thread</c>.</summary>
    public long Thread { get; }

    /// <summary>Start, in microseconds since the profile began, <c>evt.time_range.start</c>.</summary>
    public double StartUs { get; }

    /// <summary>End, in microseconds since the profile began, <c>evt.time_range.end</c>.</summary>
    public double EndUs { get; }

    /// <inheritdoc/>
    public IReadOnlyList<int[]> InputShapes { get; }

    /// <inheritdoc/>
    public long CpuMemoryUsage { get; }

    /// <summary>PyTorch's RecordScope: 0 for ops, 1 for backward nodes, 7 for user ranges, <c>evt.scope</c>.</summary>
    public int Scope { get; }

    /// <summary>The sequence number linking a backward node to its forward op (-1 when none), <c>evt.sequence_nr</c>.</summary>
    public long SequenceNr { get; }

    /// <inheritdoc/>
    public int Count => 1;

    /// <summary>The ranges directly inside this one, <c>evt.cpu_children</c>.</summary>
    public IReadOnlyList<FunctionEvent> CpuChildren => Children;

    /// <inheritdoc/>
    public FunctionEvent? CpuParent { get; internal set; }

    internal List<FunctionEvent> Children { get; set; } = [];

    /// <inheritdoc/>
    public double CpuTimeTotal => EndUs - StartUs;

    /// <inheritdoc/>
    public double SelfCpuTimeTotal
    {
        get
        {
            double children = 0; // summed first, then subtracted, in PyTorch's order
            foreach (var child in Children) children += child.CpuTimeTotal;
            return CpuTimeTotal - children;
        }
    }

    /// <inheritdoc/>
    public double CpuTime => CpuTimeTotal;

    /// <inheritdoc/>
    public long SelfCpuMemoryUsage
    {
        get
        {
            long children = 0;
            foreach (var child in Children) children += child.CpuMemoryUsage;
            return CpuMemoryUsage - children;
        }
    }

    /// <summary>A short description, after PyTorch's repr.</summary>
    public override string ToString() =>
        $"<FunctionEvent id={Id} name={Name} cpu_time={ProfilerFormat.Time(CpuTime)} start_us={ProfilerFormat.Number(StartUs)} " +
        $"end_us={ProfilerFormat.Number(EndUs)} cpu_children=[{string.Join(", ", Children.Select(c => c.Id))}] thread={Thread} " +
        $"input_shapes={ProfilerFormat.Shapes(InputShapes)} cpu_memory_usage={CpuMemoryUsage}>";
}

/// <summary>
/// The sum of several events with one key (and, when grouped so, one list of input shapes):
/// a row of <c>key_averages()</c>. PyTorch's <c>FunctionEventAvg</c>.
/// </summary>
public sealed class FunctionEventAvg : IProfilerEvent
{
    private bool _started;

    /// <inheritdoc/>
    public string Key { get; private set; } = "";

    /// <inheritdoc/>
    public int Count { get; private set; }

    /// <inheritdoc/>
    public double CpuTimeTotal { get; private set; }

    /// <inheritdoc/>
    public double SelfCpuTimeTotal { get; private set; }

    /// <inheritdoc/>
    public double CpuTime => Count == 0 ? 0.0 : CpuTimeTotal / Count;

    /// <inheritdoc/>
    public long CpuMemoryUsage { get; private set; }

    /// <inheritdoc/>
    public long SelfCpuMemoryUsage { get; private set; }

    /// <inheritdoc/>
    public IReadOnlyList<int[]> InputShapes { get; internal set; } = [];

    /// <summary>The parent of the first event added (decides "top level" in the table), <c>cpu_parent</c>.</summary>
    public FunctionEvent? CpuParent { get; private set; }

    /// <summary>Adds one event's (or average's) totals; the first one added sets the key and shapes, <c>FunctionEventAvg.add</c>.</summary>
    public FunctionEventAvg Add(IProfilerEvent other)
    {
        if (!_started)
        {
            _started = true;
            Key = other.Key;
            CpuParent = other.CpuParent;
            InputShapes = other.InputShapes;
        }
        else if (other.Key != Key)
            throw new ArgumentException($"cannot add an event of key {other.Key} to an average of key {Key}");
        CpuTimeTotal += other.CpuTimeTotal;
        SelfCpuTimeTotal += other.SelfCpuTimeTotal;
        CpuMemoryUsage += other.CpuMemoryUsage;
        SelfCpuMemoryUsage += other.SelfCpuMemoryUsage;
        Count += other.Count;
        return this;
    }

    /// <summary>Forgets the key so the next <see cref="Add"/> takes any event (PyTorch's total_average).</summary>
    internal void ForgetKey() => _started = false;

    internal void Rename(string key) => Key = key;

    /// <summary>A short description, after PyTorch's repr.</summary>
    public override string ToString() =>
        $"<FunctionEventAvg key={Key} self_cpu_time={ProfilerFormat.Time(SelfCpuTimeTotal)} cpu_time={ProfilerFormat.Time(CpuTime)} " +
        $"input_shapes={ProfilerFormat.Shapes(InputShapes)} cpu_memory_usage={CpuMemoryUsage}>";
}
