// Tests share libtorch's process-wide thread pool and random generator; run concurrently, the bf16
// kernels split their work differently from run to run, so results would depend on which tests overlap.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
