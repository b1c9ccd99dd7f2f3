using SharpGrad.Kernels;

namespace SharpGrad.Tests.Kernels;

/// <summary>Runs the kernel table (Note [Kernel table]); CI repeats these tests with AVX-512 and with all hardware intrinsics disabled.</summary>
public class KernelTableTests
{
    public static TheoryData<string> Rows => new(KernelTable.All.Select(r => r.Name));

    [Theory, MemberData(nameof(Rows))]
    public void Span_kernel_matches_its_scalar_path_and_the_reference(string row)
    {
        var tracker = new Tracker(row);
        KernelTable.Get(row).Spans(tracker);
        tracker.Assert();
    }


    [Fact]
    public void Row_names_are_unique()
    {
        var dupes = KernelTable.All.GroupBy(r => r.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(dupes);
    }

    /// <summary>The family and kernel interfaces: a type implementing any of them is a kernel and needs a row.</summary>
    private static readonly Type[] KernelInterfaces =
    [
        typeof(IUnaryNumber<>), typeof(IUnaryFloat<>), typeof(SharpGrad.Kernels.IBinaryNumber<>), typeof(IBinaryFloat<>), typeof(ICompare<>),
        typeof(IBoolBinary<>), typeof(IBitwiseBinary<>), typeof(IUnaryKernel<,>), typeof(IBinaryKernel<,>), typeof(IReduceOp),
    ];

    /// <summary>Fails when a kernel operator (a type implementing a family or kernel interface) is not covered by any row.</summary>
    [Fact]
    public void Every_kernel_operator_has_a_row()
    {
        var covered = KernelTable.All.SelectMany(r => r.Covers).Select(Definition).ToHashSet();
        var kernels = typeof(Tensor).Assembly.GetTypes()
            .Where(t => !t.IsInterface && t.GetInterfaces().Any(i => KernelInterfaces.Contains(Definition(i))))
            .Select(Definition)
            .Distinct()
            .ToList();
        Assert.NotEmpty(kernels);
        var missing = kernels.Where(k => !covered.Contains(k)).Select(k => k.FullName).OrderBy(n => n).ToList();
        Assert.True(missing.Count == 0, "kernel operators without a kernel-table row: " + string.Join(", ", missing));
    }

    /// <summary>torch.tensor([-0., -0.], dtype=torch.float64).sum() is 0. (the accumulator starts at +0).</summary>
    [Fact]
    public void Sum_of_negative_zeros_is_positive_zero()
    {
        double sum = SumReduce.Invoke<double>([-0.0, -0.0]);
        Assert.False(double.IsNegative(sum), "sum of [-0., -0.] is -0.");
    }

    private static Type Definition(Type t) => t.IsGenericType ? t.GetGenericTypeDefinition() : t;
}

/// <summary>The strided-driver half of the kernel table, a separate class so that xunit runs it in parallel with the span half.</summary>
public class KernelTableStridedTests
{
    public static TheoryData<string> Rows => new(KernelTable.All.Where(r => r.HasStrided).Select(r => r.Name));

    [Theory, MemberData(nameof(Rows))]
    public void Strided_driver_matches_the_reference(string row)
    {
        var tracker = new Tracker(row);
        KernelTable.Get(row).Strided(tracker);
        tracker.Assert();
    }
}
