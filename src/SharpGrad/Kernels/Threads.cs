using SharpGrad.Kernels;

namespace SharpGrad;

public static partial class Torch
{
    /// <summary>Sets the number of threads kernels use, <c>torch.set_num_threads(n)</c>. Results do not depend on it (Note [Parallel for]).</summary>
    public static void SetNumThreads(int threads) => ParallelFor.Threads = threads;

    /// <summary>The number of threads kernels use, <c>torch.get_num_threads()</c>; defaults to the processor count.</summary>
    public static int GetNumThreads() => ParallelFor.Threads;
}
