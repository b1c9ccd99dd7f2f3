using SharpGrad.Kernels;

namespace SharpGrad.Tests.Kernels;

// Note [Elementwise fast paths], Note [Lean dispatch], Note [Reduction layout]: the dense, scalar
// and parallel paths give the values the general strided loop gives, for any thread count.
[Collection("Threads")]
public class FastPathTests
{
    private const int Large = 2 * Elementwise.ParallelGrain + 13; // split across threads

    private static T[] Run<T>(int threads, Func<T[]> body)
    {
        int before = Torch.GetNumThreads();
        try
        {
            Torch.SetNumThreads(threads);
            return body();
        }
        finally
        {
            Torch.SetNumThreads(before);
        }
    }

    private static Tensor Values(int n, DType dtype) =>
        ((Torch.Arange(n, dtype: DType.Float64) * 0.37).Sin() * 50).To(dtype);

    [Theory]
    [InlineData(DType.Float32, 1)]
    [InlineData(DType.Float32, 7)]
    [InlineData(DType.Float32, Large)]
    [InlineData(DType.Float64, Large)]
    [InlineData(DType.Int64, Large)]
    [InlineData(DType.Int32, 9)]
    public void Dense_and_scalar_forms_match_elementwise_reference(DType dtype, int n)
    {
        var a = Values(n, dtype);
        var b = ((Torch.Arange(n, dtype: DType.Float64) * 0.11).Cos() * 40).To(dtype) + 3;
        var x = a.ToArray<double>();
        var y = b.ToArray<double>();
        double Cast(double v) => dtype switch
        {
            DType.Float32 => (float)v,
            DType.Int32 => (int)v,
            DType.Int64 => (long)v,
            _ => v,
        };
        foreach (int threads in new[] { 1, 2 })
        {
            Assert.Equal(x.Zip(y, (p, q) => Cast(p + q)).ToArray(), Run(threads, () => (a + b).ToArray<double>()));
            Assert.Equal(x.Zip(y, (p, q) => Cast(p * q)).ToArray(), Run(threads, () => (a * b).ToArray<double>()));
            Assert.Equal(x.Select(p => Cast(p - 2)).ToArray(), Run(threads, () => (a - 2).ToArray<double>()));
            Assert.Equal(x.Select(p => Cast(5 - p)).ToArray(), Run(threads, () => (5 - a).ToArray<double>()));
            // A 0-dim tensor operand in another dtype is read as a value, converted like a copy would.
            var zeroDim = Torch.Tensor(3.75);
            var expected = dtype.IsFloatingPoint() ? x.Select(p => Cast(p * Cast(3.75))).ToArray() : x.Select(p => (double)(float)(p * 3.75f)).ToArray();
            Assert.Equal(expected, Run(threads, () => (a * zeroDim).ToArray<double>()));
        }
    }

    [Fact]
    public void A_float_number_on_an_integer_tensor_promotes_exactly_as_its_wrapped_tensor()
    {
        var a = Torch.Arange(10, dtype: DType.Int32);
        var viaNumber = a * 2.5;
        var viaWrapped = a.Mul(Tensor.Wrap(2.5));
        Assert.Equal(DType.Float32, viaNumber.DType);
        Assert.Equal(viaWrapped.ToArray<float>(), viaNumber.ToArray<float>());
        Assert.Equal(DType.Int32, (a + 3).DType);
        Assert.Equal(DType.Int64, (Torch.Tensor(new[] { true, false }) + 1).DType);
    }

    [Fact]
    public void Activations_and_reductions_do_not_depend_on_the_thread_count()
    {
        var a = Values(Large, DType.Float32) / 10;
        var m = Values(300 * 1000, DType.Float32).Reshape(300, 1000);
        foreach (var f in new Func<Tensor, Tensor>[] { t => t.Exp(), t => t.Sigmoid(), t => t.Tanh(), t => t.Sin(), t => -t })
            Assert.Equal(Run(1, () => f(a).ToArray<float>()), Run(2, () => f(a).ToArray<float>()));
        foreach (var f in new Func<Tensor, Tensor>[] { t => t.Sum(1), t => t.Sum(0), t => t.Mean(1), t => t.T.Sum(1), t => t.Sum() })
            Assert.Equal(Run(1, () => f(m).ToArray<float>()), Run(2, () => f(m).ToArray<float>()));
    }

    [Fact]
    public void Reductions_read_in_place_give_the_values_of_a_dense_copy()
    {
        var m = Values(40 * 50 * 6, DType.Float64).Reshape(40, 50, 6);
        var copy = m.Permute(2, 0, 1).Contiguous().Permute(1, 2, 0); // same values, not contiguous
        Assert.False(copy.IsContiguous);
        Assert.Equal(copy.Sum([1, 2]).ToArray<double>(), m.Sum([1, 2]).ToArray<double>());
        Assert.Equal(copy.Sum().ToArray<double>(), m.Sum().ToArray<double>());
        Assert.Equal(copy.Mean(2).ToArray<double>(), m.Mean(2).ToArray<double>());
    }

    [Fact]
    public void An_overlapping_copy_within_one_storage_stays_sequential()
    {
        int n = Large + 1;
        foreach (int threads in new[] { 1, 2 })
        {
            var x = Torch.Arange(n, dtype: DType.Float32);
            var expected = x.ToArray<float>();
            Array.Copy(expected, 0, expected, 1, n - 1); // memmove semantics
            Run(threads, () =>
            {
                Elementwise.Copy(x.Narrow(0, 0, n - 1), x.Narrow(0, 1, n - 1));
                return Array.Empty<float>();
            });
            Assert.Equal(expected, x.ToArray<float>());
        }
    }

    [Fact]
    public void Results_share_their_operands_shape_arrays_and_stay_independent()
    {
        var a = Torch.Ones(2, 3);
        var r = a + 1;
        Assert.Same(a.Sizes, r.Sizes);
        Assert.Equal([3, 1], r.Stride());
        var shape = r.Shape;
        shape[0] = 99; // a copy: the shared array is never written
        Assert.Equal([2, 3], a.Shape);
        // A size-1 dim with an odd stride counts as contiguous; the result still gets fresh
        // contiguous strides, never the operand's odd ones.
        var odd = Torch.Ones(3, 1).AsStrided([3, 1], [1, 7]);
        Assert.True(odd.IsContiguous);
        Assert.Equal([1, 1], (odd + 1).Stride());
    }
}
