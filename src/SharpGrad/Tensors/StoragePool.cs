using System.Runtime.InteropServices;

namespace SharpGrad;

/// <summary>
/// Note [Storage pool]: eager code makes a large fresh result per op (<c>a + b</c> of 1e7 floats is a
/// 40 MB array each call). A fresh large array costs more than the op itself: the GC hands out
/// memory it decommitted after its last full collection, and the first write to every page
/// faults (about 3 ms per 4 MB on the machine of docs/performance.md). So the arrays of large
/// storages (at least <see cref="MinBytes"/>) are recycled, by exact dtype and length: the next
/// storage of that size gets an array whose pages are mapped and warm.
///
/// How an array comes back. Every pooled storage is tracked by an <see cref="Entry"/>: its array
/// (held strongly) and a weak handle to the storage that tracks resurrection, so the handle is
/// cleared only once the storage is really gone (after any finalizer that could still reach it
/// has run). An allocation that finds no free array of its size scans the entries and takes back
/// the arrays of storages whose handle is cleared. Handles are only cleared by a collection,
/// and a program that makes nothing but large tensors allocates too little else to ever start
/// one; so when the scan finds nothing and enough pooled storage (<see cref="CollectBudgetBytes"/>)
/// was handed out since the last collection, the pool starts a gen 1 collection itself (cheap
/// while few objects survive: tens of µs, against milliseconds of page faults) and scans again.
/// Gen 1, not gen 0: a storage alive at one induced collection is promoted, and must still be
/// found dead by the next one. Without the pool the same loop would trigger full (gen 2)
/// collections through the large object heap's budget instead.
///
/// Why no live storage's array is ever reused. (1) An array is reused only when the weak handle
/// of the one storage that owns it is cleared: that storage is unreachable and can never be
/// reached again. (2) Code that takes the array out of the storage (<see cref="Storage.As{T}"/>,
/// <see cref="Storage.Data"/>: printing, ToArray, GEMM and every other kernel) might keep the
/// array after the storage dies, so that marks the entry escaped and its array is never pooled.
/// (3) Only the elementwise and reduction drivers borrow the array
/// (<see cref="Storage.Borrow{T}"/>), and they keep the storage reachable with
/// <c>GC.KeepAlive</c> until their last access, so its handle cannot be cleared mid-kernel. (4)
/// One lock guards the pool.
///
/// Bounds: free arrays are kept at most <see cref="MaxArraysFor"/> per size and
/// <see cref="MaxFreeBytes"/> in all; at most <see cref="MaxTracked"/> storages are tracked (more
/// are plain allocations); free arrays nobody took for <see cref="MaxIdleCollections"/> full
/// collections are dropped (checked at every full collection), so an idle program gives its
/// memory back to the GC.
/// </summary>
internal static class StoragePool
{
    /// <summary>Smallest array pooled, in bytes: the large object heap's threshold (smaller arrays are cheap gen 0 allocations).</summary>
    public const int MinBytes = 85_000;

    /// <summary>
    /// Free arrays kept per (dtype, length), at least: sizes below a quarter of
    /// <see cref="CollectBudgetBytes"/> keep as many as two budgets hold (<see cref="MaxArraysFor"/>).
    /// </summary>
    public const int MaxArraysPerSize = 8;

    /// <summary>
    /// Free arrays kept for one size: enough for every array handed out between two induced
    /// collections to come back (a loop of 400 KB results hands out 20 per collection; with only 8
    /// kept, the other 12 calls per cycle would be fresh large-object allocations and, through the
    /// large object heap's budget, full collections).
    /// </summary>
    internal static int MaxArraysFor(long bytes) => (int)Math.Max(MaxArraysPerSize, 2 * CollectBudgetBytes / Math.Max(bytes, 1));

    /// <summary>Free bytes kept in all.</summary>
    public const long MaxFreeBytes = 256L << 20;

