namespace Dsl.Generator;

/// <summary>Names of the generator's pipeline steps, so tests can inspect how each step was cached.</summary>
public static class TrackingNames
{
    public const string SpecFiles = "SpecFiles";
    public const string DataFiles = "DataFiles";
    public const string Parsed = "Parsed";
    public const string Described = "Described";
    public const string Identities = "Identities";
    public const string Roster = "Roster";
    public const string Models = "Models";
    public const string CatalogEntries = "CatalogEntries";
    public const string StrayFiles = "StrayFiles";
    public const string Namespace = "Namespace";
}
