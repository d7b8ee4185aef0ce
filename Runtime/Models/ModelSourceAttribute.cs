using System.Diagnostics.CodeAnalysis;

namespace Dsl.Runtime.Models;

/// <summary>
/// Names the class that lists the models generated in this assembly. The model generator emits one per
/// assembly, in the assembly's own namespace, so <see cref="ModelCatalog.Of"/> finds every assembly's models
/// without any type name shared between assemblies.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class ModelSourceAttribute(
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] Type sourceType) : Attribute
{
    /// <summary>A class with a public parameterless constructor that implements <see cref="IModelSource"/>.</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
    public Type SourceType { get; } = sourceType;
}
