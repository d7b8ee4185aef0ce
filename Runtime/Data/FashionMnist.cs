namespace Dsl.Runtime.Data;

/// <summary>Fashion-MNIST (28x28 grey images, 10 classes) from the IDX files, e.g. Debian's dataset-fashion-mnist.</summary>
public static class FashionMnist
{
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";

    public static readonly IReadOnlyList<string> ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Mean and standard deviation of the training pixels in [0, 1].</summary>
    public static readonly Normalize Normalization = new([0.2860f], [0.3530f]);

    /// <summary>Loads the "train" or "t10k" split; the transform runs on each 1x28x28 image in [0, 1].</summary>
    public static InMemoryImageDataset Load(string folder, bool train, IImageTransform transform)
    {
        if (!Directory.Exists(folder))
            throw new DataException($"Fashion-MNIST folder '{folder}' does not exist (on Debian: apt-get install dataset-fashion-mnist)");
        var prefix = train ? "train" : "t10k";
        var imagesPath = Find(folder, $"{prefix}-images-idx3-ubyte");
        var labelsPath = Find(folder, $"{prefix}-labels-idx1-ubyte");
        var (imageDims, pixels) = IdxFile.Read(imagesPath, 3);
        var (labelDims, labelBytes) = IdxFile.Read(labelsPath, 1);
        if (imageDims[0] != labelDims[0])
            throw new DataException($"'{imagesPath}' holds {imageDims[0]} images but '{labelsPath}' {labelDims[0]} labels");
        var labels = new int[labelBytes.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = labelBytes[i];
            if (labels[i] >= ClassNames.Count) throw new DataException($"'{labelsPath}': label {labels[i]} of sample {i} is not a Fashion-MNIST class");
        }
        return new InMemoryImageDataset(pixels, labels, 1, imageDims[1], imageDims[2], ClassNames, transform);
    }

    /// <summary>
    /// Training-time augmentation: random crops of a padded image and horizontal flips, each on request. The
    /// command line's six-epoch schedule uses flips alone: that short, the model is still close to
    /// under-fitting, and crops cost more accuracy than they give back.
    /// </summary>
    public static IImageTransform TrainTransform(int padding = 0, bool flip = false)
    {
        var steps = new List<IImageTransform>();
        if (padding > 0) steps.Add(new RandomCrop(28, padding));
        if (flip) steps.Add(new RandomHorizontalFlip());
        steps.Add(Normalization);
        return new TransformPipeline([.. steps]);
    }

    public static IImageTransform EvalTransform() => new TransformPipeline(Normalization);

    private static string Find(string folder, string name)
    {
        foreach (var candidate in new[] { name + ".gz", name })
        {
            var path = Path.Combine(folder, candidate);
            if (File.Exists(path)) return path;
        }
        throw new DataException($"Fashion-MNIST folder '{folder}' has no '{name}.gz' (or '{name}')");
    }
}
