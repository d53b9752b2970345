namespace ReleaseGovernor.EventStore.Outbox;

/// <summary>
/// A piece of work to do after commit. <see cref="DedupeKey"/>, when set, makes the item unique for ever
/// (e.g. one dispatch per repository, environment and sha).
/// </summary>
public sealed record OutboxItem(string Kind, string StreamId, string PayloadJson, string? DedupeKey = null,
    string? CorrelationId = null, string? CausationId = null, DateTimeOffset? AvailableAt = null);

/// <summary>An item a worker holds under a lease.</summary>
public sealed record ClaimedItem(long Id, string Kind, string StreamId, string PayloadJson, string? CorrelationId,
    string? CausationId, int Attempts, DateTimeOffset CreatedAt);
