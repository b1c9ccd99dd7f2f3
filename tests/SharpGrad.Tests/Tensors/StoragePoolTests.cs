using System.Runtime.CompilerServices;

namespace SharpGrad.Tests.Tensors;

// Note [Storage pool]: arrays of dead large storages are reused; live or escaped ones never are.
// Sizes here are odd on purpose (no other test makes tensors of these lengths), and the class
// runs in the "Threads" collection, away from the tests that change the thread count.
[Collection("Threads")]
public class StoragePoolTests
{
    private const int N = 262_147; // 1 MB and a bit of float32: pooled

    private static Tensor Iota(int n, float start) => Torch.Arange(n, dtype: DType.Float32) + start;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Storage, Array Array) MakeAndDrop(Tensor a, Tensor b, bool escape)
    {
        var r = a + b;
        Assert.True(r.Storage.IsPooled);
        // Data hands the array out (it escapes); FindArray peeks at it without telling the storage.
        Array array = escape ? r.Storage.Data : FindArray(r);
        return (new WeakReference(r.Storage), array);
    }

    // The storage's array, read by reflection so that the storage does not count it as escaped.
    private static Array FindArray(Tensor t) =>
        (Array)typeof(Storage).GetField("_data", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(t.Storage)!;

    private static void CollectUntilDead(WeakReference storage)
    {
        for (int i = 0; i < 10 && storage.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(storage.IsAlive);
    }

    [Fact]
    public void The_array_of_a_dead_large_storage_is_reused_with_correct_results()
    {
        var a = Iota(N, 0);
        var b = Iota(N, 1);
        var x = a.ToArray<float>();
        var y = b.ToArray<float>();
        // Other test classes run (and collect) at the same time; a full collection of theirs may
        // trim the free array in between, so a few attempts are allowed: reuse must happen.
        bool reused = false;
        for (int attempt = 0; attempt < 5 && !reused; attempt++)
        {
            var (storage, array) = MakeAndDrop(a, b, escape: false);
            CollectUntilDead(storage);
            var product = a * b;
            reused = product.Storage.IsBackedBy(array);
            Assert.Equal(x.Zip(y, (p, q) => p * q).ToArray(), product.ToArray<float>());
        }
        Assert.True(reused);
    }

    [Fact]
    public void An_escaped_array_is_never_reused()
    {
        var a = Iota(N + 2, 0);
        var b = Iota(N + 2, 1);
        var (storage, array) = MakeAndDrop(a, b, escape: true);
        CollectUntilDead(storage);
        var results = new List<Tensor>();
        for (int i = 0; i < 12; i++)
        {
            results.Add(a + i);
            GC.Collect();
        }
        Assert.All(results, r => Assert.False(r.Storage.IsBackedBy(array)));
        // Whoever holds the escaped array may write it; no tensor sees that.
        Array.Fill((float[])array, -1f);
        var x = a.ToArray<float>();
        for (int i = 0; i < results.Count; i++) Assert.Equal(x.Select(v => v + i).ToArray(), results[i].ToArray<float>());
    }

    [Fact]
    public void Live_storages_keep_their_arrays_through_collections_and_reuse()
    {
        var a = Iota(N + 4, 0);
        var live = new List<Tensor>();
        for (int i = 0; i < 24; i++)
        {
            // Every other result dies at once and goes back to the pool; the kept ones must not be handed out again.
            live.Add(a * (i + 1));
            _ = a + 1000 * i;
            if (i % 4 == 0) GC.Collect();
        }
        var x = a.ToArray<float>();
        for (int i = 0; i < live.Count; i++)
            Assert.Equal(x.Select(v => v * (i + 1)).ToArray(), live[i].ToArray<float>());
        var arrays = live.Select(FindArray).ToArray();
        Assert.Equal(arrays.Length, arrays.Distinct(ReferenceEqualityComparer.Instance).Count());
    }

    [Fact]
    public void A_loop_of_large_results_reuses_memory_instead_of_allocating_it()
    {
        var a = Iota(1 << 20, 0); // 4 MB
        var b = Iota(1 << 20, 2);
        Tensor sink = a;
        for (int i = 0; i < 4; i++) sink = a + b; // warm the pool
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 40; i++) sink = a + b;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Without the pool: 40 x 4 MB. With it, the arrays come back (a few may still be fresh).
        Assert.True(allocated < 10L * (4 << 20), $"allocated {allocated} bytes");
        Assert.Equal(a.ToArray<float>().Select(v => v + v + 2).ToArray(), sink.ToArray<float>());
    }

    [Fact]
    public void Small_storages_are_not_pooled()
    {
        Assert.False((Torch.Ones(1000) + 1).Storage.IsPooled);
        Assert.True((Torch.Ones(N) + 1).Storage.IsPooled);
    }
}
