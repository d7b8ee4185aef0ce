using Dsl.Runtime.Tests.Support;

namespace Dsl.Runtime.Tests.Gradients;

public class PoolingGradientTests
{
    [Theory]
    [InlineData(3, 2, 1, false)]
    [InlineData(2, 2, 0, true)]
    public void MaxPoolRoutesGradientToTheMaximum(int kernel, int stride, int padding, bool ceilMode) =>
        GradCheck.Verify(t => Functional.MaxPool2d(t[0], kernel, stride, padding, ceilMode), GradInput.Random(110, 2, 2, 5, 5));

    [Theory]
    [InlineData(3, 2, 1, false, true)]
    [InlineData(3, 2, 1, true, false)]
    [InlineData(2, 2, 0, true, true)]
    public void AvgPoolGradients(int kernel, int stride, int padding, bool ceilMode, bool countIncludePad) =>
        GradCheck.Verify(t => Functional.AvgPool2d(t[0], kernel, stride, padding, ceilMode, countIncludePad),
            GradInput.Random(111, 2, 2, 6, 6));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    public void AdaptiveAvgPoolGradients(int height, int width) =>
        GradCheck.Verify(t => Functional.AdaptiveAvgPool2d(t[0], height, width), GradInput.Random(112, 2, 2, 5, 7));

    [Theory]
    [InlineData(3, 4, 6, 8)]
    [InlineData(3, 5, 7, 4)]
    [InlineData(6, 6, 3, 3)]
    public void NearestInterpolationGradients(int height, int width, int outHeight, int outWidth) =>
        GradCheck.Verify(t => Functional.Interpolate(t[0], outHeight, outWidth, InterpolationMode.Nearest),
            GradInput.Random(113, 1, 2, height, width));

    [Theory]
    [InlineData(3, 4, 6, 8)]
    [InlineData(3, 5, 7, 4)]
    [InlineData(6, 6, 3, 3)]
    public void BilinearInterpolationGradients(int height, int width, int outHeight, int outWidth) =>
        GradCheck.Verify(t => Functional.Interpolate(t[0], outHeight, outWidth, InterpolationMode.Bilinear),
            GradInput.Random(114, 1, 2, height, width));
}
