using System.Linq;
using Dsl.Generator.Description;
using Dsl.Generator.Naming;
using static Dsl.Generator.Emit.Literals;

namespace Dsl.Generator.Emit;

/// <summary>
/// Writes a model's layer table into a partial file of its own, so the model's main file shows structure and
/// not data. The table is built by a method the main file calls in order, because static initializers of
/// different partial files run in no defined order.
/// </summary>
internal static class SummaryEmitter
{
    public const string FactoryName = "CreateLayerSummaries";

    public static string HintName(NetworkDescription network) => network.ClassName + ".Summary.g.cs";

    public static string Emit(NetworkDescription n, string namespaceName)
    {
        var w = new CodeWriter().GeneratedFileHeader(namespaceName, ReservedNames.Aliases.Where(a => a.Alias == "LayerSummary").ToList());
        w.Open("public sealed partial class " + n.ClassName);
        w.Line("private static LayerSummary[] " + FactoryName + "() =>");
        w.Line("[");
        w.Indent();
        foreach (var row in n.Layers)
            w.Line("new(" + String(row.Name) + ", " + String(row.Kind) + ", " + Longs(row.OutputShape) + ", " +
                   Long(row.Parameters) + ", " + Long(row.MultiplyAdds) + "),");
        w.Outdent();
        w.Line("];");
        w.Close();
        return w.ToString();
    }
}
