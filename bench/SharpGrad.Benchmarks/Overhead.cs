using BenchmarkDotNet.Attributes;

namespace SharpGrad.Benchmarks;

/// <summary>
/// Per-op overhead: one <c>Add</c> of two 1-element float32 tensors, where the arithmetic is nothing
/// and dispatch, allocation and graph recording are everything. Mirrors the "overhead" group.
/// </summary>
public class OverheadBenchmarks
{
    private Tensor _a = null!, _b = null!, _leaf = null!;

    /// <summary>1-element operands; <c>_leaf</c> requires grad.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _a = Torch.Ones(1);
        _b = Torch.Ones(1);
        _leaf = Torch.Ones(1, requiresGrad: true);
    }

    /// <summary><c>a + b</c>, no operand requires grad: no graph.</summary>
    [Benchmark(Description = "overhead_add_nograd")]
    public Tensor AddNoGrad() => _a + _b;

    /// <summary><c>leaf + b</c> with <c>leaf.requires_grad</c>: records an <c>AddBackward0</c> node.</summary>
    [Benchmark(Description = "overhead_add_graph")]
    public Tensor AddGraph() => _leaf + _b;
}
