// The tests seed libtorch's global generator, share its process-wide thread pool (run concurrently, the bf16
// kernels split their work differently from run to run) and read the process's resident memory, so they must
// not run concurrently with each other.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
