using System.Collections.Generic;
using Dsl.Generator.Infrastructure;

namespace Dsl.Generator.Emit;

/// <summary>Writes the data half of ModelCatalog: the entry of every generated model, ordered by name.</summary>
internal static class CatalogEmitter
{
    public const string HintName = "ModelCatalog.g.cs";

    public static string Emit(IReadOnlyList<string> classNames)
    {
        var w = new CodeWriter().GeneratedFileHeader();
        w.Open("public static partial class ModelCatalog");
        w.Line("private static global::Dsl.Runtime.Models.ModelInfo[] CreateEntries() =>");
        w.Line("[");
        w.Indent();
        foreach (var name in classNames) w.Line("global::Dsl.Definitions." + name + ".Info,");
        w.Outdent();
        w.Line("];");
        w.Close();
        return w.ToString();
    }
}
