namespace SharpGrad.Kernels;

/// <summary>
/// Note [Parallel for]: work above a measured size threshold is split into one contiguous chunk
/// per thread, by index range only, so every element is computed by the same code in the same
/// order whatever the thread count: results are identical for 1 and N threads. The calling
/// thread runs the first chunk itself; persistent workers, woken through a spin-then-block event,
/// run the others, so a parallel region costs a few microseconds, not a Task allocation per chunk.
/// </summary>
internal static class ParallelFor
{
    private static int s_threads = Math.Max(1, Environment.ProcessorCount);
    private static Worker[] s_workers = [];
    private static readonly object s_lock = new();

    /// <summary>The number of threads kernels may use (<c>torch.get_num_threads()</c>).</summary>
    public static int Threads
    {
        get => s_threads;
        set
        {
            if (value < 1) throw new ArgumentException($"Number of threads must be positive, got {value}");
            s_threads = value;
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/>(start, end) over [0, <paramref name="count"/>) in up to
    /// <see cref="Threads"/> chunks of at least <paramref name="grain"/> items each.
    /// </summary>
    public static void For<TBody>(int count, int grain, ref TBody body) where TBody : struct, IRangeBody
    {
        int chunks = Math.Min(s_threads, Math.Max(1, count / Math.Max(grain, 1)));
        if (chunks <= 1 || t_insideRegion)
        {
            body.Run(0, count);
            return;
        }
        lock (s_lock)
        {
            EnsureWorkers(chunks - 1);
            var boxed = new BodyBox<TBody>(body);
            var done = new CountdownEvent(chunks - 1);
            for (int c = 1; c < chunks; c++)
            {
                int start = (int)((long)count * c / chunks), end = (int)((long)count * (c + 1) / chunks);
                s_workers[c - 1].Post(boxed, start, end, done);
            }
            t_insideRegion = true;
            try
            {
                body.Run(0, (int)((long)count / chunks));
            }
            finally
            {
                t_insideRegion = false;
            }
            done.Wait();
            if (boxed.Error is { } error) throw new AggregateException(error);
        }
    }

    [ThreadStatic] private static bool t_insideRegion;

    private static void EnsureWorkers(int needed)
    {
        if (s_workers.Length >= needed) return;
        var workers = new Worker[needed];
        Array.Copy(s_workers, workers, s_workers.Length);
        for (int i = s_workers.Length; i < needed; i++) workers[i] = new Worker();
        s_workers = workers;
    }

    private interface IBox
    {
        void Run(int start, int end);
    }

    private sealed class BodyBox<TBody>(TBody body) : IBox where TBody : struct, IRangeBody
    {
        public Exception? Error;

        public void Run(int start, int end)
        {
            try
            {
                var copy = body;
                copy.Run(start, end);
            }
            catch (Exception e)
            {
                Error = e;
            }
        }
    }

    private sealed class Worker
    {
        private readonly ManualResetEventSlim _ready = new(false, spinCount: 2000);
        private IBox? _box;
        private int _start, _end;
        private CountdownEvent? _done;

        public Worker()
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = "SharpGrad worker" };
            thread.Start();
        }

        public void Post(IBox box, int start, int end, CountdownEvent done)
        {
            _box = box;
            _start = start;
            _end = end;
            _done = done;
            _ready.Set();
        }

        // An idle worker must not keep the last region's tensors (and their storages, Note
        // [Storage pool]) alive: the references are dropped before running, and held only in this
        // frame, which is gone when the worker waits (the loop's own frame may keep every local).
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private void RunPosted()
        {
            var box = _box!;
            var done = _done!;
            _box = null;
            _done = null;
            box.Run(_start, _end);
            done.Signal();
        }

        private void Loop()
        {
            t_insideRegion = true;
            while (true)
            {
                _ready.Wait();
                _ready.Reset();
                RunPosted();
            }
        }
    }
}

/// <summary>A loop body over an index range, as a struct so the call is not virtual on the caller's chunk.</summary>
internal interface IRangeBody
{
    void Run(int start, int end);
}
