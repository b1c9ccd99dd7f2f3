using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// Note [Packed GEMM]: every GEMM path gives bit-identical results for 1 and 2 threads (and with
/// the product forced onto the calling thread, or split as finely as possible with a grain of 1).
/// </summary>
[Collection("Threads")]
public class GemmThreadTests
{
    public static TheoryData<int, int, int, GemmLayout, GemmLayout> Shapes => new()
    {
        { 300, 290, 310, GemmLayout.Contiguous, GemmLayout.Contiguous },   // rows split
        { 130, 1000, 64, GemmLayout.Transposed, GemmLayout.Strided },      // columns split
        { 2000, 3, 500, GemmLayout.Strided, GemmLayout.Transposed },       // tall and thin
        { 2000, 1, 300, GemmLayout.Contiguous, GemmLayout.Contiguous },    // matrix-vector, scalar chains
        { 2000, 1, 300, GemmLayout.Transposed, GemmLayout.Strided },       // matrix-vector, SIMD lanes
        { 1, 2000, 300, GemmLayout.Contiguous, GemmLayout.Contiguous },    // vector-matrix
        { 400, 380, 420, GemmLayout.Contiguous, GemmLayout.ColBroadcast },
    };

    [Theory, MemberData(nameof(Shapes))]
    public void One_and_two_threads_give_identical_bits(int m, int n, int k, GemmLayout aLayout, GemmLayout bLayout)
    {
        Check<float>(m, n, k, aLayout, bLayout);
        Check<double>(m, n, k, aLayout, bLayout);
        if ((long)m * n * k <= 30_000_000) Check<long>(m, n, k, aLayout, bLayout);
    }

    private static void Check<T>(int m, int n, int k, GemmLayout aLayout, GemmLayout bLayout) where T : unmanaged, INumber<T>
    {
        var a = new GemmOperand<T>(m, k, aLayout, GemmReference.Random<T>(3), T.CreateTruncating(1e30));
        var b = new GemmOperand<T>(k, n, bLayout, GemmReference.Random<T>(4), T.CreateTruncating(1e30));
        if (typeof(T) == typeof(long))
        {
            a = new GemmOperand<T>(m, k, aLayout, GemmReference.SmallIntegers<T>(3), T.CreateTruncating(1_000_003));
            b = new GemmOperand<T>(k, n, bLayout, GemmReference.SmallIntegers<T>(4), T.CreateTruncating(1_000_003));
        }
        var single = WithThreads(1, () => GemmPackedTests.Multiply(GemmPath.Auto, a, b).C);
        var two = WithThreads(2, () => GemmPackedTests.Multiply(GemmPath.Auto, a, b).C);
        var callingThread = WithThreads(2, () => GemmPackedTests.Multiply(GemmPath.Auto, a, b, grain: long.MaxValue).C);
        // A grain of one multiply-add splits any product with two or more row (or column) blocks.
        var forcedSplit = WithThreads(2, () => GemmPackedTests.Multiply(GemmPath.Auto, a, b, grain: 1).C);
        Assert.True(single.AsSpan().SequenceEqual(two), $"{typeof(T).Name} {m}x{n}x{k}: 1 and 2 threads differ");
        Assert.True(single.AsSpan().SequenceEqual(callingThread), $"{typeof(T).Name} {m}x{n}x{k}: split and unsplit differ");
        Assert.True(single.AsSpan().SequenceEqual(forcedSplit), $"{typeof(T).Name} {m}x{n}x{k}: forced split differs");
    }

    [Fact]
    public void Batched_products_give_identical_bits_for_one_and_two_threads()
    {
        // Small products split by batch (600 x 16^3 and 5 x 20 x 200 x 150); large ones each split inside.
        foreach (var (batch, m, n, k) in new[] { (600, 16, 16, 16), (5, 20, 200, 150), (3, 300, 300, 300) })
        {
            var a = new GemmOperand<float>(batch * m, k, GemmLayout.Contiguous, GemmReference.Random<float>(5), float.NaN);
            var b = new GemmOperand<float>(batch * n, k, GemmLayout.Contiguous, GemmReference.Random<float>(6), float.NaN);
            float[] Run() => RunBatched(batch, m, n, k, a, b);
            var single = WithThreads(1, Run);
            var two = WithThreads(2, Run);
            Assert.True(single.AsSpan().SequenceEqual(two), $"batch {batch} {m}x{n}x{k}: 1 and 2 threads differ");
        }
    }

    /// <summary>C[q] = A[q] @ B[q]^T, with B[q] stored as the n x k block q of <paramref name="b"/>.</summary>
    private static float[] RunBatched(int batch, int m, int n, int k, GemmOperand<float> a, GemmOperand<float> b)
    {
        var c = new float[batch * m * n];
        Gemm.RunBatched(batch, m, n, k, a.Data, 0, m * k, k, 1, b.Data, 0, n * k, 1, k, c, 0, m * n, n);
        return c;
    }

    private static TResult WithThreads<TResult>(int threads, Func<TResult> action)
    {
        int before = Torch.GetNumThreads();
        try
        {
            Torch.SetNumThreads(threads);
            return action();
        }
        finally
        {
            Torch.SetNumThreads(before);
        }
    }
}
