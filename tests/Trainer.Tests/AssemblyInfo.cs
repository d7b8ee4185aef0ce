// Tests set process-wide libtorch state (thread count, random seed), so they run one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
