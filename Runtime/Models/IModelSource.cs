namespace Dsl.Runtime.Models;

/// <summary>The models of one assembly, as its generated catalog class lists them.</summary>
public interface IModelSource
{
    IReadOnlyList<ModelInfo> Models { get; }
}
