namespace Dsl.Generator.Tests;

/// <summary>A test of the snapshot checks themselves, skipped with DSL_ACCEPT_SNAPSHOTS=1, under which no snapshot check can fail.</summary>
internal sealed class NotAcceptingSnapshotsFactAttribute : FactAttribute
{
    public NotAcceptingSnapshotsFactAttribute()
    {
        if (Snapshot.Accepting) Skip = "DSL_ACCEPT_SNAPSHOTS=1 accepts every difference, so the snapshot checks cannot fail";
    }
}
