namespace Dsl.Runtime.Checkpoints;

/// <summary>The Python names torch.save pickles refer to, shared by the reader's allow-list and the writer.</summary>
internal static class TorchGlobals
{
    public static readonly PickleGlobal OrderedDict = new("collections", "OrderedDict");
    public static readonly PickleGlobal RebuildTensorV2 = new("torch._utils", "_rebuild_tensor_v2");
}
