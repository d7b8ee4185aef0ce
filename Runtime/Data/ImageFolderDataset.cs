using System.IO.Enumeration;

namespace Dsl.Runtime.Data;

/// <summary>
/// torchvision's ImageFolder: one sub-folder per class, classes in ordinal name order, JPEG and PNG files
/// in ordinal name order within each class. A class folder may be a symbolic link, and so may an image, but
/// links to folders inside a class are not followed: they can form cycles, which would never end.
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
            var files = ImagesUnder(folder).Order(StringComparer.Ordinal).ToArray();
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

    // Every JPEG and PNG below the folder, through real sub-folders only.
    private static FileSystemEnumerable<string> ImagesUnder(string folder) =>
        new(folder, static (ref entry) => entry.ToSpecifiedFullPath(), new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
        {
            ShouldIncludePredicate = static (ref entry) =>
                !entry.IsDirectory && Extensions.Contains(Path.GetExtension(entry.FileName).ToString().ToLowerInvariant()),
            ShouldRecursePredicate = static (ref entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };

    public string Root { get; }
    public int Count => samples.Length;
    public IReadOnlyList<string> ClassNames { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }

    public int LabelOf(int index) => samples[index].Label;

    /// <summary>The file of sample <paramref name="index"/>.</summary>
    public string PathOf(int index) => samples[index].Path;

    public void Load(int index, SplitMix64 random, Span<float> destination)
    {
        var path = samples[index].Path;
        ImageBuffer image;
        try { image = transform.Apply(ImageDecoder.Decode(path), random); }
        catch (ImageTooLargeException e) { throw new CorruptImageException(path, e.Message, e); }
        if (image.Channels != Channels || image.Height != Height || image.Width != Width)
            throw new InvalidOperationException(
                $"transforms made a {image.Channels}x{image.Height}x{image.Width} image from '{path}', expected {Channels}x{Height}x{Width}");
        image.Data.AsSpan().CopyTo(destination);
    }
}
