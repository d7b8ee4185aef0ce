using Dsl.Runtime.Data;

namespace Dsl.Trainer.Setup;

/// <summary>The training and validation loaders for a --data value and a model.</summary>
public sealed record DataSources(DataLoader Train, DataLoader Validation, string Description)
{
    public const string FashionMnistName = "fashion-mnist";
    public const string SyntheticName = "synthetic";

    /// <summary>
    /// <paramref name="data"/> is "fashion-mnist" (the Debian package's files, or a folder holding them after a
    /// colon: fashion-mnist:/path), "synthetic", or an ImageFolder root with train/ and val/.
    /// </summary>
    public static DataSources Create(TrainingPlan plan, ulong seed, bool strict)
    {
        var (data, model, inputSize, batchSize, workers) = (plan.Data, plan.Model, plan.InputSize, plan.Recipe.BatchSize, plan.Workers);
        var policy = strict ? CorruptSamplePolicy.Throw : CorruptSamplePolicy.Skip;
        IImageDataset train;
        // The validation set, and the training images under the evaluation transform that a held-out split validates on:
        // built only when used, so a held-out run never reads the test or val set.
        Func<IImageDataset> validationSet, trainForEvaluation;
        string description;
        if (data == SyntheticName)
        {
            train = new SyntheticDataset(Math.Max(4 * batchSize, 512), model.Classes, model.InputChannels, inputSize, inputSize, seed);
            validationSet = () => new SyntheticDataset(Math.Max(batchSize, 128), model.Classes, model.InputChannels, inputSize, inputSize, seed);
            // Synthetic samples have no augmentation to leave out.
            var samples = train;
            trainForEvaluation = () => samples;
            description = "synthetic data";
        }
        else if (data == FashionMnistName || data.StartsWith(FashionMnistName + ":", StringComparison.Ordinal))
        {
            var folder = data.Length > FashionMnistName.Length ? data[(FashionMnistName.Length + 1)..] : FashionMnist.DefaultFolder;
            if (model.InputChannels != 1 || inputSize != 28)
                throw new UsageException($"Fashion-MNIST images are 1x28x28 but {model.Name} takes {model.InputChannels}x{inputSize}x{inputSize}");
            train = FashionMnist.Load(folder, train: true, Augmentations.FashionMnist(plan.Recipe));
            validationSet = () => FashionMnist.Load(folder, train: false, FashionMnist.EvalTransform());
            trainForEvaluation = () => FashionMnist.Load(folder, train: true, FashionMnist.EvalTransform());
            description = $"Fashion-MNIST ({folder})";
        }
        else
        {
            if (!Directory.Exists(data))
                throw new DataException($"data folder '{data}' does not exist (use {FashionMnistName}, {SyntheticName} or a folder with train/ and val/)");
            if (model.InputChannels != 3)
                throw new UsageException($"image folders hold RGB images but {model.Name} takes {model.InputChannels} channel(s)");
            var (trainFolder, valFolder) = (Path.Combine(data, "train"), Path.Combine(data, "val"));
            train = new ImageFolderDataset(trainFolder, Augmentations.ImageFolder(plan.Recipe, inputSize), 3, inputSize, inputSize);
            var classes = train.ClassNames;
            validationSet = () =>
            {
                var val = new ImageFolderDataset(valFolder, StandardTransforms.ImageNetEval(inputSize), 3, inputSize, inputSize);
                if (!classes.SequenceEqual(val.ClassNames))
                    throw new DataException($"'{trainFolder}' has {classes.Count} classes and '{valFolder}' {val.ClassNames.Count}, or their names differ");
                return val;
            };
            trainForEvaluation = () => new ImageFolderDataset(trainFolder, StandardTransforms.ImageNetEval(inputSize), 3, inputSize, inputSize);
            description = $"image folder {data}";
        }
        var holdout = plan.Recipe.Holdout;
        IImageDataset validation;
        (train, validation) = holdout > 0 ? HeldOut(train, trainForEvaluation(), holdout) : (train, validationSet());
        if (holdout > 0) description += $", the last {holdout} training images held out for validation";
        if (train.ClassNames.Count != model.Classes)
            throw new UsageException($"the data has {train.ClassNames.Count} classes but {model.Name} predicts {model.Classes}");
        return new DataSources(
            new DataLoader(train, batchSize, shuffle: true, seed, workers, prefetch: Math.Max(2, 2 * workers), corrupt: policy),
            new DataLoader(validation, batchSize, shuffle: false, seed, workers, prefetch: Math.Max(2, 2 * workers), corrupt: policy),
            $"{description}: {train.Count} training and {validation.Count} validation images, {train.ClassNames.Count} classes");
    }

    /// <summary>
    /// The training images but the last <paramref name="holdout"/>, and those last ones as <paramref name="forEvaluation"/> (the
    /// same images under the evaluation transform) gives them: the held-out images are seen as a test set is, never augmented.
    /// </summary>
    private static (IImageDataset Train, IImageDataset Validation) HeldOut(IImageDataset train, IImageDataset forEvaluation, int holdout) =>
        holdout < train.Count
            ? (DatasetSlice.First(train, train.Count - holdout), DatasetSlice.Last(forEvaluation, holdout))
            : throw new UsageException($"{Generator.Specs.TrainingFields.Holdout.Flags[0]} {holdout} must be smaller than the {train.Count} training images");
}
