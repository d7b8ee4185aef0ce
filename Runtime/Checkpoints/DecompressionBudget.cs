namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// Caps the bytes read out of one archive's records. torch.save stores its records uncompressed, so a real
/// checkpoint reads about its own size, and one compressed again by another tool (weights shrink by well under
/// 2x) reads a few times its size; deflate expands up to 1032x and zip records can share their data, so
/// without a cap a small file could make the reader allocate gigabytes before any check fails.
/// </summary>
internal sealed class DecompressionBudget(string filePath, long fileLength)
{
    /// <summary>The records of a file may hold this many times the file's own bytes...</summary>
    public const long Expansion = 16;

    /// <summary>...plus this much, for small files of highly compressible tensors (zeros, masks).</summary>
    public const long Allowance = 64L << 20;

    private long left = fileLength * Expansion + Allowance;

    /// <summary>Takes a record's bytes from the budget before they are allocated and read.</summary>
    public void Spend(string record, long bytes)
    {
        if (bytes > left)
            throw new CheckpointException(filePath,
                $"reading record '{record}' ({bytes} bytes) would take more than {Expansion}x the file's {fileLength} bytes plus {Allowance >> 20} MiB out of its records (a decompression bomb?)");
        left -= bytes;
    }
}
