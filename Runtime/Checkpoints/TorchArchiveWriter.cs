namespace Dsl.Runtime.Checkpoints;

/// <summary>Writes plain values and tensors in the zip layout torch.save uses, so Python's torch.load reads the file.</summary>
internal static class TorchArchiveWriter
{
    private const string Folder = "archive/";

    public static void Write(Stream output, object? root)
    {
        var pickler = new PickleWriter();
        var pickle = pickler.Write(root);
        var zip = new AlignedZipWriter(output);
        zip.Add(Folder + "data.pkl", pickle);
        for (var i = 0; i < pickler.Storages.Count; i++)
        {
            using var scope = torch.NewDisposeScope();
            zip.Add($"{Folder}data/{i}", TensorBytes.Of(pickler.Storages[i]));
        }
        zip.Add(Folder + "version", "3\n"u8);
        zip.Finish();
    }
}
