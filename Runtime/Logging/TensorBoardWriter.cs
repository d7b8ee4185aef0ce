using System.Net;

namespace Dsl.Runtime.Logging;

/// <summary>
/// Writes scalars to a TensorBoard event file (events.out.tfevents.&lt;time&gt;.&lt;host&gt;): TFRecords holding
/// tensorflow.Event messages, the first one carrying file_version "brain.Event:2".
/// </summary>
public sealed class TensorBoardWriter : IDisposable
{
    private readonly FileStream stream;

    public TensorBoardWriter(string folder)
    {
        Directory.CreateDirectory(folder);
        var now = DateTimeOffset.UtcNow;
        Path = System.IO.Path.Combine(folder, $"events.out.tfevents.{now.ToUnixTimeSeconds()}.{SafeHostName()}");
        // A resumed run may start within the same second as the previous file; never overwrite it.
        for (var n = 1; File.Exists(Path); n++)
            Path = System.IO.Path.Combine(folder, $"events.out.tfevents.{now.ToUnixTimeSeconds()}.{SafeHostName()}.{n}");
        stream = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        Write(new ProtoWriter().Double(1, WallTime()).String(3, "brain.Event:2"));
    }

    public string Path { get; }

    public void Scalar(string tag, double value, long step)
    {
        var entry = new ProtoWriter().String(1, tag).Float(2, (float)value);
        var summary = new ProtoWriter().Message(1, entry);
        Write(new ProtoWriter().Double(1, WallTime()).Int64(2, step).Message(5, summary));
    }

    public void Flush() => stream.Flush(flushToDisk: false);

    public void Dispose() => stream.Dispose();

    private void Write(ProtoWriter evt)
    {
        TfRecord.Write(stream, evt.ToArray());
        stream.Flush();
    }

    private static double WallTime() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    private static string SafeHostName()
    {
        var name = Dns.GetHostName();
        return string.IsNullOrEmpty(name) ? "localhost" : name;
    }
}