    /// <summary>Pooled storages tracked at once.</summary>
    public const int MaxTracked = 256;

    /// <summary>
    /// Pooled bytes handed out since the last collection before a miss starts a gen 1 collection:
    /// this or twice the size asked for, whichever is more (so a loop making one 40 MB result per
    /// call collects once per call, one making 1 MB results once per 8 calls, within
    /// <see cref="MaxArraysPerSize"/>).
    /// </summary>
    public const long CollectBudgetBytes = 8L << 20;

    /// <summary>Full collections a free array survives untaken before it is dropped.</summary>
    public const int MaxIdleCollections = 2;

    private static readonly object s_lock = new();
    private static readonly Dictionary<(DType, int), Stack<(Array Array, int Gen2)>> s_free = [];
    private static readonly List<Entry> s_tracked = [];
    private static long s_freeBytes, s_handedOutSinceCollection;
    private static int s_lastGen0Count = -1;
    private static bool s_trimmerStarted;

    /// <summary>Whether a storage of this dtype and length is pooled.</summary>
    public static bool Qualifies(DType dtype, int length) => length >= MinBytes / 8 && (long)length * ElementSize(dtype) >= MinBytes;

    /// <summary>
    /// A pooled storage of exactly this dtype and length: a recycled array when one is free, else a
    /// new one. Contents are not initialised unless <paramref name="zero"/>.
    /// </summary>
    public static Storage Allocate(DType dtype, int length, bool zero)
    {
        long bytes = (long)length * ElementSize(dtype);
        Array? array;
        lock (s_lock)
        {
            StartTrimmer();
            int gen0 = GC.CollectionCount(0);
            if (gen0 != s_lastGen0Count)
            {
                s_lastGen0Count = gen0;
                s_handedOutSinceCollection = 0;
            }
            array = Take(dtype, length);
            if (array is null)
            {
                Reclaim();
                array = Take(dtype, length);
            }
            if (array is null && s_handedOutSinceCollection >= Math.Max(CollectBudgetBytes, 2 * bytes) && s_tracked.Count > 0)
            {
                GC.Collect(1, GCCollectionMode.Forced, blocking: true);
                s_lastGen0Count = GC.CollectionCount(0);
                s_handedOutSinceCollection = 0;
                Reclaim();
                array = Take(dtype, length);
            }
            if (array is not null && zero) Array.Clear(array);
            array ??= NewArray(dtype, length, zero);
            if (s_tracked.Count >= MaxTracked) return new Storage(array, dtype);
            var entry = new Entry(array, dtype);
            var storage = new Storage(array, dtype, entry);
            entry.Bind(storage);
            s_tracked.Add(entry);
            s_handedOutSinceCollection += bytes;
            return storage;
        }
    }

    private static Array NewArray(DType dtype, int length, bool zero) => (dtype, zero) switch
    {
        (DType.Float32, false) => GC.AllocateUninitializedArray<float>(length),
        (DType.Float64, false) => GC.AllocateUninitializedArray<double>(length),
        (DType.Int64, false) => GC.AllocateUninitializedArray<long>(length),
        (DType.Int32, false) => GC.AllocateUninitializedArray<int>(length),
        (_, false) => GC.AllocateUninitializedArray<bool>(length),
        (DType.Float32, true) => new float[length],
        (DType.Float64, true) => new double[length],
        (DType.Int64, true) => new long[length],
        (DType.Int32, true) => new int[length],
        _ => new bool[length],
    };

    /// <summary>A free array of this size, or null (under the lock).</summary>
    private static Array? Take(DType dtype, int length)
    {
        if (!s_free.TryGetValue((dtype, length), out var stack) || stack.Count == 0) return null;
        s_freeBytes -= (long)length * ElementSize(dtype);
        return stack.Pop().Array;
    }

