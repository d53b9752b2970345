namespace ReleaseGovernor.EventStore.Store;

/// <summary>
/// Another writer moved the stream since the caller read it. Reload the stream and decide again.
/// </summary>
public sealed class StreamConcurrencyException(string streamId, long? expectedVersion, long? actualVersion, Exception? inner = null)
    : Exception($"Stream '{streamId}' is at version {actualVersion?.ToString() ?? "unknown"}, not the expected {expectedVersion?.ToString() ?? "one read"}: " +
                "another writer appended first. Reload the stream and retry.", inner)
{
    public string StreamId { get; } = streamId;
    public long? ExpectedVersion { get; } = expectedVersion;
    public long? ActualVersion { get; } = actualVersion;
}
