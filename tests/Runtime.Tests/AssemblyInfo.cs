// The tests seed libtorch's global generator and read the process's resident memory, so they must
// not run concurrently with each other.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
