namespace Dsl.Runtime.Training;

/// <summary>The per-epoch learning-rate schedules of the original script.</summary>
public enum ScheduleKind
{
    Cosine,
    Step,
}
