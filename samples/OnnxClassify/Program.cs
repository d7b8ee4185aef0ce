// Classifies Fashion-MNIST test images with a model exported by `dsl export` (for example bLResNet-Small), using
// ONNX Runtime alone: the input's shape comes from the file, images are scaled to [0, 1] as the trainer feeds them.
// It checks the exported graph's dynamic batch: one batch of N images and N batches of one give the same logits.
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace OnnxClassify;

public static class Program
{
    private static readonly string[] ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static int Main(string[] args)
    {
        if (args.Length is < 1 or > 4)
        {
            Console.Error.WriteLine("usage: OnnxClassify MODEL.onnx [IMAGES-idx3 [LABELS-idx1 [COUNT]]]");
            return 2;
        }
        const string folder = "/usr/share/datasets/fashion-mnist";
        var imagesPath = args.Length > 1 ? args[1] : Path.Combine(folder, "t10k-images-idx3-ubyte.gz");
        var labelsPath = args.Length > 2 ? args[2] : Path.Combine(folder, "t10k-labels-idx1-ubyte.gz");
        var count = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 16;

        using var session = new InferenceSession(args[0]);
        var input = session.InputMetadata.Single();
        var output = session.OutputMetadata.Single();
        var shape = input.Value.Dimensions;
        Console.WriteLine($"{args[0]}: input '{input.Key}' [{string.Join(", ", shape)}], output '{output.Key}' [{string.Join(", ", output.Value.Dimensions)}]");
        var images = IdxFile.Read(imagesPath);
        var labels = IdxFile.Read(labelsPath);
        if (shape.Length != 4 || shape[1] != 1 || shape[2] != images.Dimensions[1] || shape[3] != images.Dimensions[2])
            throw new InvalidDataException($"the model takes [batch, {string.Join(", ", shape.Skip(1))}]; {imagesPath} holds 1x{images.Dimensions[1]}x{images.Dimensions[2]} images");
        count = Math.Min(count, images.Dimensions[0]);

        var pixels = images.Dimensions[1] * images.Dimensions[2];
        var batch = new DenseTensor<float>([count, 1, images.Dimensions[1], images.Dimensions[2]]);
        for (var i = 0; i < count * pixels; i++) batch.Buffer.Span[i] = images.Values[i] / 255f;
        var logits = Run(session, input.Key, batch);
        var classes = logits.Dimensions[1];

        var correct = 0;
        var largestGap = 0f;
        for (var n = 0; n < count; n++)
        {
            var row = Enumerable.Range(0, classes).Select(c => logits[n, c]).ToArray();
            if (row.Any(v => !float.IsFinite(v))) throw new InvalidDataException($"image {n}: the logits are not finite");
            var predicted = Array.IndexOf(row, row.Max());
            correct += predicted == labels.Values[n] ? 1 : 0;
            var single = new DenseTensor<float>(batch.Buffer.Slice(n * pixels, pixels), [1, 1, images.Dimensions[1], images.Dimensions[2]]);
            var alone = Run(session, input.Key, single);
            var scale = row.Max(Math.Abs);
            largestGap = Math.Max(largestGap, Enumerable.Range(0, classes).Max(c => Math.Abs(alone[0, c] - row[c])) / scale);
            if (n < 5) Console.WriteLine($"image {n}: {Name(predicted)} (label {Name(labels.Values[n])})");
        }
        Console.WriteLine($"{correct} of {count} images classified as labelled; batch of {count} against batches of one: relative difference {largestGap:E2}");
        return largestGap <= 1e-4f ? 0 : 1;
    }

    private static Tensor<float> Run(InferenceSession session, string inputName, DenseTensor<float> batch)
    {
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, batch)]);
        return results.Single().AsTensor<float>().ToDenseTensor();
    }

    private static string Name(int label) => label < ClassNames.Length ? ClassNames[label] : label.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
