using System.IO.Compression;
using System.Text;

namespace Dsl.Runtime.Platform;

/// <summary>
/// A TorchScript module archive written in memory and loaded: how .NET code reaches libtorch operators that TorchSharp
/// binds nowhere. <c>jit.compile</c> resolves only <c>torch.*</c> (ATen) names; the code of a loaded module also
/// resolves <c>ops.&lt;namespace&gt;.*</c>, such as oneDNN's fused convolutions.
/// </summary>
internal static class ScriptArchive
{
    /// <summary>The class every archive here holds; <paramref name="code"/> defines it as <c>class Kernels(Module)</c>.</summary>
    public const string ClassName = "Kernels";

    // A pickled `__torch__.Kernels` object whose state is {"training": False}: GLOBAL, EMPTY_TUPLE, NEWOBJ,
    // EMPTY_DICT, the key, NEWFALSE, SETITEM, BUILD, STOP.
    private static readonly byte[] Data =
        [0x80, 0x02, .. "c__torch__\nKernels\n)"u8, 0x81, .. "}X"u8, 8, 0, 0, 0, .. "training"u8, 0x89, .. "sb."u8];

    // A pickled empty tuple: the archive's table of constants.
    private static readonly byte[] Constants = [0x80, 0x02, .. ")."u8];

    /// <summary>Loads a module of class <see cref="ClassName"/> whose TorchScript source is <paramref name="code"/>.</summary>
    public static jit.ScriptModule Load(string code)
    {
        using var archive = new MemoryStream();
        // Stored, not deflated: libtorch's reader takes both, and there is nothing worth compressing.
        using (var zip = new ZipArchive(archive, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "kernels/data.pkl", Data);
            Add(zip, "kernels/code/__torch__.py", Encoding.UTF8.GetBytes(code));
            Add(zip, "kernels/constants.pkl", Constants);
            Add(zip, "kernels/version", "3\n"u8.ToArray());
        }
        return jit.load(archive.ToArray());
    }

    private static void Add(ZipArchive zip, string name, byte[] content)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(content);
    }
}
