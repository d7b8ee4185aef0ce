namespace Dsl.Runtime.Data;

/// <summary>The preprocessing of the original ImageNet training script.</summary>
public static class StandardTransforms
{
    /// <summary>RandomResizedCrop, ColorJitter(0.4, 0.4, 0.4), horizontal flip, ImageNet normalization; RandomRotation(10) first when strong.</summary>
    public static IImageTransform ImageNetTrain(int inputSize = 224, bool strongAugmentation = false)
    {
        var steps = new List<IImageTransform>();
        if (strongAugmentation) steps.Add(new RandomRotation(10));
        steps.Add(new RandomResizedCrop(inputSize));
        steps.Add(new ColorJitter(0.4, 0.4, 0.4));
        steps.Add(new RandomHorizontalFlip());
        steps.Add(Normalize.ImageNet);
        return new TransformPipeline([.. steps]);
    }

    /// <summary>Resize the shorter side to int(size / 0.875 + 0.5) (256 for 224; just size otherwise), centre crop, normalize.</summary>
    public static IImageTransform ImageNetEval(int inputSize = 224) =>
        new TransformPipeline(new ResizeShorterSide(EvalResize(inputSize)), new CenterCrop(inputSize), Normalize.ImageNet);

    /// <summary>The shorter side images are resized to before the centre crop of evaluation.</summary>
    public static int EvalResize(int inputSize) => inputSize == 224 ? (int)(224 / 0.875 + 0.5) : inputSize;
}
