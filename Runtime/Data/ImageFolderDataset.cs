namespace Dsl.Runtime.Data;

/// <summary>
/// torchvision's ImageFolder: one sub-folder per class, classes in ordinal name order, JPEG and PNG files
/// in ordinal name order within each class.
/// </summary>
public sealed class ImageFolderDataset : IImageDataset
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png"];

    private readonly (string Path, int Label)[] samples;
    private readonly IImageTransform transform;

    public ImageFolderDataset(string root, IImageTransform transform, int channels, int height, int width)
    {
        if (!Directory.Exists(root)) throw new DataException($"data folder '{root}' does not exist");
        var classes = Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>()
            .OrderBy(n => n, StringComparer.Ordinal).ToArray();
        if (classes.Length == 0)
            throw new DataException($"data folder '{root}' has no class sub-folders (expected one folder of images per class)");
        var list = new List<(string, int)>();
        for (var label = 0; label < classes.Length; label++)
        {
            var folder = Path.Combine(root, classes[label]);
            var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .OrderBy(f => f, StringComparer.Ordinal).ToArray();
            if (files.Length == 0)
                throw new DataException($"class folder '{folder}' has no images (.jpg, .jpeg or .png)");
            foreach (var file in files) list.Add((file, label));
        }
        samples = [.. list];
        ClassNames = classes;
        Root = root;
        this.transform = transform;
        (Channels, Height, Width) = (channels, height, width);
    }

    public string Root { get; }
    public int Count => samples.Length;
    public IReadOnlyList<string> ClassNames { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }

    public int LabelOf(int index) => samples[index].Label;

    public void Load(int index, SplitMix64 random, Span<float> destination)
    {
        var path = samples[index].Path;
        var image = transform.Apply(ImageDecoder.Decode(path), random);
        if (image.Channels != Channels || image.Height != Height || image.Width != Width)
            throw new InvalidOperationException(
                $"transforms made a {image.Channels}x{image.Height}x{image.Width} image from '{path}', expected {Channels}x{Height}x{Width}");
        image.Data.AsSpan().CopyTo(destination);
    }
}
