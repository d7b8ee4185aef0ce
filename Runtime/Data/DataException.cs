namespace Dsl.Runtime.Data;

/// <summary>A data set that is missing, empty or malformed; the message says which file or folder and why.</summary>
public sealed class DataException(string message, Exception? inner = null) : Exception(message, inner);
