namespace Dsl.Runtime.Checkpoints;

/// <summary>
/// The plain values of a training checkpoint. <see cref="Epoch"/> is the number of finished epochs, i.e. the
/// epoch training resumes at, as the original script stores it; <see cref="RngState"/> is the CPU generator's state.
/// </summary>
public sealed record TrainingProgress(int Epoch, string Arch, double BestTop1, string? ScheduleName = null, byte[]? RngState = null);
