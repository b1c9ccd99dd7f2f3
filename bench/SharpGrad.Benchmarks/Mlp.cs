using BenchmarkDotNet.Attributes;

namespace SharpGrad.Benchmarks;

// Needs Tensor.Matmul (reductions branch) and Torch.NN.Functional.CrossEntropy (functional
// branch); the csproj excludes this file until both are merged.
/// <summary>
/// A fully connected ReLU network trained with plain SGD, written exactly as the PyTorch side
/// (bench/torch_workloads.py, class MLP): <c>h = relu(h @ W + b)</c> per hidden layer, logits
/// <c>h @ W + b</c>, cross entropy against class indices.
/// </summary>
public sealed class Mlp
{
    private readonly Tensor[] _weights, _biases;

    /// <summary>The leaf parameters, weights and biases in layer order.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>
    /// Layer widths, e.g. 784, 128, 10. <c>W ~ randn(in, out) / sqrt(in)</c>, <c>b = 0</c>.
    /// </summary>
    public Mlp(params int[] widths)
    {
        int layers = widths.Length - 1;
        _weights = new Tensor[layers];
        _biases = new Tensor[layers];
        var all = new List<Tensor>();
        for (int i = 0; i < layers; i++)
        {
            _weights[i] = (Torch.Randn(widths[i], widths[i + 1]) * (1.0 / Math.Sqrt(widths[i]))).SetRequiresGrad();
            _biases[i] = Torch.Zeros(widths[i + 1], requiresGrad: true);
            all.Add(_weights[i]);
            all.Add(_biases[i]);
        }
        Parameters = all;
    }

    /// <summary>Logits of a batch <paramref name="x"/> (batch x widths[0]).</summary>
    public Tensor Forward(Tensor x)
    {
        var h = x;
        for (int i = 0; i < _weights.Length; i++)
        {
            h = h.Matmul(_weights[i]) + _biases[i];
            if (i < _weights.Length - 1) h = h.Relu();
        }
        return h;
    }

    /// <summary>
    /// One SGD step: forward, cross entropy, backward, then under no-grad <c>p -= lr * p.grad</c>
    /// and <c>p.grad = None</c> for every parameter. Returns the loss (not read, as in PyTorch).
    /// </summary>
    public Tensor Step(Tensor x, Tensor targets, double lr)
    {
        var loss = Torch.NN.Functional.CrossEntropy(Forward(x), targets);
        loss.Backward();
        using (Torch.NoGrad())
        {
            foreach (var p in Parameters)
            {
                p.SubInPlace(lr * p.Grad!);
                p.Grad = null;
            }
        }
        return loss;
    }
}

/// <summary>
/// One SGD training step of two MLPs: 784-128-10 on a batch of 64 and 784-1024-1024-10 on a batch
/// of 256. Mirrors the "mlp" group.
/// </summary>
public class MlpBenchmarks
{
    /// <summary>Learning rate of the SGD update.</summary>
    public const double LearningRate = 0.01;

    private Mlp _small = null!, _large = null!;
    private Tensor _xSmall = null!, _ySmall = null!, _xLarge = null!, _yLarge = null!;

    /// <summary>Both networks and one fixed random batch each (targets in 0..9).</summary>
    [GlobalSetup]
    public void Setup()
    {
        Torch.ManualSeed(0);
        _small = new Mlp(784, 128, 10);
        _xSmall = Torch.Randn(64, 784);
        _ySmall = Torch.RandInt(0, 10, [64]);
        _large = new Mlp(784, 1024, 1024, 10);
        _xLarge = Torch.Randn(256, 784);
        _yLarge = Torch.RandInt(0, 10, [256]);
    }

    /// <summary>784-128-10, batch 64: forward, backward, SGD update.</summary>
    [Benchmark(Description = "mlp_small_step")]
    public Tensor SmallStep() => _small.Step(_xSmall, _ySmall, LearningRate);

    /// <summary>784-1024-1024-10, batch 256: forward, backward, SGD update.</summary>
    [Benchmark(Description = "mlp_large_step")]
    public Tensor LargeStep() => _large.Step(_xLarge, _yLarge, LearningRate);
}