    /// <summary>Moves the arrays of dead, unescaped tracked storages to the free lists (under the lock).</summary>
    private static void Reclaim()
    {
        int gen2 = GC.CollectionCount(2);
        int kept = 0;
        for (int i = 0; i < s_tracked.Count; i++)
        {
            var entry = s_tracked[i];
            if (!entry.IsDead)
            {
                s_tracked[kept++] = entry;
                continue;
            }
            var array = entry.Release();
            if (array is null) continue; // escaped: the array may still be in use elsewhere
            long bytes = (long)array.Length * ElementSize(entry.DType);
            if (s_freeBytes + bytes > MaxFreeBytes) continue;
            if (!s_free.TryGetValue((entry.DType, array.Length), out var stack)) s_free[(entry.DType, array.Length)] = stack = new();
            if (stack.Count >= MaxArraysFor(bytes)) continue;
            stack.Push((array, gen2));
            s_freeBytes += bytes;
        }
        s_tracked.RemoveRange(kept, s_tracked.Count - kept);
    }

    /// <summary>At a full collection: reclaims dead storages and drops long-idle free arrays.</summary>
    private static void TrimAfterFullCollection()
    {
        lock (s_lock)
        {
            Reclaim();
            int gen2 = GC.CollectionCount(2);
            foreach (var (key, stack) in s_free)
            {
                int idle = 0;
                foreach (var e in stack) if (gen2 - e.Gen2 > MaxIdleCollections) idle++;
                if (idle == 0) continue;
                // Stacks enumerate newest first; rebuild with the recent ones, newest on top.
                var keep = stack.Where(e => gen2 - e.Gen2 <= MaxIdleCollections).Reverse().ToArray();
                s_freeBytes -= (long)idle * key.Item2 * ElementSize(key.Item1);
                stack.Clear();
                foreach (var e in keep) stack.Push(e);
            }
        }
    }

    private static void StartTrimmer()
    {
        if (s_trimmerStarted) return;
        s_trimmerStarted = true;
        _ = new FullCollectionCallback();
    }

    private static int ElementSize(DType dtype) => dtype switch
    {
        DType.Float64 or DType.Int64 => 8,
        DType.Float32 or DType.Int32 => 4,
        _ => 1,
    };

    /// <summary>Bytes of free arrays held by the pool (for tests).</summary>
    internal static long FreeBytes
    {
        get
        {
            lock (s_lock) return s_freeBytes;
        }
    }

    /// <summary>One pooled storage: its array, and a weak handle telling when the storage is gone.</summary>
    internal sealed class Entry(Array array, DType dtype)
    {
        private GCHandle _storage;
        private Array? _array = array;
        private volatile bool _escaped;

        public DType DType { get; } = dtype;

        public void Bind(Storage storage) => _storage = GCHandle.Alloc(storage, GCHandleType.WeakTrackResurrection);

        /// <summary>The array left the storage (<see cref="Storage.As{T}"/>): never reuse it.</summary>
        public void Escape() => _escaped = true;

        /// <summary>True once the storage is unreachable for good (under the pool lock).</summary>
        public bool IsDead => _storage.Target is null;

        /// <summary>Frees the handle; returns the array when it may be reused.</summary>
        public Array? Release()
        {
            _storage.Free();
            var array = _array;
            _array = null;
            return _escaped ? null : array;
        }
    }

    /// <summary>Runs <see cref="TrimAfterFullCollection"/> once per full collection, for the life of the process.</summary>
    private sealed class FullCollectionCallback
    {
        private int _gen2 = GC.CollectionCount(2);

        ~FullCollectionCallback()
        {
            if (Environment.HasShutdownStarted) return;
            int gen2 = GC.CollectionCount(2);
            if (gen2 != _gen2)
            {
                _gen2 = gen2;
                try
                {
                    TrimAfterFullCollection();
                }
                catch
                {
                    // A trim is an optimisation; never let it take the finalizer thread down.
                }
            }
            GC.ReRegisterForFinalize(this);
        }
    }
}
