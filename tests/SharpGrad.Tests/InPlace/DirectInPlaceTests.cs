using SharpGrad.Kernels;

namespace SharpGrad.Tests.InPlace;

// Note [Direct in-place kernels]: with no graph recorded, add_/sub_/mul_/div_/neg_/exp_/reciprocal_
// write their kernel's result straight into the tensor when that is safe. These tests check that
// the direct path gives bit for bit the out-of-place op's values on every layout, that it is
// really taken (Tensor.DirectInPlaceWrites) when safe and not taken when it is not (aliasing,
// internal overlap, casts, shape errors), and that errors, versions and pooled storages are as before.
// Counts Tensor.DirectInPlaceWrites, which a dual level open in any test would hold at zero
// (ForwardGrad.AnyLevel is process-wide): run alone, in the "Threads" collection.
[Collection("Threads")]
public class DirectInPlaceTests
{
    private static readonly int[] Shape = [4, 6];

    /// <summary>Deterministic values without zeros (div_, reciprocal_), small enough for exp_.</summary>
    private static double[] Values(int n, int seed) =>
        Enumerable.Range(0, n).Select(i => ((i * 37 + seed * 11) % 23 - 11) / 4.0 + 0.125).ToArray();

    /// <summary>A tensor of <paramref name="shape"/> and <paramref name="dtype"/> in the named memory layout.</summary>
    private static Tensor Make(string layout, int[] shape, DType dtype, int seed)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        Tensor From(int[] s, int count) => Torch.Tensor(Values(count, seed)).To(dtype).Reshape(s);
        switch (layout)
        {
            case "contiguous": return From(shape, n);
            case "transposed":
            {
                int[] mem = [.. shape[..^2], shape[^1], shape[^2]];
                return From(mem, n).Transpose(-1, -2);
            }
            case "sliced": // every other column of a wider tensor, and an offset
            {
                int[] wide = [.. shape[..^1], 2 * shape[^1] + 1];
                return From(wide, n / shape[^1] * wide[^1]).Slice(-1, 1, null, 2);
            }
            case "rows": // every other row
            {
                int[] tall = [2 * shape[0], .. shape[1..]];
                return From(tall, 2 * n).Slice(0, 0, null, 2);
            }
            default: throw new ArgumentException(layout);
        }
    }

    private static readonly string[] ThisLayouts = ["contiguous", "transposed", "sliced", "rows"];

    /// <summary>Operands broadcastable to <see cref="Shape"/>: full shape in several layouts, a row, a column, 0-dim, one element.</summary>
    private static IEnumerable<(string Name, Func<DType, Tensor> Make)> Operands() =>
    [
        ("contiguous", d => Make("contiguous", Shape, d, 5)),
        ("transposed", d => Make("transposed", Shape, d, 6)),
        ("sliced", d => Make("sliced", Shape, d, 7)),
        ("row", d => Make("contiguous", [Shape[1]], d, 8)),
        ("column", d => Make("contiguous", [Shape[0], 1], d, 9)),
        ("0-dim", d => Torch.Tensor(Values(1, 10)[0]).To(d)),
        ("one element", d => Make("contiguous", [1, 1], d, 11)),
        ("int64 operand", d => Make("contiguous", Shape, DType.Int64, 12)),
    ];

    private record BinaryOp(string Name, Func<Tensor, Tensor, Tensor> OutOfPlace, Action<Tensor, Tensor> InPlace, bool FloatOnly = false);

    private static readonly BinaryOp[] BinaryOps =
    [
        new("add_", (x, o) => x.Add(o), (x, o) => x.AddInPlace(o)),
        new("add_ alpha", (x, o) => x.Add(o, 3), (x, o) => x.AddInPlace(o, 3)),
        new("sub_", (x, o) => x.Sub(o), (x, o) => x.SubInPlace(o)),
        new("sub_ alpha", (x, o) => x.Sub(o, 2), (x, o) => x.SubInPlace(o, 2)),
        new("mul_", (x, o) => x.Mul(o), (x, o) => x.MulInPlace(o)),
        new("div_", (x, o) => x.Div(o), (x, o) => x.DivInPlace(o), FloatOnly: true),
    ];

    private record ScalarOp(string Name, Func<Tensor, Tensor> OutOfPlace, Action<Tensor> InPlace, bool FloatOnly = false);

    private static readonly ScalarOp[] ScalarOps =
    [
        new("add_ 3", x => x.Add(3), x => x.AddInPlace(3)),
        new("add_ 0.3", x => x.Add(0.3), x => x.AddInPlace(0.3), FloatOnly: true),
        new("sub_ 2", x => x.Sub(2), x => x.SubInPlace(2)),
        new("sub_ 0.1", x => x.Sub(0.1), x => x.SubInPlace(0.1), FloatOnly: true),
        new("mul_ -3", x => x.Mul(-3), x => x.MulInPlace(-3)),
        new("mul_ 0.7", x => x.Mul(0.7), x => x.MulInPlace(0.7), FloatOnly: true),
        new("div_ 3", x => x.Div(3), x => x.DivInPlace(3), FloatOnly: true),
        new("div_ 0.3", x => x.Div(0.3), x => x.DivInPlace(0.3), FloatOnly: true),
        new("neg_", x => x.Neg(), x => x.NegInPlace()),
        new("exp_", x => x.Exp(), x => x.ExpInPlace(), FloatOnly: true),
        new("reciprocal_", x => x.Reciprocal(), x => x.ReciprocalInPlace(), FloatOnly: true),
    ];

    private static readonly DType[] DTypes = [DType.Float32, DType.Float64, DType.Int64, DType.Int32];

    private static long[] Bits(Tensor t) =>
        t.To(DType.Float64).ToArray<double>().Select(BitConverter.DoubleToInt64Bits).ToArray();

    /// <summary>Runs <paramref name="inPlace"/> on x, checks it took the direct path and matches <paramref name="expected"/> bit for bit.</summary>
    private static void CheckDirect(Tensor x, Tensor expected, Action inPlace, string what)
    {
        int version = x.VersionNumber, before = Tensor.DirectInPlaceWrites;
        var storage = x.Storage;
        inPlace();
        Assert.True(Tensor.DirectInPlaceWrites == before + 1, $"{what}: the direct path was not taken");
        Assert.Equal(version + 1, x.VersionNumber);
        Assert.Same(storage, x.Storage);
        Assert.Equal(expected.DType, x.DType);
        Assert.True(Bits(expected).SequenceEqual(Bits(x)), $"{what}: values differ from the out-of-place op");
    }

    [Fact]
    public void Binary_ops_write_the_out_of_place_values_directly_on_every_layout()
    {
        int cases = 0;
        foreach (var dtype in DTypes)
            foreach (var op in BinaryOps.Where(o => !o.FloatOnly || dtype.IsFloatingPoint()))
                foreach (string layout in ThisLayouts)
                    foreach (var (name, makeOperand) in Operands())
                    {
                        var x = Make(layout, Shape, dtype, 1);
                        var other = makeOperand(dtype);
                        // An int64 operand promotes an int32 tensor (and a float one stays float): the
                        // result dtype must be this dtype for the direct path.
                        if (Dispatch.ResultType(x, other) != dtype) continue;
                        var expected = op.OutOfPlace(x, other);
                        CheckDirect(x, expected, () => op.InPlace(x, other), $"{op.Name} {dtype} {layout} x {name}");
                        cases++;
                    }
        Assert.True(cases > 150);
    }

    [Fact]
    public void Scalar_and_unary_ops_write_the_out_of_place_values_directly_on_every_layout()
    {
        foreach (var dtype in DTypes)
            foreach (var op in ScalarOps.Where(o => !o.FloatOnly || dtype.IsFloatingPoint()))
                foreach (string layout in ThisLayouts)
                {
                    var x = Make(layout, Shape, dtype, 2);
                    var expected = op.OutOfPlace(x);
                    CheckDirect(x, expected, () => op.InPlace(x), $"{op.Name} {dtype} {layout}");
                }
        // 0-dim and empty tensors.
        var s = Torch.Tensor(2.5f);
        CheckDirect(s, s.Mul(4), () => s.MulInPlace(4), "0-dim mul_");
        var e = Torch.Zeros(0, 3);
        CheckDirect(e, e.Add(1), () => e.AddInPlace(1), "empty add_");
    }

    [Fact]
    public void The_same_view_as_operand_is_written_directly()
    {
        foreach (string layout in ThisLayouts)
        {
            var x = Make(layout, Shape, DType.Float32, 3);
            CheckDirect(x, x.Add(x), () => x.AddInPlace(x), $"x.add_(x) {layout}");
            CheckDirect(x, x.Mul(x), () => x.MulInPlace(x), $"x.mul_(x) {layout}");
            CheckDirect(x, x.Sub(x, 2), () => x.SubInPlace(x, 2), $"x.sub_(x, alpha=2) {layout}");
            // Another tensor object over the same view is the same view.
            var alias = x.AsStrided(x.Sizes, x.Strides, x.Offset);
            CheckDirect(x, x.Div(alias), () => x.DivInPlace(alias), $"x.div_(same view) {layout}");
        }
    }

    /// <summary>Runs <paramref name="inPlace"/>, checks it took the general path and gave <paramref name="expected"/>.</summary>
    private static void CheckGeneral(Tensor x, double[] expected, Action inPlace, string what)
    {
        int version = x.VersionNumber, before = Tensor.DirectInPlaceWrites;
        inPlace();
        Assert.True(Tensor.DirectInPlaceWrites == before, $"{what}: the direct path was taken");
        Assert.Equal(version + 1, x.VersionNumber);
        Assert.Equal(expected, x.To(DType.Float64).ToArray<double>());
    }

    [Fact]
    public void Partially_overlapping_operands_take_the_general_path_and_read_the_old_values()
    {
        // x.add_(x.T) on a square x: every element must see the old transposed value.
        var x = Torch.Arange(9, dtype: DType.Float32).Reshape(3, 3);
        var expected = (x.Clone() + x.Clone().T).To(DType.Float64).ToArray<double>();
        CheckGeneral(x, expected, () => x.AddInPlace(x.T), "x.add_(x.T)");
        Assert.Equal([0.0, 4, 8, 4, 8, 12, 8, 12, 16], expected); // a symmetric result

        // A row of x broadcast over x, and a shifted slice.
        var y = Torch.Arange(6, dtype: DType.Float64).Reshape(2, 3);
        CheckGeneral(y, [0, 0, 0, 3, 3, 3], () => y.SubInPlace(y.Select(0, 0)), "y.sub_(y[0])");
        var z = Torch.Arange(5, dtype: DType.Float64);
        var tail = z.Slice(0, 1);
        CheckGeneral(tail, [1, 3, 5, 7], () => tail.AddInPlace(z.Slice(0, 0, 4)), "z[1:].add_(z[:-1])");
        Assert.Equal([0.0, 1, 3, 5, 7], z.ToArray<double>());

        // alpha * other is computed first, so an overlapping operand with alpha is still read whole.
        var w = Torch.Arange(4, dtype: DType.Float32).Reshape(2, 2);
        CheckGeneral(w, [0, 5, 4, 9], () => w.AddInPlace(w.T, 2), "w.add_(w.T, alpha=2)");
    }

    [Fact]
    public void A_tensor_that_overlaps_itself_takes_the_general_path()
    {
        // An expanded row: every row is the same memory. The general path computes the result
        // once and copies it back, so each element gets x + 1 once (the direct kernel would add
        // 1 once per row).
        var row = Torch.Zeros(3);
        var expanded = row.Expand(4, 3);
        CheckGeneral(expanded, Enumerable.Repeat(1.0, 12).ToArray(), () => expanded.AddInPlace(1), "expanded.add_(1)");
        Assert.Equal([1f, 1f, 1f], row.ToArray<float>());
        // A strided view whose rows overlap (sizes [3, 2], strides [1, 1]).
        var flat = Torch.Arange(4, dtype: DType.Float32);
        var windows = flat.AsStrided([3, 2], [1, 1]);
        int before = Tensor.DirectInPlaceWrites;
        windows.MulInPlace(2);
        Assert.Equal(before, Tensor.DirectInPlaceWrites);
    }

    [Fact]
    public void Casts_and_shape_errors_are_unchanged_and_leave_the_tensor_untouched()
    {
        void Fails(Tensor x, Action inPlace, string message)
        {
            var values = x.To(DType.Float64).ToArray<double>();
            int version = x.VersionNumber;
            var e = Assert.Throws<InvalidOperationException>(inPlace);
            Assert.Equal(message, e.Message);
            Assert.Equal(values, x.To(DType.Float64).ToArray<double>());
            Assert.Equal(version, x.VersionNumber);
        }
        // Texts from PyTorch 1.13.
        const string floatToLong = "result type Float can't be cast to the desired output type Long";
        var i = Torch.Ones(3, DType.Int64);
        Fails(i, () => i.AddInPlace(1.5), floatToLong);
        Fails(i, () => i.DivInPlace(2), floatToLong);
        Fails(i, () => i.DivInPlace(Torch.Ones(3, DType.Int64)), floatToLong);
        Fails(i, () => i.MulInPlace(Torch.Ones(3)), floatToLong);
        Fails(i, () => i.ExpInPlace(), floatToLong);
        Fails(i, () => i.ReciprocalInPlace(), floatToLong);
        var f = Torch.Ones(3);
        Fails(f, () => f.AddInPlace(Torch.Ones(2, 3)), "output with shape [3] doesn't match the broadcast shape [2, 3]");
        Fails(f, () => f.SubInPlace(Torch.Ones(3, DType.Bool)),
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
        var b = Torch.Ones(3, DType.Bool);
        Fails(b, () => b.NegInPlace(),
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
    }

    [Fact]
    public void Castable_results_of_another_dtype_take_the_general_path()
    {
        // float32.add_(float64) computes in float64 and casts (PyTorch); int32.add_(int64) likewise.
        var f = Torch.Tensor(new[] { 0.1f, 0.2f });
        var d = Torch.Tensor(new[] { 1e-9, 0.3 });
        var expected = f.To(DType.Float64).Add(d).To(DType.Float32).To(DType.Float64).ToArray<double>();
        CheckGeneral(f, expected, () => f.AddInPlace(d), "float32.add_(float64)");
        var i = Torch.Tensor(new[] { 1, 2 }).To(DType.Int32);
        CheckGeneral(i, [4, 5], () => i.AddInPlace(Torch.Tensor(new long[] { 3, 3 })), "int32.add_(int64)");
        Assert.Equal(DType.Int32, i.DType);
    }

    [Fact]
    public void A_direct_write_bumps_the_version_that_saved_tensors_check()
    {
        var a = Torch.Tensor(new[] { 1.0, 2.0 }, requiresGrad: true);
        var b = Torch.Tensor(new[] { 3.0, 4.0 });
        var y = a * b; // saves b
        int before = Tensor.DirectInPlaceWrites;
        b.AddInPlace(1); // nothing requires grad here: no graph, the direct path
        Assert.Equal(before + 1, Tensor.DirectInPlaceWrites);
        Assert.Equal(1, b.VersionNumber);
        var e = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.Contains("modified by an inplace operation", e.Message);
    }

    [Fact]
    public void Recorded_and_forward_mode_in_place_ops_keep_the_general_path()
    {
        var x = Torch.Tensor(new[] { 1.0, 2.0 }, requiresGrad: true);
        var y = x * 1;
        int before = Tensor.DirectInPlaceWrites;
        y.MulInPlace(3);
        Assert.Equal(before, Tensor.DirectInPlaceWrites);
        Assert.Equal("MulBackward0", y.GradFn!.Name);
        using (Torch.NoGrad())
        {
            var z = Torch.Tensor(new[] { 1.0, 2.0 });
            z.MulInPlace(y); // y requires grad, but grad mode is off: no graph, direct
            Assert.Equal(before + 1, Tensor.DirectInPlaceWrites);
            Assert.Equal([3.0, 12.0], z.ToArray<double>());
        }
    }
}

// The direct path on large (pooled) storages, where the kernels split work among threads.
[Collection("Threads")]
public class DirectInPlacePooledTests
{
    private const int N = 98_400; // float32, about 384 KB: pooled, and split in parallel; 246 rows of 400

    [Fact]
    public void Sgd_updates_on_pooled_storages_match_the_out_of_place_values_for_1_and_2_threads()
    {
        int threads = ParallelFor.Threads;
        try
        {
            float[]? first = null;
            foreach (int t in new[] { 1, 2 })
            {
                Torch.SetNumThreads(t);
                var p = Torch.Arange(N, dtype: DType.Float32) * 1e-3;
                var g = Torch.Arange(N, dtype: DType.Float32) * -2e-3 + 1;
                var reference = p.Clone();
                Assert.True(p.Storage.IsPooled);
                var storage = p.Storage;
                using (Torch.NoGrad())
                    for (int step = 0; step < 5; step++)
                    {
                        int before = Tensor.DirectInPlaceWrites;
                        p.SubInPlace(0.01 * g);
                        p.MulInPlace(0.999);
                        p.AddInPlace(g, -0.5);
                        Assert.Equal(before + 3, Tensor.DirectInPlaceWrites);
                        reference = (reference - 0.01 * g) * 0.999 + g * -0.5;
                        GC.Collect(); // dead temporaries go back to the pool
                    }
                Assert.Same(storage, p.Storage);
                Assert.True(p.Storage.IsPooled);
                var values = p.ToArray<float>();
                Assert.Equal(reference.ToArray<float>(), values);
                if (first is null) first = values;
                else Assert.Equal(first, values);
            }
        }
        finally
        {
            Torch.SetNumThreads(threads);
        }
    }

    [Fact]
    public void Large_in_place_ops_in_pieces_equal_the_out_of_place_values_for_1_and_2_threads()
    {
        int threads = ParallelFor.Threads;
        try
        {
            foreach (int t in new[] { 1, 2 })
            {
                Torch.SetNumThreads(t);
                foreach (var dtype in new[] { DType.Float32, DType.Float64, DType.Int64 })
                {
                    Tensor Fresh() => (Torch.Arange(N, dtype: DType.Float64) * 7.25e-5 - 3).To(dtype);
                    var other = (Torch.Arange(N, dtype: DType.Float64) * -1.5e-5 + 0.75).To(dtype);
                    var ints = Torch.Arange(N, dtype: DType.Int32);
                    var one = Torch.Tensor(new[] { 3 }).To(dtype).Reshape(1, 1).Reshape(1);
                    var cases = new List<(string, Func<Tensor, Tensor>, Action<Tensor>)>
                    {
                        ("add_", x => x.Add(other), x => x.AddInPlace(other)),
                        ("sub_ alpha", x => x.Sub(other, 3), x => x.SubInPlace(other, 3)),
                        ("mul_ int32 operand", x => x.Mul(ints), x => x.MulInPlace(ints)),
                        ("mul_ one element", x => x.Mul(one), x => x.MulInPlace(one)),
                        ("add_ scalar", x => x.Add(5), x => x.AddInPlace(5)),
                        ("neg_", x => x.Neg(), x => x.NegInPlace()),
                    };
                    if (dtype.IsFloatingPoint())
                    {
                        cases.Add(("div_", x => x.Div(other), x => x.DivInPlace(other)));
                        cases.Add(("div_ scalar", x => x.Div(0.3), x => x.DivInPlace(0.3)));
                        cases.Add(("exp_", x => x.Exp(), x => x.ExpInPlace()));
                        cases.Add(("reciprocal_", x => x.Reciprocal(), x => x.ReciprocalInPlace()));
                    }
                    // A repeated row, and alpha fused piece by piece.
                    var row = (Torch.Arange(400, dtype: DType.Float64) * 0.37 - 70).To(dtype);
                    cases.Add(("add_ row", x => x.View(-1, 400).Add(row), x => x.View(-1, 400).AddInPlace(row)));
                    cases.Add(("add_ row alpha", x => x.View(-1, 400).Add(row, -2), x => x.View(-1, 400).AddInPlace(row, -2)));
                    cases.Add(("sub_ 1x400 row", x => x.View(-1, 400).Sub(row.View(1, 400)), x => x.View(-1, 400).SubInPlace(row.View(1, 400))));
                    if (dtype.IsFloatingPoint())
                    {
                        cases.Add(("add_ alpha 0.01", x => x.Add(other, 0.01), x => x.AddInPlace(other, 0.01)));
                        cases.Add(("div_ row", x => x.View(-1, 400).Div(row), x => x.View(-1, 400).DivInPlace(row)));
                    }
                    foreach (var (name, outOfPlace, inPlace) in cases)
                    {
                        var x = Fresh();
                        var expected = outOfPlace(x).To(DType.Float64).ToArray<double>();
                        int before = Tensor.DirectInPlaceWrites;
                        inPlace(x);
                        Assert.Equal(before + 1, Tensor.DirectInPlaceWrites);
                        var actual = x.To(DType.Float64).ToArray<double>();
                        Assert.True(expected.SequenceEqual(actual), $"{name} {dtype}, {t} threads");
                    }
                }
            }
        }
        finally
        {
            Torch.SetNumThreads(threads);
        }
    }
}
