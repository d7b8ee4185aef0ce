using Dsl.Runtime.Checkpoints;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Dsl.Definitions;
using Dsl.Runtime;
using Dsl.Runtime.Parity;

namespace Dsl.Trainer.Commands;

/// <summary>
/// <c>check-reference FILE...</c>: builds the model each reference file names, fills its weights by the
/// deterministic rule, and compares state-dict keys and shapes and the eval-mode logits with the file.
/// </summary>
public static class CheckReferenceCommand
{
    /// <summary>The pass criterion of the reference files: ||y - ref|| / ||ref||.</summary>
    public const double Tolerance = 1e-4;

    public static Command Create(CliContext context)
    {
        var files = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "reference JSON files" };
        var command = new Command("check-reference", "Compare generated models with reference outputs of the original code");
        command.Arguments.Add(files);
        command.SetAction(result => Run(result.GetValue(files) ?? [], context.Output));
        return command;
    }

    /// <summary>Checks every file, prints one line each, and returns 0 only when all pass.</summary>
    public static int Run(IReadOnlyList<string> files, TextWriter output)
    {
        var failures = 0;
        foreach (var file in files)
        {
            ReferenceResult result;
            try
            {
                result = Check(file);
            }
            catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or System.Runtime.InteropServices.ExternalException or InvalidDataException)
            {
                result = new ReferenceResult(file, "?", double.NaN, [e.Message]);
            }
            if (!result.Passed) failures++;
            output.WriteLine(result.ToString());
        }
        return failures == 0 ? 0 : 1;
    }

    public static ReferenceResult Check(string file)
    {
        var reference = ReferenceFile.Read(file);
        using var model = BuiltInModels.Catalog.Get(reference.Model).Create();
        model.eval();
        var problems = new List<string>();

        var ours = PyTorchStateDict.Of(model);
        if (ours.Count != reference.StateDict.Count)
            problems.Add($"{ours.Count} state-dict entries, reference has {reference.StateDict.Count}");
        for (var i = 0; i < Math.Min(ours.Count, reference.StateDict.Count); i++)
        {
            var (key, shape) = reference.StateDict[i];
            var (ourKey, tensor) = (ours[i].Key, ours[i].Value);
            if (ourKey != key) problems.Add($"entry {i}: key '{ourKey}', reference '{key}'");
            else if (!tensor.shape.SequenceEqual(shape))
                problems.Add($"{key}: shape [{string.Join(", ", tensor.shape)}], reference [{string.Join(", ", shape)}]");
            if (problems.Count >= 5) break;
        }

        ReferenceFill.Fill(model);
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var logits = model.call(ReferenceFill.Input(reference.InputShape)).to(float64).data<double>().ToArray();
        var expected = reference.Logits;
        double error;
        if (logits.Length != expected.Length)
        {
            problems.Add($"{logits.Length} logits, reference has {expected.Length}");
            error = double.NaN;
        }
        else
        {
            double difference = 0, norm = 0;
            for (var i = 0; i < logits.Length; i++)
            {
                difference += (logits[i] - expected[i]) * (logits[i] - expected[i]);
                norm += expected[i] * expected[i];
            }
            error = Math.Sqrt(difference / norm);
            if (!(error <= Tolerance)) problems.Add($"relative error {error:E2} exceeds {Tolerance:E0}");
        }
        return new ReferenceResult(file, reference.Model, error, problems);
    }
}

public sealed record ReferenceResult(string File, string Model, double RelativeError, IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{(Passed ? "PASS" : "FAIL")}  {Model,-24} rel. error {RelativeError:E2}  {Path.GetFileName(File)}")
        + (Passed ? "" : Environment.NewLine + string.Join(Environment.NewLine, Problems.Select(p => "      " + p)));
}

/// <summary>The fields of a reference file that the check uses.</summary>
public sealed record ReferenceFile(string Model, long[] InputShape, IReadOnlyList<(string Key, long[] Shape)> StateDict, double[] Logits)
{
    public static ReferenceFile Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        try
        {
            var model = root.GetProperty("model").GetString() ?? throw new InvalidDataException("'model' is null");
            var input = root.GetProperty("input").GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var entries = root.GetProperty("state_dict").EnumerateArray()
                .Select(e => (e[0].GetString()!, e[1].EnumerateArray().Select(d => d.GetInt64()).ToArray()))
                .ToList();
            var logits = root.GetProperty("logits_f64").EnumerateArray()
                .SelectMany(row => row.EnumerateArray().Select(v => v.GetDouble()))
                .ToArray();
            return new ReferenceFile(model, input, entries, logits);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: not a reference file ({e.Message})", e);
        }
    }
}
