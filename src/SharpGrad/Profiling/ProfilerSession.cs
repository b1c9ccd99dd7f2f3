using System.Diagnostics;

namespace SharpGrad.Profiling;

/// <summary>PyTorch's <c>RecordScope</c> values that SharpGrad records (the <c>scope</c> of a FunctionEvent).</summary>
internal enum EventScope
{
    /// <summary>An op (<c>RecordScope::FUNCTION</c>).</summary>
    Function = 0,

    /// <summary>A backward node's formula (<c>RecordScope::BACKWARD_FUNCTION</c>).</summary>
    BackwardFunction = 1,

    /// <summary>A user range, <c>record_function</c> (<c>RecordScope::USER_SCOPE</c>).</summary>
    UserScope = 7,
}

/// <summary>
/// An open or finished range while a profile records: raw clock ticks, the enclosing open range on
/// the same thread, and the bytes allocated inside it (children's bytes included once they end).
/// </summary>
internal sealed class RawEvent
{
    public required string Name;
    public required EventScope Scope;
    public required long SequenceNr;
    public required int[][]? Shapes;
    public required ProfilerSession.ThreadState Thread;
    public required RawEvent? Parent;
    public required long Id;
    public long StartTicks, EndTicks;
    public long Bytes;
    public bool Ended;
}

/// <summary>
/// The recording side of one profile. Note [Profiler threads]: each thread keeps its own stack of
/// open ranges (a [ThreadStatic] state tagged with the session, so a state left over from an earlier
/// session is never reused), which gives every event its parent exactly, without comparing
/// timestamps; finished events from all threads are appended to one list under a lock. Memory is
/// charged to the innermost open range of the allocating thread and added to its parent when it
/// ends, so "CPU Mem" includes children and "Self CPU Mem" (total minus children) does not. An
/// allocation outside any range becomes a zero-length "[memory]" event, as in PyTorch.
/// </summary>
internal sealed class ProfilerSession
{
    /// <summary>The per-thread stack of open ranges.</summary>
    internal sealed class ThreadState(ProfilerSession session)
    {
        public readonly ProfilerSession Session = session;
        public readonly int ThreadId = Environment.CurrentManagedThreadId;
        public RawEvent? Top;
    }

    [ThreadStatic] private static ThreadState? t_state;

    private readonly List<RawEvent> _finished = [];
    private readonly Lock _lock = new();
    private long _nextId;
    private bool _stopped;

    public ProfilerSession(bool recordShapes, bool profileMemory)
    {
        RecordShapes = recordShapes;
        ProfileMemory = profileMemory;
        StartTicks = Stopwatch.GetTimestamp();
    }

    /// <summary>Whether ops record the shapes of their tensor inputs.</summary>
    public bool RecordShapes { get; }

    /// <summary>Whether tensor allocations are charged to the open ranges.</summary>
    public bool ProfileMemory { get; }

    /// <summary>The clock at the start of the profile: event times are relative to it.</summary>
    public long StartTicks { get; }

    private ThreadState CurrentThread()
    {
        var state = t_state;
        if (state is null || state.Session != this) t_state = state = new ThreadState(this);
        return state;
    }

    /// <summary>Opens a range on the calling thread; the clock is read last so bookkeeping is not timed.</summary>
    public RecordScope Begin(string name, EventScope scope, long sequenceNr, int[][]? shapes)
    {
        var state = CurrentThread();
        var ev = new RawEvent
        {
            Name = name, Scope = scope, SequenceNr = sequenceNr, Shapes = shapes, Thread = state,
            Parent = state.Top, Id = Interlocked.Increment(ref _nextId),
        };
        state.Top = ev;
        ev.StartTicks = Stopwatch.GetTimestamp();
        return new RecordScope(ev);
    }

    /// <summary>Closes a range (the clock is read first); a second Dispose of a copied scope does nothing.</summary>
    public void End(RawEvent ev)
    {
        long end = Stopwatch.GetTimestamp();
        if (ev.Ended) return;
        ev.Ended = true;
        ev.EndTicks = end;
        var state = ev.Thread;
        if (state.Top == ev) state.Top = ev.Parent;
        if (ev.Parent is { } parent) parent.Bytes += ev.Bytes;
        lock (_lock)
            if (!_stopped) _finished.Add(ev);
    }

    /// <summary>Charges <paramref name="bytes"/> to the calling thread's innermost open range.</summary>
    public void Allocated(long bytes)
    {
        var state = CurrentThread();
        if (state.Top is { } top)
        {
            top.Bytes += bytes;
            return;
        }
        long now = Stopwatch.GetTimestamp();
        var ev = new RawEvent
        {
            Name = "[memory]", Scope = EventScope.Function, SequenceNr = -1, Shapes = RecordShapes ? [] : null,
            Thread = state, Parent = null, Id = Interlocked.Increment(ref _nextId),
            StartTicks = now, EndTicks = now, Bytes = bytes, Ended = true,
        };
        lock (_lock)
            if (!_stopped) _finished.Add(ev);
    }

    /// <summary>Stops recording and returns the finished events; ranges still open are dropped.</summary>
    public List<RawEvent> Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            return [.. _finished];
        }
    }

    /// <summary>Microseconds since the start of the profile.</summary>
    public double ToMicroseconds(long ticks) => (ticks - StartTicks) * (1e6 / Stopwatch.Frequency);
}
