namespace Dsl.Generator.Description;

/// <summary>The network family past the resolver; its spec spelling survives only in the model's Family constant.</summary>
public enum NetworkFamily
{
    BigLittle,
    ScaleNet,
    ResNet,
}

/// <summary>The residual block past the resolver; its spec spelling survives only in the model's BlockType constant.</summary>
public enum BlockKind
{
    Bottleneck,
    ResNeXt,
    SEResNeXt,
}

/// <summary>The spec spellings of <see cref="NetworkFamily"/> and <see cref="BlockKind"/> (<see cref="SpecResolver"/>'s constants).</summary>
internal static class Spellings
{
    public static NetworkFamily ToFamily(string spelling) => spelling switch
    {
        SpecResolver.BigLittle => NetworkFamily.BigLittle,
        SpecResolver.ScaleNet => NetworkFamily.ScaleNet,
        _ => NetworkFamily.ResNet,
    };

    public static BlockKind ToBlock(string spelling) => spelling switch
    {
        SpecResolver.ResNeXt => BlockKind.ResNeXt,
        SpecResolver.SEResNeXt => BlockKind.SEResNeXt,
        _ => BlockKind.Bottleneck,
    };

    public static string Spelling(this NetworkFamily family) => family switch
    {
        NetworkFamily.BigLittle => SpecResolver.BigLittle,
        NetworkFamily.ScaleNet => SpecResolver.ScaleNet,
        _ => SpecResolver.ResNet,
    };

    public static string Spelling(this BlockKind block) => block switch
    {
        BlockKind.ResNeXt => SpecResolver.ResNeXt,
        BlockKind.SEResNeXt => SpecResolver.SEResNeXt,
        _ => SpecResolver.Bottleneck,
    };
}
