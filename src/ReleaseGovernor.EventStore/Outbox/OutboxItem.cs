namespace ReleaseGovernor.EventStore.Outbox;

/// <summary>
/// A piece of work to do after commit. <see cref="DedupeKey"/>, when set, makes the item unique for ever
/// (e.g. one dispatch per repository, environment and sha). <see cref="Lane"/> says whose work it is, for fair claims;
/// an item without one waits in a lane of its own stream.
/// </summary>
public sealed record OutboxItem(string Kind, string StreamId, string PayloadJson, string? DedupeKey = null,
    string? CorrelationId = null, string? CausationId = null, DateTimeOffset? AvailableAt = null, OutboxLane? Lane = null);

/// <summary>An item a worker holds under a lease.</summary>
public sealed record ClaimedItem(long Id, string Kind, string StreamId, string PayloadJson, string? CorrelationId,
    string? CausationId, int Attempts, DateTimeOffset CreatedAt);
