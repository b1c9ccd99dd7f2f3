using System.Text.Json;
using SharpGrad.Kernels;
using SharpGrad.Tests.Support;

namespace SharpGrad.Tests.Kernels;

// Note [Outer reduction]: sums over outer dims add whole rows in PyTorch's cascade order. Checked
// against a compensated double reference on many shapes and layouts (float within the summation
// bound, integers exactly), bit for bit against PyTorch (tests/golden/reduce_order.json), and for
// identical results with 1 and 2 threads.
public class ReduceOuterTests
{
    private static readonly int[] RowCounts = [1, 2, 3, 15, 16, 17, 255, 256, 257, 1000, 4097];
    private static readonly int[] ColumnCounts = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 65, 129, 256, 600, 1024];

    /// <summary>Values of many magnitudes and both signs, exact in float32.</summary>
    private static double[] Values(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (double)(float)((rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-6, 7)))).ToArray();
    }

    /// <summary>A view of <paramref name="shape"/> over fresh values: "contiguous", "rows" (every other row), "narrow" (inner columns of a wider buffer), "transposed".</summary>
    private static Tensor Make(string view, int[] shape, DType dtype, int seed)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        Tensor From(int[] s) => Torch.Tensor<double>(Values(s.Aggregate(1, (a, b) => a * b), seed), s, dtype);
        return view switch
        {
            "contiguous" => From(shape),
            "rows" => From([2 * shape[0], .. shape[1..]]).Slice(0, 0, null, 2),
            "narrow" => From([.. shape[..^1], shape[^1] + 3]).Narrow(-1, 1, shape[^1]),
            "transposed" => From([.. shape[..^2], shape[^1], shape[^2]]).Transpose(-1, -2),
            _ => throw new ArgumentException(view),
        };
    }

    /// <summary>Per output element (row-major, reduced dims dropped): the input values of its sum, in logical order.</summary>
    private static List<double>[] Terms(Tensor x, bool[] mask)
    {
        var values = x.To(DType.Float64).Contiguous().ToArray<double>();
        var sizes = x.Sizes;
        int outCount = 1;
        for (int d = 0; d < sizes.Length; d++) if (!mask[d]) outCount *= sizes[d];
        var terms = Enumerable.Range(0, outCount).Select(_ => new List<double>()).ToArray();
        var index = new int[sizes.Length];
        for (int i = 0; i < values.Length; i++)
        {
            int rem = i, o = 0;
            for (int d = sizes.Length - 1; d >= 0; d--) { index[d] = rem % sizes[d]; rem /= sizes[d]; }
            for (int d = 0; d < sizes.Length; d++) if (!mask[d]) o = o * sizes[d] + index[d];
            terms[o].Add(values[i]);
        }
        return terms;
    }

    /// <summary>Checks x.sum(dims) against the compensated double sum: within 2 n eps sum|x| for floats (plus the final rounding).</summary>
    private static void CheckSum(Tensor x, int[] dims, bool keepDim, string what)
    {
        var result = x.Sum(dims, keepDim);
        var mask = Reduce.Mask(x.Dim, dims);
        Assert.Equal(Reduce.OutputSizes(x.Sizes, mask, keepDim), result.Sizes);
        var actual = result.To(DType.Float64).ToArray<double>();
        var terms = Terms(x, mask);
        double eps = x.DType == DType.Float32 ? Math.Pow(2, -24) : Math.Pow(2, -53);
        for (int o = 0; o < terms.Length; o++)
        {
            var t = terms[o].ToArray();
            double exact = KernelTable.Sum(t);
            double bound = 2 * t.Length * eps * t.Sum(Math.Abs) + eps * Math.Abs(exact);
            if (Math.Abs(actual[o] - exact) > bound)
                Assert.Fail($"{what}: element {o} is {actual[o]}, exact {exact}, bound {bound}");
        }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Sums_over_leading_rows_are_within_the_summation_bound(DType dtype)
    {
        int seed = 0;
        foreach (int r in RowCounts)
            foreach (int k in ColumnCounts)
            {
                if ((long)r * k > 300_000) continue;
                CheckSum(Make("contiguous", [r, k], dtype, ++seed), [0], false, $"[{r}, {k}].sum(0)");
                if (r * k > 20_000) continue;
                CheckSum(Make("contiguous", [r, k], dtype, ++seed), [0], true, $"[{r}, {k}].sum(0, keepdim)");
                CheckSum(Make("rows", [r, k], dtype, ++seed), [0], false, $"rows [{r}, {k}].sum(0)");
                CheckSum(Make("narrow", [r, k], dtype, ++seed), [0], false, $"narrow [{r}, {k}].sum(0)");
                CheckSum(Make("transposed", [r, k], dtype, ++seed), [0], false, $"transposed [{r}, {k}].sum(0)");
            }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Sums_over_outer_dims_of_higher_rank_tensors_are_within_the_summation_bound(DType dtype)
    {
        (int[] Shape, int[] Dims)[] cases =
        [
            ([3, 50, 40], [1]), ([4, 25, 40], [0, 1]), ([2, 3, 20, 16], [2]), ([2, 3, 20, 16], [1, 2]),
            ([5, 1, 7, 1, 9], [0, 2]), ([1, 33, 1, 5], [1]), ([6, 4, 5], [0, 2]), ([6, 4, 5], [0, 1, 2]),
            ([7, 1], [0]), ([1, 7], [0]), ([3, 17, 1, 9], [0, 1, 2]), ([2, 300, 3], [1]),
        ];
        int seed = 100;
        foreach (var (shape, dims) in cases)
            foreach (bool keepDim in new[] { false, true })
                foreach (string view in new[] { "contiguous", "rows", "narrow" })
                    CheckSum(Make(view, shape, dtype, ++seed), dims, keepDim, $"{view} [{string.Join(", ", shape)}].sum([{string.Join(", ", dims)}], {keepDim})");
        // An expanded (stride 0) reduced dim adds the same row again.
        var row = Make("contiguous", [1, 37], dtype, 7);
        CheckSum(row.Expand(20, 37), [0], false, "expanded.sum(0)");
    }

    [Fact]
    public void Integer_sums_over_leading_rows_are_exact_and_wrap_like_int64()
    {
        var rng = new Random(3);
        foreach (var (r, k) in new[] { (1, 5), (17, 9), (300, 40), (1000, 33), (4097, 3) })
        {
            var values = Enumerable.Range(0, r * k).Select(_ => rng.NextInt64(long.MinValue / 4, long.MaxValue / 4)).ToArray();
            var x = Torch.Tensor<long>(values, [r, k]);
            var expected = new long[k];
            for (int i = 0; i < r; i++)
                for (int j = 0; j < k; j++) expected[j] = unchecked(expected[j] + values[i * k + j]);
            Assert.Equal(expected, x.Sum(0).ToArray<long>());
            // int32 input sums to int64; int32 accumulation (dtype) wraps in int32.
            var small = values.Select(v => (int)(v >> 34)).ToArray();
            var xi = Torch.Tensor<int>(small, [r, k]);
            Assert.Equal(DType.Int64, xi.Sum(0).DType);
            Assert.Equal(Enumerable.Range(0, k).Select(j => Enumerable.Range(0, r).Sum(i => (long)small[i * k + j])).ToArray(), xi.Sum(0).ToArray<long>());
            var wrapped = Enumerable.Range(0, k).Select(j => Enumerable.Range(0, r).Aggregate(0, (s, i) => unchecked(s + small[i * k + j]))).ToArray();
            Assert.Equal(wrapped, xi.Sum([0], dtype: DType.Int32).ToArray<int>());
        }
        var bools = Torch.Tensor(new[] { true, false, true, true, true, false }).Reshape(3, 2);
        Assert.Equal([3L, 1L], bools.Sum(0).ToArray<long>());
    }

    [Fact]
    public void Special_values_propagate_and_negative_zeros_sum_to_positive_zero()
    {
        double inf = double.PositiveInfinity;
        var x = Torch.Tensor(new double[,]
        {
            { double.NaN, inf, inf, -0.0, 1 },
            { 1, 2, -inf, -0.0, -1 },
            { 3, 4, 5, -0.0, 0 },
        }).To(DType.Float32);
        var sum = x.Sum(0).ToArray<float>();
        Assert.True(float.IsNaN(sum[0]));
        Assert.Equal(float.PositiveInfinity, sum[1]);
        Assert.True(float.IsNaN(sum[2]));
        Assert.True(sum[3] == 0 && !float.IsNegative(sum[3]));
        Assert.Equal(0f, sum[4]);
    }

    [Fact]
    public void Only_outer_layouts_take_the_row_path()
    {
        bool Outer(Tensor x, params int[] dims) => ReduceOuter.TryLayout(x, Reduce.Mask(x.Dim, dims), out _);
        var x = Torch.Zeros(4, 5, 6);
        Assert.True(Outer(x, 0));
        Assert.True(Outer(x, 1));
        Assert.True(Outer(x, 0, 1));
        Assert.False(Outer(x, 2));          // the innermost dim: contiguous runs
        Assert.False(Outer(x, 0, 2));       // reduced on both sides of a kept dim
        Assert.False(Outer(x));             // everything
        Assert.False(Outer(x.Transpose(1, 2), 0)); // columns not contiguous
        Assert.False(Outer(x.Narrow(0, 0, 0), 0)); // empty
        Assert.True(Outer(x.Slice(0, 0, null, 2), 0));
        Assert.False(Outer(x.Permute(1, 0, 2), 0, 1)); // reduced dims that do not walk memory as one
        Assert.True(Outer(Torch.Zeros(4, 1, 6, 1), 0, 1, 3));
    }
}

// Bit for bit against PyTorch (outer reductions and contiguous runs), for 1 and 2 threads.
[Collection("Threads")]
public class ReduceOrderGoldenTests
{
    private static readonly JsonElement Root = Golden.Load("reduce_order");

    private static ulong SplitMix64(ulong x)
    {
        unchecked
        {
            ulong z = x + 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
    }

    /// <summary>The flat buffer of gen_reduce_order.py: sign, exponent in [-3, 3), random mantissa.</summary>
    private static Tensor Flat(int n, int seed, DType dtype)
    {
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            ulong h = SplitMix64((ulong)(seed + i));
            ulong sign = h >> 63;
            int exponent = (int)((h >> 52) & 0x7FF) % 6 - 3;
            values[i] = dtype == DType.Float32
                ? BitConverter.Int32BitsToSingle((int)((uint)sign << 31 | (uint)(127 + exponent) << 23 | (uint)(h & 0x7FFFFF)))
                : BitConverter.Int64BitsToDouble((long)(sign << 63 | (ulong)(1023 + exponent) << 52 | (h & ((1UL << 52) - 1))));
        }
        return Torch.Tensor(values).To(dtype);
    }

    private static Tensor Make(string view, int[] shape, int seed, DType dtype)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        return view switch
        {
            "contiguous" => Flat(n, seed, dtype).Reshape(shape),
            "rows" => Flat(2 * n, seed, dtype).Reshape([2 * shape[0], .. shape[1..]]).Slice(0, 0, null, 2),
            "narrow" => Flat(n / shape[^1] * (shape[^1] + 3), seed, dtype).Reshape([.. shape[..^1], shape[^1] + 3]).Narrow(-1, 1, shape[^1]),
            _ => throw new ArgumentException(view),
        };
    }

    [Fact]
    public void Float_sums_match_pytorch_bit_for_bit_with_1_and_2_threads()
    {
        int threads = ParallelFor.Threads;
        try
        {
            foreach (int t in new[] { 1, 2 })
            {
                Torch.SetNumThreads(t);
                foreach (var c in Root.GetProperty("cases").EnumerateArray())
                {
                    var dtype = GoldenCases.ParseDType(c.GetProperty("dtype").GetString()!);
                    var x = Make(c.GetProperty("view").GetString()!, Golden.Ints(c.GetProperty("shape")), c.GetProperty("seed").GetInt32(), dtype);
                    var dims = Golden.Ints(c.GetProperty("dims"));
                    bool keepDim = c.GetProperty("keepdim").GetBoolean();
                    string op = c.GetProperty("op").GetString()!;
                    var result = op switch
                    {
                        "sum" => dims.Length == 0 ? x.Sum() : x.Sum(dims, keepDim),
                        "mean" => dims.Length == 0 ? x.Mean() : x.Mean(dims, keepDim),
                        _ => x.SumToSize(dims),
                    };
                    string what = $"{op} {c.GetProperty("view")} [{string.Join(", ", x.Sizes)}] {dtype} dims [{string.Join(", ", dims)}], {t} threads";
                    Assert.Equal(Golden.Ints(c.GetProperty("out_shape")), result.Sizes);
                    var expected = Golden.Doubles(c.GetProperty("out"));
                    var actual = result.To(DType.Float64).ToArray<double>();
                    for (int i = 0; i < expected.Length; i++)
                        if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
                            Assert.Fail($"{what}: element {i} is {actual[i]:R}, PyTorch {expected[i]:R}");
                }
            }
        }
        finally
        {
            Torch.SetNumThreads(threads);
        }
    }

    [Fact]
    public void Large_outer_sums_are_identical_for_1_and_2_threads()
    {
        int threads = ParallelFor.Threads;
        try
        {
            foreach (var shape in new[] { new[] { 256, 1024 }, [300, 333], [2, 500, 97], [5000, 37] })
            {
                var x = Flat(shape.Aggregate(1, (a, b) => a * b), 11, DType.Float32).Reshape(shape);
                int dim = shape.Length - 2;
                Torch.SetNumThreads(1);
                var one = x.Sum(dim).ToArray<float>();
                Torch.SetNumThreads(2);
                var two = x.Sum(dim).ToArray<float>();
                Assert.Equal(one, two);
            }
        }
        finally
        {
            Torch.SetNumThreads(threads);
        }
    }
}
