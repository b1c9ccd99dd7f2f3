using BenchmarkDotNet.Attributes;

namespace SharpGrad.Benchmarks;

// Needs Torch.Matmul (reductions branch); the csproj excludes this file until it is merged. The
// only benchmark that sets the thread count (Torch.SetNumThreads); to run it on a SharpGrad without
// that API, exclude this file alone.
/// <summary>
/// Float32 matrix product of two n x n matrices on 1 and 2 threads; bench/compare.sh reports
/// 2n^3 / median time as GFLOP/s. Mirrors the "sgemm" group (PyTorch on OpenBLAS).
/// </summary>
public class SgemmBenchmarks
{
    /// <summary>Matrix side.</summary>
    [Params(64, 256, 512, 1024, 2048)]
    public int N { get; set; }

    /// <summary>Threads given to <c>Torch.SetNumThreads</c>.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    private Tensor _a = null!, _b = null!;
    private int _previousThreads;

    /// <summary>Two n x n standard-normal float32 matrices; sets the thread count.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _previousThreads = Torch.GetNumThreads();
        Torch.SetNumThreads(Threads);
        if (Torch.GetNumThreads() != Threads)
            throw new InvalidOperationException($"SetNumThreads({Threads}) left {Torch.GetNumThreads()} threads");
        Torch.ManualSeed(0);
        _a = Torch.Randn(N, N);
        _b = Torch.Randn(N, N);
    }

    /// <summary>Restores the thread count.</summary>
    [GlobalCleanup]
    public void Cleanup() => Torch.SetNumThreads(_previousThreads);

    /// <summary><c>torch.matmul(a, b)</c>.</summary>
    [Benchmark(Description = "sgemm")]
    public Tensor Matmul() => Torch.Matmul(_a, _b);
}
