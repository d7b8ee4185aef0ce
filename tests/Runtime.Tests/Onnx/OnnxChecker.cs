namespace Dsl.Runtime.Tests.Onnx;

/// <summary>The reference ONNX checker, <c>onnx.checker.check_model</c> of Debian's python3-onnx, run on a file.</summary>
internal static class OnnxChecker
{
    /// <summary>Debian's interpreter, which sees Debian's Python packages whatever python3 a PATH puts first.</summary>
    public const string Interpreter = "/usr/bin/python3";

    /// <summary>Why the checker cannot run here, or null where Python's onnx imports.</summary>
    public static string? Missing { get; } = FindMissing();

    /// <summary>The checker's complaint about <paramref name="path"/> (full check, shapes inferred), or null where it accepts the file.</summary>
    public static string? Complaint(string path)
    {
        var (code, output) = Python("import onnx, sys; onnx.checker.check_model(sys.argv[1], full_check=True)", path);
        return code == 0 ? null : output;
    }

    private static string? FindMissing()
    {
        try
        {
            var (code, output) = Python("import onnx; print(onnx.__version__)");
            return code == 0 ? null : "Python's onnx does not import in " + Interpreter + " (scripts/setup.sh --tests installs python3-onnx): " + output.Trim();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return Interpreter + " cannot start: " + e.Message;
        }
    }

    private static (int Code, string Output) Python(string script, params string[] args)
    {
        var start = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
