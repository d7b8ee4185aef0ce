namespace Dsl.Runtime.Training;

/// <summary>Top-k hit counts of a batch of logits.</summary>
public static class Accuracy
{
    /// <summary>How many labels are the top-scoring class, and how many are among the top five (or all classes if fewer).</summary>
    public static (int Top1, int Top5) Count(Tensor logits, IReadOnlyList<long> labels)
    {
        // TorchSharp cannot read back an empty tensor.
        if (labels.Count == 0) return (0, 0);
        using var scope = NewDisposeScope();
        var k = (int)Math.Min(5, logits.shape[1]);
        var (_, indices) = logits.detach().topk(k, dim: 1);
        var best = indices.cpu().data<long>().ToArray();
        int top1 = 0, top5 = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            if (best[i * k] == labels[i]) top1++;
            for (var j = 0; j < k; j++)
                if (best[i * k + j] == labels[i]) { top5++; break; }
        }
        return (top1, top5);
    }
}
