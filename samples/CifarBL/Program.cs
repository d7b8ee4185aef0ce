// Builds bLResNet-Cifar, which CifarBL.model.yaml defines and the generator turns into the class BLResNetCifar of
// this project's namespace at compile time; trains it a few steps on synthetic images, saves a PyTorch checkpoint
// and reads it back into a fresh model.
using Dsl.Runtime.Checkpoints;
using Dsl.Runtime.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace CifarBL;

public static class Program
{
    private const int Steps = 5;
    private const int BatchSize = 16;

    public static int Main(string[] args)
    {
        var checkpointPath = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "CifarBL.pt");
        var catalog = ModelCatalog.Of(typeof(Program).Assembly);
        Console.WriteLine($"models in this assembly: {string.Join(", ", catalog.All.Select(m => m.Name))}");
        Console.WriteLine($"{typeof(BLResNetCifar).FullName}: {BLResNetCifar.TrainableParameters:N0} parameters, " +
                          $"{BLResNetCifar.MultiplyAdds:N0} multiply-adds per {BLResNetCifar.InputChannels}x{BLResNetCifar.InputHeight}x{BLResNetCifar.InputWidth} image");

        manual_seed(0);
        using var model = new BLResNetCifar();
        using var sgd = optim.SGD(model.parameters(), 0.05, momentum: 0.9);
        // A fixed synthetic batch: the loss must fall as the model fits it.
        using var images = randn(BatchSize, BLResNetCifar.InputChannels, BLResNetCifar.InputHeight, BLResNetCifar.InputWidth);
        using var labels = randint(0, BLResNetCifar.Classes, [BatchSize]);
        model.train();
        for (var step = 1; step <= Steps; step++)
        {
            using var scope = NewDisposeScope();
            var loss = nn.functional.cross_entropy(model.call(images), labels);
            sgd.zero_grad();
            loss.backward();
            sgd.step();
            Console.WriteLine($"step {step}: loss {loss.item<float>():F4}");
        }

        Checkpoint.SaveStateDict(checkpointPath, model);
        using var reloaded = new BLResNetCifar();
        var report = Checkpoint.LoadInto(reloaded, checkpointPath);
        model.eval();
        reloaded.eval();
        using (var scope = NewDisposeScope())
        using (inference_mode())
        {
            var same = model.call(images).eq(reloaded.call(images)).all().item<bool>();
            Console.WriteLine($"saved {checkpointPath} ({new FileInfo(checkpointPath).Length:N0} bytes); " +
                              $"read back: {(report.IsExact ? "every key" : report.ToString())}, same logits: {same}");
            return report.IsExact && same ? 0 : 1;
        }
    }
}
