using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// The packed GEMM (Note [Packed GEMM]) against exact expectations: every element of C must equal
/// the ordered multiply-add chain over k (Note [GEMM micro-kernel]) bit for bit, and lie within the
/// rounding-error bound of a double-accumulated reference; nothing outside C's view is written and
/// nothing outside A's or B's view is read (those storages are NaN outside the view).
/// </summary>
public class GemmPackedTests
{
    private const float Sentinel = 7777;

    private static readonly GemmPath[] ForcedPaths =
        [GemmPath.Vector512, GemmPath.Vector256, GemmPath.Vector128, GemmPath.Scalar];

    /// <summary>Runs <see cref="Gemm"/> into a fresh C of row stride n + 3 at offset 2, NaN inside the view, sentinel outside.</summary>
    internal static (T[] C, int Offset, int RowStride) Multiply<T>(GemmPath path, GemmOperand<T> a, GemmOperand<T> b,
        long grain = Gemm.ParallelGrain) where T : unmanaged, INumber<T>
    {
        int m = a.Rows, n = b.Cols, rowStride = n + 3, offset = 2;
        var c = NewC<T>(m, n, offset, rowStride);
        Gemm.RunOn(path, m, n, a.Cols, a.Data, a.Offset, a.RowStride, a.ColStride,
            b.Data, b.Offset, b.RowStride, b.ColStride, c, offset, rowStride, grain);
        AssertOutsideUntouched(c, m, n, offset, rowStride);
        return (c, offset, rowStride);
    }

    internal static T[] NewC<T>(int m, int n, int offset, int rowStride) where T : unmanaged, INumber<T>
    {
        var c = new T[offset + Math.Max(m, 1) * rowStride + 1];
        Array.Fill(c, T.CreateTruncating(Sentinel));
        T inside = typeof(T) == typeof(float) || typeof(T) == typeof(double) ? T.CreateTruncating(double.NaN) : T.CreateTruncating(-12345);
        for (int i = 0; i < m; i++) c.AsSpan(offset + i * rowStride, n).Fill(inside);
        return c;
    }

    internal static void AssertOutsideUntouched<T>(T[] c, int m, int n, int offset, int rowStride) where T : unmanaged, INumber<T>
    {
        T sentinel = T.CreateTruncating(Sentinel);
        for (int index = 0; index < c.Length; index++)
        {
            int relative = index - offset;
            bool inside = relative >= 0 && relative / rowStride < m && relative % rowStride < n;
            if (!inside) Assert.True(c[index] == sentinel, $"C[{index}] outside the view was written");
        }
    }

