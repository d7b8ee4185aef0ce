using System.Collections.Generic;

namespace Dsl.Generator.Emit;

/// <summary>
/// Writes the assembly's model list: an internal class in the generated namespace that lists every generated
/// model in natural order of names, and the assembly attribute through which Dsl.Runtime's ModelCatalog.Of finds it.
/// Each assembly has its own, so assemblies with specs never declare the same type.
/// </summary>
internal static class CatalogEmitter
{
    public const string ClassName = "GeneratedModels";

    public const string HintName = ClassName + ".g.cs";

    public static string Emit(IReadOnlyList<string> classNames, string namespaceName)
    {
        var qualified = "global::" + namespaceName + ".";
        var w = new CodeWriter().GeneratedFileHeader(namespaceName,
            assemblyAttribute: "global::Dsl.Runtime.Models.ModelSource(typeof(" + qualified + ClassName + "))");
        w.Line("/// <summary>The models generated in this assembly; read them through Dsl.Runtime.Models.ModelCatalog.Of.</summary>");
        w.Open("internal sealed class " + ClassName + " : global::Dsl.Runtime.Models.IModelSource");
        w.Line("public global::System.Collections.Generic.IReadOnlyList<global::Dsl.Runtime.Models.ModelInfo> Models { get; } =");
        w.Line("[");
        w.Indent();
        foreach (var name in classNames) w.Line(qualified + name + ".Info,");
        w.Outdent();
        w.Line("];");
        w.Close();
        return w.ToString();
    }
}
