using BenchmarkDotNet.Attributes;

namespace SharpGrad.Benchmarks;

/// <summary>
/// The large MLP step (784-1024-1024-10, batch 256) on 1 and 2 threads, for issue 3's "2 threads
/// never slower than 1". Sets the thread count itself, like <see cref="SgemmBenchmarks"/>, so
/// bench/compare.sh runs it without <c>DOTNET_PROCESSOR_COUNT=1</c>. Mirrors the "mlpthreads"
/// group of bench/torch_workloads.py (keys <c>mlp_large_step_threads1</c> and <c>..._threads2</c>).
/// </summary>
public class MlpThreadsBenchmarks
{
    /// <summary>Threads given to <c>Torch.SetNumThreads</c>.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    private Mlp _large = null!;
    private Tensor _x = null!, _y = null!;
    private int _previousThreads;

    /// <summary>The network and one fixed batch, as in <see cref="MlpBenchmarks"/>; sets the thread count.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _previousThreads = Torch.GetNumThreads();
        Torch.SetNumThreads(Threads);
        if (Torch.GetNumThreads() != Threads)
            throw new InvalidOperationException($"SetNumThreads({Threads}) left {Torch.GetNumThreads()} threads");
        Torch.ManualSeed(0);
        _large = new Mlp(784, 1024, 1024, 10);
        _x = Torch.Randn(256, 784);
        _y = Torch.RandInt(0, 10, [256]);
    }

    /// <summary>Restores the thread count.</summary>
    [GlobalCleanup]
    public void Cleanup() => Torch.SetNumThreads(_previousThreads);

    /// <summary>784-1024-1024-10, batch 256: forward, backward, SGD update.</summary>
    [Benchmark(Description = "mlp_large_step")]
    public Tensor LargeStep() => _large.Step(_x, _y, MlpBenchmarks.LearningRate);
}
