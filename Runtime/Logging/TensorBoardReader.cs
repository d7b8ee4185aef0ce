namespace Dsl.Runtime.Logging;

/// <summary>One decoded tensorflow.Event: a file version or a list of scalar values.</summary>
public sealed record TensorBoardEvent(double WallTime, long Step, string? FileVersion, IReadOnlyList<(string Tag, float Value)> Scalars);

/// <summary>Reads event files back, checking every record's CRCs.</summary>
public static class TensorBoardReader
{
    public static IReadOnlyList<TensorBoardEvent> Read(string path)
    {
        using var stream = File.OpenRead(path);
        return TfRecord.ReadAll(stream, path).Select(Decode).ToList();
    }

    private static TensorBoardEvent Decode(byte[] record)
    {
        double wallTime = 0;
        long step = 0;
        string? version = null;
        var scalars = new List<(string, float)>();
        var reader = new ProtoReader(record);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1 when reader.WireType == 1: wallTime = reader.Double(); break;
                case 2 when reader.WireType == 0: step = (long)reader.Varint(); break;
                case 3 when reader.WireType == 2: version = reader.String(); break;
                case 5 when reader.WireType == 2: ReadSummary(reader.Bytes(), scalars); break;
                default: reader.Skip(); break;
            }
        }
        return new TensorBoardEvent(wallTime, step, version, scalars);
    }

    private static void ReadSummary(ReadOnlySpan<byte> summary, List<(string, float)> into)
    {
        var reader = new ProtoReader(summary);
        while (reader.Next())
        {
            if (reader.Field != 1 || reader.WireType != 2) { reader.Skip(); continue; }
            var value = new ProtoReader(reader.Bytes());
            string tag = "";
            float number = float.NaN;
            while (value.Next())
            {
                if (value.Field == 1 && value.WireType == 2) tag = value.String();
                else if (value.Field == 2 && value.WireType == 5) number = value.Float();
                else value.Skip();
            }
            into.Add((tag, number));
        }
    }
}
