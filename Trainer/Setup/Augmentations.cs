using Dsl.Runtime.Data;
using Dsl.Generator.Specs;
using Dsl.Runtime.Training;
using Dsl.Trainer.Commands;

namespace Dsl.Trainer.Setup;

/// <summary>The training transforms a recipe's <see cref="Augmentation"/> stands for, per kind of data.</summary>
public static class Augmentations
{
    /// <summary>Fashion-MNIST's 28x28 grey images: flips and padded crops; the ImageNet recipes are for colour photos.</summary>
    public static IImageTransform FashionMnist(TrainingRecipe recipe) => recipe.Augmentation switch
    {
        Augmentation.None => Runtime.Data.FashionMnist.TrainTransform(),
        Augmentation.Flip => Runtime.Data.FashionMnist.TrainTransform(flip: true),
        Augmentation.CropFlip => Runtime.Data.FashionMnist.TrainTransform(padding: recipe.CropPadding, flip: true),
        _ => throw new UsageException(
            $"augmentation '{TrainingFlags.Word(recipe.Augmentation, TrainingSpec.Augmentations)}' is for colour photos; give the spec 'training: augmentation: flip' (or none, crop-flip) for Fashion-MNIST"),
    };

    /// <summary>An image folder: the ImageNet recipes, or the evaluation resize and centre crop followed by flips and padded crops.</summary>
    public static IImageTransform ImageFolder(TrainingRecipe recipe, int inputSize)
    {
        if (recipe.Augmentation is Augmentation.Standard or Augmentation.Strong)
            return StandardTransforms.ImageNetTrain(inputSize, recipe.Augmentation == Augmentation.Strong);
        var steps = new List<IImageTransform> { new ResizeShorterSide(StandardTransforms.EvalResize(inputSize)), new CenterCrop(inputSize) };
        if (recipe.Augmentation == Augmentation.CropFlip) steps.Add(new RandomCrop(inputSize, recipe.CropPadding));
        if (recipe.Augmentation != Augmentation.None) steps.Add(new RandomHorizontalFlip());
        steps.Add(Normalize.ImageNet);
        return new TransformPipeline([.. steps]);
    }
}
