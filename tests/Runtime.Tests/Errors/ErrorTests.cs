namespace Dsl.Runtime.Tests.Errors;

/// <summary>Bad input must surface as a managed exception with libtorch's explanation, and the process must carry on.</summary>
public class ErrorTests
{
    private static void StillWorks()
    {
        using var scope = new TensorScope();
        Assert.Equal(6, Tensor.FromArray(new[] { 1.0, 2, 3 }, 3).Sum().Item());
    }

    [Fact]
    public void Conv2dWithTheWrongChannelCount()
    {
        using var scope = new TensorScope();
        var input = Tensor.Zeros([1, 3, 8, 8]);
        var weight = Tensor.Zeros([4, 2, 3, 3]);
        var error = Assert.Throws<TorchException>(() => Functional.Conv2d(input, weight));
        Assert.Contains("expected input[1, 3, 8, 8] to have 2 channels, but got 3 channels instead", error.Message);
        StillWorks();
    }

    [Fact]
    public void Conv2dWithAnInputSmallerThanTheKernel()
    {
        using var scope = new TensorScope();
        var error = Assert.Throws<TorchException>(() => Functional.Conv2d(Tensor.Zeros([1, 1, 2, 2]), Tensor.Zeros([1, 1, 3, 3])));
        Assert.Contains("Kernel size can't be greater than actual input size", error.Message);
        StillWorks();
    }

    [Fact]
    public void ReshapeToAnIncompatibleShape()
    {
        using var scope = new TensorScope();
        var x = Tensor.Zeros([12]);
        var error = Assert.Throws<TorchException>(() => x.Reshape(5, 3));
        Assert.Contains("shape '[5, 3]' is invalid for input of size 12", error.Message);
        var viewError = Assert.Throws<TorchException>(() => Tensor.Zeros([3, 4]).Transpose(0, 1).View(12));
        Assert.Contains("view size is not compatible with input tensor's size and stride", viewError.Message);
        StillWorks();
    }

    [Fact]
    public void OtherShapeMismatches()
    {
        using var scope = new TensorScope();
        var a = Tensor.Zeros([2, 3]);
        Assert.Contains("mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)",
            Assert.Throws<TorchException>(() => Functional.Linear(a, Tensor.Zeros([3, 2]))).Message);
        Assert.Contains("must match the size of tensor b",
            Assert.Throws<TorchException>(() => a.Add(Tensor.Zeros([4]))).Message);
        Assert.Contains("Sizes of tensors must match except in dimension 0",
            Assert.Throws<TorchException>(() => Tensor.Cat([a, Tensor.Zeros([1, 4])], 0)).Message);
        Assert.Contains("out of bounds",
            Assert.Throws<TorchException>(() => Functional.CrossEntropy(a, Tensor.FromArray(new long[] { 0, 7 }, 2))).Message);
        Assert.Contains("a Tensor with 6 elements cannot be converted to Scalar",
            Assert.Throws<TorchException>(() => a.Item()).Message);
        StillWorks();
    }

    [Fact]
    public void UseAfterDispose()
    {
        var x = Tensor.Ones([2]);
        x.Dispose();
        var error = Assert.Throws<ObjectDisposedException>(() => x.Shape);
        Assert.Contains("disposed", error.Message);
        Assert.Throws<ObjectDisposedException>(() => x.ToArray<float>());
        Assert.Throws<ObjectDisposedException>(() => x.Add(1));
        using var scope = new TensorScope();
        Assert.Throws<ObjectDisposedException>(() => Tensor.Ones([2]).Add(x));
        Assert.Equal("Tensor(disposed)", x.ToString());
        StillWorks();
    }

    [Fact]
    public void FromArrayWithAShapeThatDoesNotFitTheData()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.FromArray(new float[5], 2, 3));
        Assert.Contains("shape [2, 3] holds 6 elements but 5 were given", error.Message);
        // (-2)·(-2) matches the element count, so libtorch is the one to refuse it.
        Assert.Contains("negative dimension -2", Assert.Throws<TorchException>(() => Tensor.FromArray(new float[4], -2, -2)).Message);
        var bytesError = Assert.Throws<ArgumentException>(() => Tensor.FromBytes(new byte[7], DType.Float32, [2]));
        Assert.Contains("needs 8 bytes, 7 were given", bytesError.Message);
        Assert.Throws<NotSupportedException>(() => Tensor.FromArray(new decimal[1], 1));
        StillWorks();
    }

    [Fact]
    public void RestoringAGarbageRandomState()
    {
        var state = Torch.GetRngState();
        var error = Assert.Throws<TorchException>(() => Torch.SetRngState(new byte[3]));
        Assert.Contains("Expected either a CPUGeneratorImplStateLegacy", error.Message);
        Torch.SetRngState(state);
        StillWorks();
    }

    [Fact]
    public void CopyingIntoABufferOfTheWrongSize()
    {
        using var scope = new TensorScope();
        var x = Tensor.Zeros([4]);
        var error = Assert.Throws<TorchException>(() => x.CopyTo<float>(new float[3]));
        Assert.Contains("destination holds 12 bytes, tensor has 16", error.Message);
        StillWorks();
    }

    [Fact]
    public void ErrorsOnAnotherThreadDoNotLeakIntoThisOne()
    {
        var thread = new Thread(() =>
        {
            using var scope = new TensorScope();
            Assert.Throws<TorchException>(() => Tensor.Zeros([12]).Reshape(5, 3));
        });
        thread.Start();
        thread.Join();
        using var scope = new TensorScope();
        var error = Assert.Throws<TorchException>(() => Tensor.Zeros([4]).View(3));
        Assert.Contains("shape '[3]' is invalid for input of size 4", error.Message);
        StillWorks();
    }
}
