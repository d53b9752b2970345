namespace ReleaseGovernor.EventStore.Outbox;

/// <summary>
/// A piece of work to do after commit. <see cref="DedupeKey"/>, when set, makes the item unique for ever
/// (e.g. one dispatch per repository, environment and sha). <see cref="Lane"/> says whose work it is, for fair claims;
/// an item without one waits in a lane of its own stream. The trace the item continues is the one current when it is
/// enqueued (see <see cref="OutboxStore.EnqueueAsync"/>).
/// </summary>
public sealed record OutboxItem(string Kind, string StreamId, string PayloadJson, string? DedupeKey = null,
    string? CorrelationId = null, string? CausationId = null, DateTimeOffset? AvailableAt = null, OutboxLane? Lane = null);

/// <summary>
/// An item a worker holds under a lease. <see cref="Repository"/> is its lane's repository, when it has one;
/// <see cref="TraceParent"/> the W3C traceparent of the span that enqueued it, when that was traced.
/// </summary>
public sealed record ClaimedItem(long Id, string Kind, string StreamId, string PayloadJson, string? CorrelationId,
    string? CausationId, int Attempts, DateTimeOffset CreatedAt, string? Repository = null, string? TraceParent = null);

/// <summary>Pending items, and how long the oldest due one has waited (zero when none is due).</summary>
public sealed record OutboxBacklog(long Pending, TimeSpan OldestDueAge);
