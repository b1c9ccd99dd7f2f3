using SharpGrad.Kernels;

namespace SharpGrad.Tests.Kernels;

[Collection("Threads")]
public class ParallelForTests
{
    private struct Square(double[] output) : IRangeBody
    {
        public readonly void Run(int start, int end)
        {
            for (int i = start; i < end; i++) output[i] = Math.Sqrt(i) * 1.000001;
        }
    }

    private struct Record(int[] owner) : IRangeBody
    {
        public readonly void Run(int start, int end)
        {
            for (int i = start; i < end; i++) owner[i] = Environment.CurrentManagedThreadId;
        }
    }

    private struct Throws : IRangeBody
    {
        public readonly void Run(int start, int end)
        {
            if (start > 0) throw new InvalidOperationException("boom");
        }
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count_and_every_index_runs_once()
    {
        int before = Torch.GetNumThreads();
        try
        {
            foreach (int count in new[] { 0, 1, 7, 1000, 100_003 })
            {
                Torch.SetNumThreads(1);
                var one = new double[count];
                var body = new Square(one);
                ParallelFor.For(count, 16, ref body);
                Torch.SetNumThreads(2);
                var two = new double[count];
                body = new Square(two);
                ParallelFor.For(count, 16, ref body);
                Assert.Equal(one, two);
                Assert.All(Enumerable.Range(0, count), i => Assert.Equal(Math.Sqrt(i) * 1.000001, two[i]));
            }
        }
        finally
        {
            Torch.SetNumThreads(before);
        }
    }

    [Fact]
    public void Two_threads_split_large_work_and_small_work_stays_on_the_caller()
    {
        int before = Torch.GetNumThreads();
        try
        {
            Torch.SetNumThreads(2);
            var owners = new int[10_000];
            var body = new Record(owners);
            ParallelFor.For(owners.Length, 100, ref body);
            Assert.Equal(2, owners.Distinct().Count());
            var small = new int[50];
            body = new Record(small);
            ParallelFor.For(small.Length, 100, ref body);
            Assert.Equal([Environment.CurrentManagedThreadId], small.Distinct());
        }
        finally
        {
            Torch.SetNumThreads(before);
        }
    }

    [Fact]
    public void Worker_exceptions_reach_the_caller_and_bad_thread_counts_are_refused()
    {
        int before = Torch.GetNumThreads();
        try
        {
            Torch.SetNumThreads(2);
            var body = new Throws();
            var e = Assert.Throws<AggregateException>(() => ParallelFor.For(1000, 10, ref body));
            Assert.Equal("boom", e.InnerException!.Message);
            Assert.Throws<ArgumentException>(() => Torch.SetNumThreads(0));
        }
        finally
        {
            Torch.SetNumThreads(before);
        }
    }
}
