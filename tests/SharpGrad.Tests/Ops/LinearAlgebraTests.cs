using System.Numerics;
using SharpGrad.Autograd;
using SharpGrad.Kernels;

namespace SharpGrad.Tests;

public class LinearAlgebraTests
{
    public static TheoryData<string> GoldenCases() => ReductionGolden.Names(ReductionGolden.Cases(linalg: true));

    public static TheoryData<string> GoldenErrors() => ReductionGolden.Names(ReductionGolden.Errors(linalg: true));

    public static TheoryData<string> MatmulGraphs()
    {
        var data = new TheoryData<string>();
        foreach (var p in ReductionGolden.Root.GetProperty("matmul_graphs").EnumerateObject()) data.Add(p.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Matches_pytorch(string name) => ReductionGolden.Run(name);

    [Theory]
    [MemberData(nameof(GoldenErrors))]
    public void Errors_match_pytorch(string name) => ReductionGolden.RunError(name);

    /// <summary>
    /// The whole grad_fn graph of matmul matches PyTorch's, node by node (depth-first).
    /// </summary>
    [Theory]
    [MemberData(nameof(MatmulGraphs))]
    public void Matmul_graph_matches_pytorch(string name)
    {
        var g = ReductionGolden.Root.GetProperty("matmul_graphs").GetProperty(name);
        var x = g.GetProperty("inputs").EnumerateArray().Select(ReductionGolden.ParseTensor).ToArray();
        foreach (var t in x) t.RequiresGrad = true;
        var left = g.TryGetProperty("permute_first", out _) ? x[0].mT : x[0];
        var expected = g.GetProperty("chain").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(expected, Chain(left.Matmul(x[1]).GradFn));
    }

    [Fact]
    public void Vector_times_matrix_plus_bias_records_the_seed_graph()
    {
        // Seed 002: torch.matmul(x, w) + b with x of 5 and w of 5x3.
        var x = Torch.Ones(5);
        var w = Torch.Randn([5, 3], requiresGrad: true);
        var b = Torch.Randn([3], requiresGrad: true);
        var z = Torch.Matmul(x, w) + b;
        Assert.Equal(["AddBackward0", "SqueezeBackward3", "MmBackward0", "AccumulateGrad", "AccumulateGrad"], Chain(z.GradFn));
        z.Sum().Backward();
        Assert.Equal(Enumerable.Repeat(1f, 15), w.Grad!.ToArray<float>());
    }

    /// <summary>
    /// Matmul's squeeze_(0) and _unsafe_view results are not views, so an in-place op on them records
    /// its node on top (chains from PyTorch 1.13: <c>(a @ b).add_(1)</c>, <c>(c @ b.t()).mul_(2)</c>).
    /// </summary>
    [Fact]
    public void In_place_ops_on_matmul_results_record_on_top_of_the_matmul_graph()
    {
        var a = Torch.Ones([3], requiresGrad: true);
        var b = Torch.Ones([3, 4], requiresGrad: true);
        var c = Torch.Ones([2, 3, 4], requiresGrad: true);
        Assert.Equal(["AddBackward0", "SqueezeBackward3", "MmBackward0", "UnsqueezeBackward0", "AccumulateGrad", "AccumulateGrad"],
            Chain(a.Matmul(b).AddInPlace(1).GradFn));
        Assert.Equal(["MulBackward0", "UnsafeViewBackward0", "MmBackward0", "ReshapeAliasBackward0", "AccumulateGrad", "TBackward0", "AccumulateGrad"],
            Chain(c.Matmul(b.Transpose()).MulInPlace(2).GradFn));
    }

    [Fact]
    public void Mm_reads_transposed_sliced_and_expanded_operands_without_copying()
    {
        var rng = new Random(7);
        var a = Make(rng, 6, 5);
        var b = Make(rng, 4, 6);
        var aT = new Tensor(a.Storage, 0, [5, 6], [1, 5]);               // transpose of a (6x5 stored)
        var bT = new Tensor(b.Storage, 0, [6, 4], [1, 6]);               // transpose of b
        var sliced = new Tensor(b.Storage, 1, [2, 6], [12, 1]);          // two rows with a gap, at an offset
        var expanded = new Tensor(a.Storage, 0, [3, 5], [0, 1]);          // one row repeated
        foreach (var (l, r) in new[] { (aT, bT), (sliced, Make(rng, 6, 3)), (expanded, Make(rng, 5, 2)), (bT.Transpose(), aT.Transpose()) })
            AssertClose(Naive(l, r), l.Mm(r));
    }

    [Fact]
    public void Gemm_matches_a_naive_product_at_many_sizes_and_layouts()
    {
        var rng = new Random(12345);
        var sizes = new List<(int M, int N, int K)>();
        for (int s = 1; s <= 70; s++) sizes.Add((s, s, s));
        for (int i = 0; i < 80; i++) sizes.Add((rng.Next(1, 71), rng.Next(1, 71), rng.Next(1, 71)));
        sizes.AddRange([(1, 1, 1), (70, 1, 70), (1, 70, 70), (70, 70, 1), (3, 300, 200), (200, 3, 300)]);
        for (int c = 0; c < sizes.Count; c++)
        {
            var (m, n, k) = sizes[c];
            int aLayout = c % 4, bLayout = c / 4 % 4; // every pair of layouts, over and over
            if (c % 2 == 0) CheckGemm<double>(m, n, k, aLayout, bLayout, rng);
            else CheckGemm<float>(m, n, k, aLayout, bLayout, rng);
            if (m * n * k < 20000)
            {
                CheckGemm<long>(m, n, k, bLayout, aLayout, rng);
                CheckGemm<int>(m, n, k, aLayout, bLayout, rng);
            }
        }
    }

    [Fact]
    public void Gemm_parallel_path_is_deterministic_and_correct()
    {
        var first = CheckGemm<float>(160, 150, 100, 0, 1, new Random(3));
        var again = CheckGemm<float>(160, 150, 100, 0, 1, new Random(3));
        Assert.Equal(first, again);
        CheckGemm<double>(150, 300, 60, 1, 0, new Random(4));
    }

    /// <summary>Note [GEMM]: the 4-row register kernel and the one-row path give bit-identical results.</summary>
    [Fact]
    public void Gemm_rows_are_bit_identical_whichever_path_computes_them()
    {
        var rng = new Random(11);
        int m = 7, n = 37, k = 300;
        var a = Enumerable.Range(0, m * k).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var all = new float[m * n];
        Gemm.Run(m, n, k, a, 0, k, 1, b, 0, n, 1, all, 0, n);
        for (int i = 0; i < m; i++)
        {
            var row = new float[n];
            Gemm.Run(1, n, k, a, i * k, k, 1, b, 0, n, 1, row, 0, n);
            Assert.Equal(row, all.AsSpan(i * n, n).ToArray());
        }
    }

    [Fact]
    public void Empty_inner_dimension_gives_zeros()
    {
        var r = Torch.Ones(2, 0).Mm(Torch.Ones(0, 3));
        Assert.Equal([2, 3], r.Shape);
        Assert.All(r.ToArray<float>(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Mm_gradients_flow_through_transposed_views_and_double_backward()
    {
        var a = Torch.Tensor(new[,] { { 1.0, 2.0 }, { 3.0, 4.0 } }, requiresGrad: true);
        var b = Torch.Tensor(new[,] { { 0.5, -1.0 }, { 2.0, 1.5 } }, requiresGrad: true);
        var ga = Torch.Autograd.Grad(a.Mm(b).Sum(), [a], createGraph: true)[0]!;
        // d/da sum(a @ b) = ones @ b^T: row sums of b broadcast down.
        Assert.Equal([-0.5, 3.5, -0.5, 3.5], ga.ToArray<double>());
        Assert.Equal("MmBackward0", ga.GradFn!.Name);
        var gb = Torch.Autograd.Grad(ga.Sum(), [b])[0]!;
        Assert.Equal([2.0, 2.0, 2.0, 2.0], gb.ToArray<double>());
    }

    /// <summary>Operand layouts: 0 row-major, 1 transposed, 2 strided (every other element), 3 broadcast (stride 0 on one dim).</summary>
    /// <remarks>Operands are small integers, so every product is exact in every element type.</remarks>
    private static T[] CheckGemm<T>(int m, int n, int k, int aLayout, int bLayout, Random rng) where T : unmanaged, INumber<T>
    {
        var (a, aOff, aRs, aCs) = Operand<T>(m, k, aLayout, rng);
        var (b, bOff, bRs, bCs) = Operand<T>(k, n, bLayout, rng);
        int cRs = n + 2;
        var c = new T[3 + m * cRs];
        Array.Fill(c, T.CreateChecked(99));
        Gemm.Run(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, 3, cRs);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T expected = T.Zero;
                for (int p = 0; p < k; p++) expected += a[aOff + i * aRs + p * aCs] * b[bOff + p * bRs + j * bCs];
                if (c[3 + i * cRs + j] != expected)
                    Assert.Fail($"{typeof(T).Name} {m}x{n}x{k} layouts {aLayout},{bLayout} at ({i},{j}): {c[3 + i * cRs + j]} vs {expected}");
            }
        for (int i = 0; i < m; i++)
            for (int j = n; j < cRs && 3 + i * cRs + j < c.Length; j++)
                Assert.Equal(T.CreateChecked(99), c[3 + i * cRs + j]); // padding untouched
        return c;
    }

    private static (T[] Data, int Offset, int RowStride, int ColStride) Operand<T>(int rows, int cols, int layout, Random rng)
        where T : unmanaged, INumber<T>
    {
        var data = new T[2 * rows * cols + 5];
        for (int i = 0; i < data.Length; i++) data[i] = T.CreateChecked(rng.Next(-8, 9));
        return layout switch
        {
            0 => (data, 1, cols, 1),
            1 => (data, 2, 1, rows),
            2 => (data, 3, 2 * cols, 2),
            _ => (data, 0, 0, 1),
        };
    }

    private static Tensor Make(Random rng, int rows, int cols)
    {
        var values = Enumerable.Range(0, rows * cols).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
        return Torch.Tensor<double>(values, [rows, cols]);
    }

    private static double[] Naive(Tensor a, Tensor b)
    {
        int m = a.Size(0), k = a.Size(1), n = b.Size(1);
        var result = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                for (int p = 0; p < k; p++)
                    result[i * n + j] += a.GetDouble(i * k + p) * b.GetDouble(p * n + j);
        return result;
    }

    private static void AssertClose(double[] expected, Tensor actual)
    {
        var got = actual.ToArray<double>();
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < got.Length; i++) Assert.True(Math.Abs(expected[i] - got[i]) < 1e-12, $"{i}: {got[i]} vs {expected[i]}");
    }

    private static List<string> Chain(Node? root)
    {
        var names = new List<string>();
        Visit(root);
        return names;

        void Visit(Node? node)
        {
            if (node is null) return;
            names.Add(node.Name);
            foreach (var (next, _) in node.NextFunctions) Visit(next);
        }
    }
}