    private static void CheckAll<T>(GemmPath path, GemmOperand<T> a, GemmOperand<T> b, string label)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (c, offset, rowStride) = Multiply(path, a, b);
        bool fused = Gemm.IsFused(path);
        for (int i = 0; i < a.Rows; i++)
            for (int j = 0; j < b.Cols; j++)
            {
                T actual = c[offset + i * rowStride + j];
                GemmReference.AssertClose(actual, GemmReference.Element(a, b, i, j), a.Cols, $"{label} [{i}, {j}]");
                T chain = GemmReference.Chain(a, b, i, j, fused);
                Assert.True(actual.Equals(chain), $"{label} [{i}, {j}]: {actual} is not the ordered chain {chain}");
            }
    }

    [Fact] public void Every_shape_up_to_40_is_the_ordered_chain_float() => EveryShapeUpTo40<float>();
    [Fact] public void Every_shape_up_to_40_is_the_ordered_chain_double() => EveryShapeUpTo40<double>();

    /// <summary>
    /// All m, n, k in 1..40 on the default path, with A and B each row- or column-major. The
    /// operands are the top-left corners of fixed 40 x 40 matrices, so the expected row i of C at
    /// depth k is a row of one precomputed table of chains (and of reference sums).
    /// </summary>
    private static void EveryShapeUpTo40<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int N = 40;
        var aValue = GemmReference.Random<T>(1);
        var bValue = GemmReference.Random<T>(2);
        var aRow = new T[N * N]; var aCol = new T[N * N]; var bRow = new T[N * N]; var bCol = new T[N * N];
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
            {
                aRow[i * N + j] = aCol[j * N + i] = aValue(i, j);
                bRow[i * N + j] = bCol[j * N + i] = bValue(i, j);
            }
        // chain[(k * N + i) * N + j]: the chain of C[i, j] after k steps; likewise the reference.
        bool fused = Gemm.IsFused(GemmPath.Auto);
        var chain = new T[(N + 1) * N * N];
        var sum = new double[(N + 1) * N * N];
        var magnitude = new double[(N + 1) * N * N];
        for (int k = 1; k <= N; k++)
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                {
                    int at = (k * N + i) * N + j, before = at - N * N;
                    T x = aRow[i * N + k - 1], y = bRow[(k - 1) * N + j];
                    chain[at] = fused ? T.FusedMultiplyAdd(x, y, chain[before]) : x * y + chain[before];
                    double product = double.CreateTruncating(x) * double.CreateTruncating(y);
                    sum[at] = sum[before] + product;
                    magnitude[at] = magnitude[before] + Math.Abs(product);
                }
        for (int at = N * N; at < chain.Length; at++)
            GemmReference.AssertClose(chain[at], (sum[at], magnitude[at]), at / (N * N), "the chain itself");

        var c = new T[N * (N + 1) + 2];
        T nan = T.NaN, sentinel = T.CreateTruncating(Sentinel);
        // Float runs all four layout pairs, double (slower in Debug builds) the two extremes.
        var pairs = typeof(T) == typeof(float) ? new[] { (false, false), (true, false), (false, true), (true, true) }
            : new[] { (false, false), (true, true) };
        foreach (var (aTransposed, bTransposed) in pairs)
                for (int m = 1; m <= N; m++)
                    for (int n = 1; n <= N; n++)
                        for (int k = 1; k <= N; k++)
                        {
                            int rowStride = n + 1;
                            Array.Fill(c, sentinel);
                            for (int i = 0; i < m; i++) c.AsSpan(1 + i * rowStride, n).Fill(nan);
                            Gemm.Run(m, n, k,
                                aTransposed ? aCol : aRow, 0, aTransposed ? 1 : N, aTransposed ? N : 1,
                                bTransposed ? bCol : bRow, 0, bTransposed ? 1 : N, bTransposed ? N : 1,
                                c, 1, rowStride);
                            for (int i = 0; i < m; i++)
                            {
                                if (!c.AsSpan(1 + i * rowStride, n).SequenceEqual(chain.AsSpan((k * N + i) * N, n)))
                                    Assert.Fail($"{m}x{n}x{k} (A^T {aTransposed}, B^T {bTransposed}): row {i} is not the chain");
                                Assert.True(c[1 + i * rowStride + n] == sentinel, $"{m}x{n}x{k}: wrote past row {i}");
                            }
                            Assert.True(c[0] == sentinel && c[1 + m * rowStride] == sentinel, $"{m}x{n}x{k}: wrote outside C");
                        }
    }

    public static TheoryData<string> Paths => new(ForcedPaths.Select(path => path.ToString()));

    [Theory, MemberData(nameof(Paths))]
    public void Every_register_width_handles_edge_tiles_and_layouts(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        int[] sizes = [1, 2, 3, 5, 6, 7, 13, 16, 17, 31, 33];
        var layouts = Enum.GetValues<GemmLayout>();
        int index = 0;
        foreach (int m in sizes)
            foreach (int n in sizes)
                foreach (int k in sizes)
                {
                    // Cycle through the layout pairs so every pair meets every kind of edge.
                    var aLayout = layouts[index % layouts.Length];
                    var bLayout = layouts[index / layouts.Length % layouts.Length];
                    index++;
                    CheckAll(path, new GemmOperand<float>(m, k, aLayout, GemmReference.Random<float>(index), float.NaN),
                        new GemmOperand<float>(k, n, bLayout, GemmReference.Random<float>(index + 7), float.NaN),
                        $"{path} float {m}x{n}x{k} {aLayout}/{bLayout}");
                    if (index % 3 == 0)
                        CheckAll(path, new GemmOperand<double>(m, k, bLayout, GemmReference.Random<double>(index), double.NaN),
                            new GemmOperand<double>(k, n, aLayout, GemmReference.Random<double>(index + 7), double.NaN),
                            $"{path} double {m}x{n}x{k} {bLayout}/{aLayout}");
                }
    }

    [Fact]
    public void Random_shapes_up_to_300_in_every_layout()
    {
        var rng = new Random(42);
        var layouts = Enum.GetValues<GemmLayout>();
        for (int trial = 0; trial < 24; trial++)
        {
            int m = rng.Next(1, 301), n = rng.Next(1, 301), k = rng.Next(1, 301);
            var aLayout = layouts[trial % layouts.Length];
            var bLayout = layouts[rng.Next(layouts.Length)];
            if (trial % 2 == 0)
                CheckAll(GemmPath.Auto, new GemmOperand<float>(m, k, aLayout, GemmReference.Random<float>(trial), float.NaN),
                    new GemmOperand<float>(k, n, bLayout, GemmReference.Random<float>(trial + 100), float.NaN),
                    $"float {m}x{n}x{k} {aLayout}/{bLayout}");
            else
                CheckAll(GemmPath.Auto, new GemmOperand<double>(m, k, aLayout, GemmReference.Random<double>(trial), double.NaN),
                    new GemmOperand<double>(k, n, bLayout, GemmReference.Random<double>(trial + 100), double.NaN),
                    $"double {m}x{n}x{k} {aLayout}/{bLayout}");
        }
    }

    [Theory]
    [InlineData(1031, 1029, 1027, GemmLayout.Contiguous, GemmLayout.Contiguous)]
    [InlineData(1024, 1024, 1024, GemmLayout.Transposed, GemmLayout.Strided)]
    [InlineData(1000, 1100, 600, GemmLayout.Strided, GemmLayout.Transposed)]
    public void Large_products_are_the_chain_at_sampled_elements(int m, int n, int k, GemmLayout aLayout, GemmLayout bLayout)
    {
        var a = new GemmOperand<float>(m, k, aLayout, GemmReference.Random<float>(m), float.NaN);
        var b = new GemmOperand<float>(k, n, bLayout, GemmReference.Random<float>(n), float.NaN);
        var (c, offset, rowStride) = Multiply(GemmPath.Auto, a, b);
        var rng = new Random(m + n + k);
        bool fused = Gemm.IsFused(GemmPath.Auto);
        // The corners and edges of the blocking (multiples of MC, KC, NC, MR, NR) plus random elements.
        var rows = new[] { 0, 1, 5, 6, 143, 144, m - 1 }.Concat(Enumerable.Range(0, 40).Select(_ => rng.Next(m)));
        var cols = new[] { 0, 15, 16, 2047 % n, n - 1 }.Concat(Enumerable.Range(0, 20).Select(_ => rng.Next(n)));
        foreach (int i in rows)
            foreach (int j in cols.Take(8))
            {
                float actual = c[offset + i * rowStride + j];
                Assert.Equal(GemmReference.Chain(a, b, i, j, fused), actual);
                GemmReference.AssertClose(actual, GemmReference.Element(a, b, i, j), k, $"[{i}, {j}]");
            }
        // C was NaN inside the view before the call: every element must have been written.
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                if (float.IsNaN(c[offset + i * rowStride + j])) Assert.Fail($"C[{i}, {j}] was not written");
    }

    [Theory, MemberData(nameof(Paths))]
    public void NaN_and_infinity_propagate_as_in_the_reference(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        foreach (var (m, n, k) in new[] { (13, 19, 17), (6, 16, 4), (2, 2, 3), (1, 9, 5), (9, 1, 5) })
        {
            var values = GemmReference.Random<double>(m * n);
            double A(int i, int p) => (i, p) == (3 % m, 2) ? double.NaN : (i, p) == (m - 1, 1) ? double.PositiveInfinity : values(i, p);
            double B(int p, int j) => (p, j) == (1, 0) ? 0 : (p, j) == (k - 1, n - 1) ? double.NegativeInfinity : values(p + 50, j);
            foreach (var layout in new[] { GemmLayout.Contiguous, GemmLayout.Transposed })
            {
                CheckAll(path, new GemmOperand<float>(m, k, layout, (i, p) => (float)A(i, p), float.NaN),
                    new GemmOperand<float>(k, n, GemmLayout.Contiguous, (p, j) => (float)B(p, j), float.NaN),
                    $"{path} float {m}x{n}x{k} {layout}");
                CheckAll(path, new GemmOperand<double>(m, k, GemmLayout.Contiguous, A, double.NaN),
                    new GemmOperand<double>(k, n, layout, B, double.NaN), $"{path} double {m}x{n}x{k} {layout}");
            }
        }
    }

    [Fact]
    public void Empty_depth_overwrites_C_with_zeros_and_empty_C_is_untouched()
    {
        var a = new GemmOperand<float>(7, 0, GemmLayout.Contiguous, (_, _) => 1, float.NaN);
        var b = new GemmOperand<float>(0, 20, GemmLayout.Contiguous, (_, _) => 1, float.NaN);
        var (c, offset, rowStride) = Multiply(GemmPath.Auto, a, b);
        for (int i = 0; i < 7; i++) Assert.All(c.AsSpan(offset + i * rowStride, 20).ToArray(), x => Assert.Equal(0f, x));

        var empty = new GemmOperand<float>(0, 5, GemmLayout.Contiguous, (_, _) => 1, float.NaN);
        var five = new GemmOperand<float>(5, 4, GemmLayout.Contiguous, (_, _) => 1, float.NaN);
        Multiply(GemmPath.Auto, empty, five);
        Multiply(GemmPath.Auto, five, new GemmOperand<float>(4, 0, GemmLayout.Contiguous, (_, _) => 1, float.NaN));
    }

    [Fact]
    public void Integer_products_are_exact_in_every_layout()
    {
        var layouts = Enum.GetValues<GemmLayout>();
        int index = 0;
        foreach (var (m, n, k) in new[] { (1, 1, 1), (3, 1, 9), (1, 5, 3), (4, 4, 4), (7, 33, 130), (37, 300, 129), (65, 3, 257) })
            foreach (var aLayout in layouts)
            {
                var bLayout = layouts[index++ % layouts.Length];
                CheckIntegers(new GemmOperand<long>(m, k, aLayout, GemmReference.SmallIntegers<long>(index), 1_000_003),
                    new GemmOperand<long>(k, n, bLayout, GemmReference.SmallIntegers<long>(index + 1), 1_000_003));
                CheckIntegers(new GemmOperand<int>(m, k, bLayout, GemmReference.SmallIntegers<int>(index), 1_000_003),
                    new GemmOperand<int>(k, n, aLayout, GemmReference.SmallIntegers<int>(index + 1), 1_000_003));
            }
    }

    private static void CheckIntegers<T>(GemmOperand<T> a, GemmOperand<T> b) where T : unmanaged, INumber<T>
    {
        var (c, offset, rowStride) = Multiply(GemmPath.Auto, a, b);
        for (int i = 0; i < a.Rows; i++)
            for (int j = 0; j < b.Cols; j++)
            {
                T expected = T.Zero;
                for (int p = 0; p < a.Cols; p++) expected += a[i, p] * b[p, j];
                Assert.Equal(expected, c[offset + i * rowStride + j]);
            }
    }

    [Fact]
    public void Batched_products_equal_the_separate_products()
    {
        foreach (var (batch, m, n, k) in new[] { (7, 5, 6, 7), (40, 16, 16, 16), (3, 70, 80, 90), (1, 9, 9, 9), (0, 3, 3, 3) })
        {
            // A batches laid out contiguously, B broadcast over the batch (batch stride 0), C with a gap between products.
            var a = new GemmOperand<float>(Math.Max(batch, 1) * m, k, GemmLayout.Contiguous, GemmReference.Random<float>(batch), float.NaN);
            var b = new GemmOperand<float>(k, n, GemmLayout.Transposed, GemmReference.Random<float>(n), float.NaN);
            int cBatchStride = m * n + 5;
            var batched = new float[batch * cBatchStride + 1];
            var separate = new float[batched.Length];
            Gemm.RunBatched(batch, m, n, k, a.Data, a.Offset, m * k, k, 1, b.Data, b.Offset, 0, b.RowStride, b.ColStride,
                batched, 1, cBatchStride, n);
            for (int q = 0; q < batch; q++)
                Gemm.Run(m, n, k, a.Data, q * m * k, k, 1, b.Data, b.Offset, b.RowStride, b.ColStride, separate, 1 + q * cBatchStride, n);
            Assert.Equal(separate, batched);
            for (int q = 0; q < batch; q++)
            {
                var aq = new GemmOperand<float>(m, k, GemmLayout.Contiguous, (i, p) => a[q * m + i, p], float.NaN);
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                        GemmReference.AssertClose(batched[1 + q * cBatchStride + i * n + j], GemmReference.Element(aq, b, i, j), k,
                            $"batch {q} [{i}, {j}]");
            }
        }
    }
}
