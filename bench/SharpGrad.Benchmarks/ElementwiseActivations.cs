using BenchmarkDotNet.Attributes;

namespace SharpGrad.Benchmarks;

// Sigmoid and tanh: the rest of the elementwise group.
public partial class ElementwiseBenchmarks
{
    /// <summary><c>a.sigmoid()</c>, 1e6 float32.</summary>
    [Benchmark(Description = "sigmoid_1e6")]
    public Tensor Sigmoid() => _a.Sigmoid();

    /// <summary><c>a.tanh()</c>, 1e6 float32.</summary>
    [Benchmark(Description = "tanh_1e6")]
    public Tensor Tanh() => _a.Tanh();
}
