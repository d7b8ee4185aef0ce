namespace Dsl.Runtime.Platform;

/// <summary>
/// Arguments for a TorchScript function's <c>invoke</c>, with every number held as a <see cref="Scalar"/> that lives
/// until this is disposed. TorchSharp wraps a double or long argument in a temporary Scalar and passes on only its
/// handle, so the collector may finalize it before libtorch reads it: a training run failed that way
/// ("Expected false to be true" from <c>Scalar::toLong</c>). Dispose it after the call returns.
/// </summary>
internal sealed class ScriptArguments : IDisposable
{
    private readonly List<Scalar> scalars = [];

    /// <summary>The arguments to pass on: tensors, tensor arrays, booleans and nulls as given, numbers as kept scalars.</summary>
    public object[] Values { get; }

    public ScriptArguments(params object?[] arguments) => Values = arguments.Select(Hold).ToArray()!;

    private object? Hold(object? argument) => argument switch
    {
        double value => Keep(value.ToScalar()),
        float value => Keep(value.ToScalar()),
        long value => Keep(value.ToScalar()),
        int value => Keep(((long)value).ToScalar()),
        _ => argument,
    };

    private Scalar Keep(Scalar scalar)
    {
        scalars.Add(scalar);
        return scalar;
    }

    public void Dispose()
    {
        foreach (var scalar in scalars) scalar.Dispose();
    }
}
