using BenchmarkDotNet.Attributes;

namespace SharpGrad.Benchmarks;

/// <summary>
/// Elementwise kernels on large contiguous float32 tensors, no autograd. Mirrors the "elementwise"
/// group of bench/torch_workloads.py.
/// </summary>
/// <remarks>
/// SharpGrad has no <c>out=</c> overload (PyTorch's <c>torch.add(a, b, out=c)</c>), so every workload
/// here is out-of-place: each call allocates its result, as <c>a + b</c> does in PyTorch, and the
/// PyTorch side does the same. The activations (sigmoid, tanh) are in ElementwiseActivations.cs.
/// </remarks>
public partial class ElementwiseBenchmarks
{
    private Tensor _a = null!, _b = null!, _big1 = null!, _big2 = null!;

    /// <summary>Two 1e6 and two 1e7 standard-normal float32 vectors.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Torch.ManualSeed(0);
        _a = Torch.Randn(1_000_000);
        _b = Torch.Randn(1_000_000);
        _big1 = Torch.Randn(10_000_000);
        _big2 = Torch.Randn(10_000_000);
    }

    /// <summary><c>a + b</c>, 1e6 float32 (out-of-place).</summary>
    [Benchmark(Description = "add_1e6")]
    public Tensor Add() => _a + _b;

    /// <summary><c>a * b</c>, 1e6 float32 (out-of-place).</summary>
    [Benchmark(Description = "mul_1e6")]
    public Tensor Mul() => _a * _b;

    /// <summary><c>a + b</c>, 1e7 float32, a new 40 MB output every call.</summary>
    [Benchmark(Description = "add_1e7")]
    public Tensor AddBig() => _big1 + _big2;

    /// <summary><c>a.exp()</c>, 1e6 float32.</summary>
    [Benchmark(Description = "exp_1e6")]
    public Tensor Exp() => _a.Exp();
}
