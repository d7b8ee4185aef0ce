namespace Dsl.Runtime.Training;

/// <summary>Reads and writes training states; a save either completes or leaves the previous file untouched.</summary>
public interface ICheckpointStore
{
    void Save(TrainingState state, string path);
    TrainingState Load(string path);
}
