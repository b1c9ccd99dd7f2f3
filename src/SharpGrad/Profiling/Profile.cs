using System.Text.Json;

namespace SharpGrad.Profiling;

/// <summary>
/// A running or finished profile, PyTorch's <c>torch.autograd.profiler.profile</c>: created by
/// <c>Torch.Autograd.Profiler.Profile()</c>, it records every op, backward node and user range on
/// every thread until disposed; then <see cref="KeyAverages"/>, <see cref="Table"/> and
/// <see cref="ExportChromeTrace"/> report what ran.
/// </summary>
public sealed class Profile : IDisposable
{
    private ProfilerSession? _session;
    private FunctionEventList? _events;
    private List<FunctionEvent>? _allEvents;

    internal Profile(bool enabled, bool recordShapes, bool profileMemory)
    {
        Enabled = enabled;
        RecordShapes = recordShapes;
        ProfileMemory = profileMemory;
        if (!enabled) return;
        var session = new ProfilerSession(recordShapes, profileMemory);
        if (Interlocked.CompareExchange(ref Profiler.Active, session, null) is not null)
            throw new InvalidOperationException("Profiler is already enabled on this thread.");
        _session = session;
    }

    /// <summary>Whether this profile records anything, <c>enabled</c>.</summary>
    public bool Enabled { get; }

    /// <summary>Whether ops record their inputs' shapes, <c>record_shapes</c>.</summary>
    public bool RecordShapes { get; }

    /// <summary>Whether tensor allocations are recorded, <c>profile_memory</c>.</summary>
    public bool ProfileMemory { get; }

    /// <summary>Stops recording and builds the event tree, <c>profile.__exit__</c>.</summary>
    public void Dispose()
    {
        var session = _session;
        if (session is null) return;
        _session = null;
        Interlocked.CompareExchange(ref Profiler.Active, null, session);
        var raw = session.Stop();
        // The order PyTorch gives function_events: by start, longer (enclosing) ranges first;
        // the recording order breaks ties, so a parent always precedes its children.
        raw.Sort((a, b) =>
            a.StartTicks != b.StartTicks ? a.StartTicks.CompareTo(b.StartTicks)
            : a.EndTicks != b.EndTicks ? b.EndTicks.CompareTo(a.EndTicks)
            : a.Id.CompareTo(b.Id));
        var map = new Dictionary<RawEvent, FunctionEvent>(raw.Count, ReferenceEqualityComparer.Instance);
        var events = new List<FunctionEvent>(raw.Count);
        foreach (var r in raw)
        {
            var fe = new FunctionEvent(r.Id, r.Name, r.Thread.ThreadId, session.ToMicroseconds(r.StartTicks),
                session.ToMicroseconds(r.EndTicks), r.Shapes, r.Bytes, (int)r.Scope, r.SequenceNr);
            map[r] = fe;
            events.Add(fe);
        }
        // Parents are known exactly from recording (Note [Profiler threads]); a parent still open
        // when the profile stopped is skipped for the nearest finished ancestor.
        foreach (var r in raw)
        {
            var ancestor = r.Parent;
            while (ancestor is not null && !map.ContainsKey(ancestor)) ancestor = ancestor.Parent;
            if (ancestor is null) continue;
            var parent = map[ancestor];
            map[r].CpuParent = parent;
            parent.Children.Add(map[r]);
        }
        _allEvents = [.. events];
        _events = new FunctionEventList(events, ProfileMemory, nested: true);
    }

    /// <summary>Every recorded event, nested, <c>profile.function_events</c>.</summary>
    /// <exception cref="InvalidOperationException">The profile has not been disposed yet.</exception>
    public FunctionEventList FunctionEvents => _events ?? throw new InvalidOperationException("Profiler didn't finish running");

    /// <summary>
    /// The events summed per name (and per input shapes with <paramref name="groupByInputShape"/>),
    /// <c>prof.key_averages(group_by_input_shape)</c>.
    /// </summary>
    public EventList<FunctionEventAvg> KeyAverages(bool groupByInputShape = false) => FunctionEvents.KeyAverages(groupByInputShape);

    /// <summary>The table of every single event, <c>prof.table(...)</c>; see <see cref="EventList{T}.Table"/>.</summary>
    public string Table(string? sortBy = null, int rowLimit = 100, int? maxNameColumnWidth = 55,
        int? maxShapesColumnWidth = 80, string? header = null, bool topLevelEventsOnly = false) =>
        FunctionEvents.Table(sortBy, rowLimit, maxNameColumnWidth, maxShapesColumnWidth, header, topLevelEventsOnly);

    /// <summary>All events summed into one row named <c>Total</c>, <c>prof.total_average()</c>.</summary>
    public FunctionEventAvg TotalAverage() => FunctionEvents.TotalAverage();

    /// <summary>The sum of all events' self times in microseconds, <c>prof.self_cpu_time_total</c>.</summary>
    public double SelfCpuTimeTotal => FunctionEvents.SelfCpuTimeTotal;

    /// <summary>
    /// Writes the events as a Chrome trace-event file (<c>{"traceEvents": [...]}</c>, complete events
    /// with <c>"ph": "X"</c>, times in microseconds) that chrome://tracing and Perfetto open,
    /// <c>prof.export_chrome_trace(path)</c>.
    /// </summary>
    public void ExportChromeTrace(string path)
    {
        var events = _allEvents ?? throw new InvalidOperationException("Profiler didn't finish running");
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        int pid = Environment.ProcessId;
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", 1);
        json.WriteString("displayTimeUnit", "ms");
        json.WriteStartArray("traceEvents");
        foreach (var e in events)
        {
            bool memory = e.Name == "[memory]";
            json.WriteStartObject();
            json.WriteString("ph", memory ? "i" : "X");
            if (memory) json.WriteString("s", "t");
            json.WriteString("cat", memory ? "cpu_instant_event" : e.Scope == 7 ? "user_annotation" : "cpu_op");
            json.WriteString("name", e.Name);
            json.WriteNumber("pid", pid);
            json.WriteNumber("tid", e.Thread);
            // Nanosecond resolution: rounding start and end separately keeps children inside parents.
            long startNs = (long)Math.Round(e.StartUs * 1000), endNs = (long)Math.Round(e.EndUs * 1000);
            json.WriteNumber("ts", startNs / 1000.0);
            if (!memory) json.WriteNumber("dur", (endNs - startNs) / 1000.0);
            json.WriteStartObject("args");
            if (memory) json.WriteNumber("Bytes", e.CpuMemoryUsage);
            if (!memory && RecordShapes)
            {
                json.WriteStartArray("Input Dims");
                foreach (var shape in e.InputShapes)
                {
                    json.WriteStartArray();
                    foreach (int d in shape) json.WriteNumberValue(d);
                    json.WriteEndArray();
                }
                json.WriteEndArray();
            }
            if (e.SequenceNr >= 0) json.WriteNumber("Sequence number", e.SequenceNr);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The table of every event, or <c>&lt;unfinished torch.autograd.profile&gt;</c> while recording, as <c>str(prof)</c>.</summary>
    public override string ToString() => _events is null ? "<unfinished torch.autograd.profile>" : _events.Table();
}
