using System.Diagnostics;
using System.Text.Json.Nodes;

namespace SharpGrad.Benchmarks;

// Needs the Mlp of Mlp.cs (Matmul, Relu, CrossEntropy).
public static partial class Program
{
    /// <summary>
    /// <c>--memory</c>: trains the 784-128-10 MLP (batch 64) for <c>--warmup</c> steps, then measures the
    /// managed heap (<c>GC.GetTotalMemory(true)</c>) before and after <c>--steps</c> more, and the
    /// process's peak working set. A leak (graphs or saved tensors kept alive) shows as growth.
    /// Mirrors <c>torch_workloads.py --groups memory</c>.
    /// </summary>
    static partial void RunMemorySoak(Options options, ref bool ran)
    {
        ran = true;
        Torch.ManualSeed(0);
        var mlp = new Mlp(784, 128, 10);
        var x = Torch.Randn(64, 784);
        var y = Torch.RandInt(0, 10, [64]);
        for (int i = 0; i < options.Warmup; i++) mlp.Step(x, y, MlpBenchmarks.LearningRate);

        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        var watch = Stopwatch.StartNew();
        Tensor loss = x;
        for (int i = 0; i < options.Steps; i++) loss = mlp.Step(x, y, MlpBenchmarks.LearningRate);
        watch.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();

        WriteSummary(options.SummaryPath, new JsonObject
        {
            ["steps"] = options.Steps,
            ["warmup_steps"] = options.Warmup,
            ["final_loss"] = loss.Item<float>(),
            ["step_mean_ns"] = watch.Elapsed.TotalNanoseconds / options.Steps,
            ["heap_before_bytes"] = heapBefore,
            ["heap_after_bytes"] = heapAfter,
            ["heap_growth_bytes"] = heapAfter - heapBefore,
            ["allocated_bytes_per_step"] = allocated / options.Steps,
            ["gc_gen0"] = GC.CollectionCount(0) - gen0,
            ["gc_gen1"] = GC.CollectionCount(1) - gen1,
            ["gc_gen2"] = GC.CollectionCount(2) - gen2,
            ["peak_working_set_bytes"] = process.PeakWorkingSet64,
        });
    }
}
