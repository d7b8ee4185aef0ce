namespace Dsl.Runtime.Data;

/// <summary>One step of a data-augmentation or preprocessing pipeline.</summary>
public interface IImageTransform
{
    /// <summary>Returns the transformed image (may be the input, changed in place).</summary>
    ImageBuffer Apply(ImageBuffer image, SplitMix64 random);
}

/// <summary>Transforms applied in order.</summary>
public sealed class TransformPipeline(params IImageTransform[] steps) : IImageTransform
{
    public IReadOnlyList<IImageTransform> Steps { get; } = steps;

    public ImageBuffer Apply(ImageBuffer image, SplitMix64 random)
    {
        foreach (var step in Steps) image = step.Apply(image, random);
        return image;
    }
}
