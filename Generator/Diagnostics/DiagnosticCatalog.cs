using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Dsl.Generator.Diagnostics;

/// <summary>
/// Every diagnostic the model generator reports. Ids are stable; each has a page in docs/diagnostics/.
/// </summary>
public static class DiagnosticCatalog
{
    private const string Category = "Dsl.Spec";

    public static readonly DiagnosticDescriptor SyntaxError = Error("DSL0001", "Spec syntax error",
        "{0} syntax error: {1}");

    public static readonly DiagnosticDescriptor UnknownKey = Error("DSL0002", "Unknown key",
        "Unknown key '{0}' in {1}{2}");

    public static readonly DiagnosticDescriptor WrongType = Error("DSL0003", "Value of the wrong type",
        "'{0}' must be {1}, but found {2}");

    public static readonly DiagnosticDescriptor MissingField = Error("DSL0004", "Missing required field",
        "Required field '{0}' is missing{1}");

    public static readonly DiagnosticDescriptor OutOfRange = Error("DSL0005", "Value out of range",
        "'{0}' is {1}, but it must be {2}");

    public static readonly DiagnosticDescriptor UnknownDepth = Error("DSL0006", "Depth without a stage table",
        "Depth {0} has no stage table for family '{1}' (known depths: {2}); give 'blocks' per stage instead");

    public static readonly DiagnosticDescriptor NotDivisible = Error("DSL0007", "Channel count not divisible",
        "{0} is not divisible by {1}");

    public static readonly DiagnosticDescriptor AllocationRowCount = Error("DSL0008", "Allocation rows do not match the blocks",
        "The allocation has {0} rows, but the network has {1} blocks ({2})");

    public static readonly DiagnosticDescriptor EmptyBranchRow = Error("DSL0009", "Block without any branch",
        "Allocation row {0} (block {1}) gives every branch 0 channels; a block needs at least one branch");

    public static readonly DiagnosticDescriptor VanishingBranch = Error("DSL0010", "Pooled branch reaches size 0",
        "Block {0}: the {1}x{1} max-pool of its branch with {2} channels turns the {3}x{4} map into an empty one at the declared input {5}");

    public static readonly DiagnosticDescriptor DuplicateName = Error("DSL0011", "Duplicate model name",
        "{0} '{1}' is already used by the model in {2}");

    public static readonly DiagnosticDescriptor InvalidName = Error("DSL0012", "Name cannot become a C# identifier",
        "Model name '{0}' cannot become a C# class name: {1}");

    public static readonly DiagnosticDescriptor MissingAllocationFile = Error("DSL0013", "Allocation file not found",
        "Allocation file '{0}' is not among the AdditionalFiles (known data files: {1})");

    public static readonly DiagnosticDescriptor LimitExceeded = Error("DSL0014", "Spec exceeds a limit",
        "The spec exceeds a limit: {0}");

    public static readonly DiagnosticDescriptor InternalError = Error("DSL0015", "Model generator failure",
        "The model generator could not process this spec: {0}");

    public static readonly DiagnosticDescriptor DuplicateKey = Error("DSL0016", "Duplicate key",
        "Key '{0}' appears more than once in {1}");

    public static readonly DiagnosticDescriptor ConflictingFields = Error("DSL0017", "Conflicting fields",
        "'{0}' and '{1}' cannot both be given");

    public static readonly DiagnosticDescriptor NotApplicable = Error("DSL0018", "Field does not apply",
        "'{0}' does not apply to {1}");

    public static readonly DiagnosticDescriptor NotASpecFile = new("DSL0019", "YAML file is not a spec",
        "'{0}' is not read as a network spec: spec files are named *.model.yaml, *.model.yml or *.model.json", Category,
        DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: "docs/diagnostics/DSL0019.md");

    public static readonly DiagnosticDescriptor InvalidNamespace = Error("DSL0020", "Invalid namespace for the generated models",
        "{0} '{1}' cannot be the namespace of the generated models: {2}; set the MSBuild property DslNamespace to a C# namespace");
    public static readonly DiagnosticDescriptor UnknownChoice = Error("DSL0021", "Unknown choice",
        "'{0}' is '{1}', but it must be one of {2}{3}");

    public static readonly DiagnosticDescriptor TooManyParameters = Error("DSL0022", "Network has too many parameters",
        "The network has {0} trainable parameters, more than the {1} allowed ({2} of float32 weights)");

    public static readonly DiagnosticDescriptor UnknownFeatureStage = Error("DSL0023", "Feature stage that the network cannot return",
        "'{0}' is {1}: {2}");

    public static IReadOnlyList<DiagnosticDescriptor> All { get; } =
    [
        SyntaxError, UnknownKey, WrongType, MissingField, OutOfRange, UnknownDepth, NotDivisible, AllocationRowCount,
        EmptyBranchRow, VanishingBranch, DuplicateName, InvalidName, MissingAllocationFile, LimitExceeded, InternalError,
        DuplicateKey, ConflictingFields, NotApplicable, NotASpecFile, InvalidNamespace, UnknownChoice, TooManyParameters,
        UnknownFeatureStage,
    ];

    private static readonly Dictionary<string, DiagnosticDescriptor> byId = All.ToDictionary(d => d.Id);

    public static DiagnosticDescriptor ById(string id) => byId[id];

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: "docs/diagnostics/" + id + ".md");
}
