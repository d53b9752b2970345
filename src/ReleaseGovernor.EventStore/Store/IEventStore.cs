using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.EventStore.Store;

/// <summary>An append to one stream, as part of a larger unit of work.</summary>
public sealed record StreamAppend(string StreamId, long? ExpectedVersion, IReadOnlyList<ReleaseEvent> Events);

/// <summary>The event log: append with optimistic concurrency, dedupe deliveries, read streams and the whole log.</summary>
public interface IEventStore
{
    /// <summary>Opens a unit of work (one transaction). Commit it, or dispose it to roll back.</summary>
    Task<EventSession> OpenSessionAsync(CancellationToken ct = default);

    /// <summary>Appends in its own transaction. See <see cref="EventSession.AppendAsync"/>.</summary>
    Task<IReadOnlyList<StoredEvent>> AppendAsync(string streamId, long? expectedVersion, IReadOnlyList<ReleaseEvent> events,
        EventMetadata metadata, CancellationToken ct = default);

    /// <summary>
    /// Records the delivery id and appends, in ONE transaction. Null when the delivery id was seen
    /// before: nothing is appended.
    /// </summary>
    Task<IReadOnlyList<StoredEvent>?> AppendForDeliveryAsync(string deliveryId, string gitHubEvent, string? repository,
        IReadOnlyList<StreamAppend> appends, EventMetadata metadata, CancellationToken ct = default);

    Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, CancellationToken ct = default);

    /// <summary>
    /// The events of a stream whose stored type name is one of <paramref name="types"/> and, when
    /// <paramref name="dataField"/> is given, whose stored data has that top-level field equal to <paramref name="dataValue"/>
    /// (as text), in stream order. Only the matching rows leave the database.
    /// </summary>
    Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, IReadOnlyList<string> types, string? dataField = null,
        string? dataValue = null, CancellationToken ct = default);

    /// <summary>One event by its global sequence number, or null.</summary>
    Task<StoredEvent?> ReadEventAsync(long sequence, CancellationToken ct = default);

    /// <summary>One event by its id, or null.</summary>
    Task<StoredEvent?> ReadEventAsync(Guid id, CancellationToken ct = default);

    /// <summary>Events with a sequence number above <paramref name="afterSequence"/>, in sequence order.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadAllAsync(long afterSequence, int limit, CancellationToken ct = default);

    /// <summary>The projected release state of a release stream, or null when the stream has no events.</summary>
    Task<ReleaseState?> LoadReleaseStateAsync(string releaseStreamId, CancellationToken ct = default);

    /// <summary>What a release stream recorded about one sha (dispatches, verification), or null.</summary>
    Task<ShaRecord?> LoadShaAsync(string releaseStreamId, string sha, CancellationToken ct = default);

    /// <summary>The GitHub App installation id most recently seen on a stream's deliveries, or null.</summary>
    Task<long?> FindInstallationIdAsync(string streamId, CancellationToken ct = default);

    /// <summary>Release stream ids whose projected state has a deploy in flight.</summary>
    Task<IReadOnlyList<string>> ListStreamsWithDeployInFlightAsync(CancellationToken ct = default);

    /// <summary>Release stream ids that have a projected state, sorted.</summary>
    Task<IReadOnlyList<string>> ListReleaseStreamsAsync(CancellationToken ct = default);
}
