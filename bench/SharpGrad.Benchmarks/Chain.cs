using BenchmarkDotNet.Attributes;

namespace SharpGrad.Benchmarks;

/// <summary>
/// A chain of 1000 scalar ops (add, mul, sin in turn) on a 0-dim float32 leaf, forward then
/// backward; reported per op (OperationsPerInvoke = 1000). Measures the autograd engine's per-node
/// cost. Mirrors the "chain" group.
/// </summary>
public class ChainBenchmarks
{
    /// <summary>Ops in the chain.</summary>
    public const int Length = 1000;

    private Tensor _x = null!;

    /// <summary>The 0-dim leaf <c>x = 0.5</c>.</summary>
    [GlobalSetup]
    public void Setup() => _x = Torch.Tensor(0.5f, requiresGrad: true);

    /// <summary><c>y = x; y = y + 0.5 | y * 0.9 | sin(y) (1000 times); y.backward(); x.grad = None</c>.</summary>
    [Benchmark(Description = "chain_1000", OperationsPerInvoke = Length)]
    public void ForwardBackward()
    {
        var y = _x;
        for (int i = 0; i < Length; i++)
        {
            y = (i % 3) switch
            {
                0 => y + 0.5,
                1 => y * 0.9,
                _ => y.Sin(),
            };
        }
        y.Backward();
        _x.Grad = null;
    }
}
