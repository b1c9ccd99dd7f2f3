namespace SharpGrad.Tests.Support;

/// <summary>
/// Tests that change process-wide state (Torch.SetNumThreads, the storage pool's collections) or
/// depend on it (the direct in-place path is off while any thread has a dual level open) run in
/// this collection, alone, after the parallel tests.
/// </summary>
[CollectionDefinition("Threads", DisableParallelization = true)]
public sealed class ThreadsCollection;
