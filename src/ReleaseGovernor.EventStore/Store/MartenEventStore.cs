using JasperFx.Events;
using Marten;
using Npgsql;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Projections;

namespace ReleaseGovernor.EventStore.Store;

/// <summary>The event log on Marten: sessions that append with optimistic concurrency, dedupe deliveries, and reads.</summary>
public sealed class MartenEventStore(NpgsqlDataSource dataSource) : IEventStore
{
    private readonly DocumentStore _store = GovernorStore.For(dataSource);

    public NpgsqlDataSource DataSource => dataSource;

    public IDocumentStore Documents => _store;

    public Task<EventSession> OpenSessionAsync(CancellationToken ct = default) => EventSession.OpenAsync(_store, dataSource, ct);

    /// <remarks>Without an expected version, an append that lost the race to create the stream is simply made again.</remarks>
    public async Task<IReadOnlyList<StoredEvent>> AppendAsync(string streamId, long? expectedVersion,
        IReadOnlyList<ReleaseEvent> events, EventMetadata metadata, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var session = await OpenSessionAsync(ct);
                await session.AppendAsync(streamId, expectedVersion, events, metadata, ct);
                await session.CommitAsync(ct);
                return session.Appended;
            }
            catch (StreamConcurrencyException) when (expectedVersion is null && attempt < 5)
            {
            }
        }
    }

    public async Task<IReadOnlyList<StoredEvent>?> AppendForDeliveryAsync(string deliveryId, string gitHubEvent, string? repository,
        IReadOnlyList<StreamAppend> appends, EventMetadata metadata, CancellationToken ct = default)
    {
        await using var session = await OpenSessionAsync(ct);
        if (!await session.TryRecordDeliveryAsync(deliveryId, gitHubEvent, repository, ct))
            return null;
        foreach (var append in appends)
            await session.AppendAsync(append.StreamId, append.ExpectedVersion, append.Events, metadata, ct);
        await session.CommitAsync(ct);
        return session.Appended;
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, CancellationToken ct = default)
    {
        await using var session = _store.QuerySession();
        return [.. (await session.Events.FetchStreamAsync(streamId, token: ct)).Select(EventHeaders.ToStored)];
    }

    /// <remarks>
    /// Marten's event LINQ filters on stream, type and sequence but not on a field of the stored data for several event
    /// types at once, so this one read selects the rows itself (a read: Marten still writes every row).
    /// </remarks>
    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, IReadOnlyList<string> types, string? dataField = null,
        string? dataValue = null, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT {EventRows.SelectColumns} FROM mt_events WHERE stream_id = @id AND type = ANY(@types)"
            + (dataField is null ? "" : " AND data->>@field = @value") + " ORDER BY version");
        cmd.Parameters.AddWithValue("id", streamId);
        cmd.Parameters.AddWithValue("types", types.ToArray());
        if (dataField is not null)
        {
            cmd.Parameters.AddWithValue("field", dataField);
            cmd.Parameters.AddWithValue("value", (object?)dataValue ?? DBNull.Value);
        }
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var events = new List<StoredEvent>();
        while (await reader.ReadAsync(ct)) events.Add(EventRows.Read(reader));
        return events;
    }

    public async Task<StoredEvent?> ReadEventAsync(long sequence, CancellationToken ct = default)
    {
        await using var session = _store.QuerySession();
        var e = await session.Events.QueryAllRawEvents().Where(x => x.Sequence == sequence).SingleOrDefaultAsync(ct);
        return e is null || e.Data is not ReleaseEvent ? null : EventHeaders.ToStored(e);
    }

    public async Task<StoredEvent?> ReadEventAsync(Guid id, CancellationToken ct = default)
    {
        await using var session = _store.QuerySession();
        var e = await session.Events.LoadAsync(id, ct);
        return e is null || e.Data is not ReleaseEvent ? null : EventHeaders.ToStored(e);
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadAllAsync(long afterSequence, int limit, CancellationToken ct = default)
    {
        await using var session = _store.QuerySession();
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.Sequence > afterSequence && e.StreamKey != Tombstone)
            .OrderBy(e => e.Sequence).Take(limit).ToListAsync(ct);
        return [.. events.Where(e => e.Data is ReleaseEvent).Select(EventHeaders.ToStored)];
    }

    public async Task<ReleaseState?> LoadReleaseStateAsync(string releaseStreamId, CancellationToken ct = default)
    {
        await using var session = _store.QuerySession();
        var state = await SnapshotReader.CurrentAsync(session, releaseStreamId, ct);
        return state.Version == 0 ? null : state;
    }

    public async Task<ShaRecord?> LoadShaAsync(string releaseStreamId, string sha, CancellationToken ct = default)
    {
        await using var session = _store.QuerySession();
        return await session.LoadAsync<ShaRecord>(ShaRecord.IdOf(releaseStreamId, sha), ct);
    }

    /// <remarks>
    /// Ordered by the stream's version so PostgreSQL walks the stream's own index backwards: ordered by the global
    /// sequence, a stream whose events carry no installation id (token mode) made it scan the whole log.
    /// </remarks>
    public async Task<long?> FindInstallationIdAsync(string streamId, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand($"""
            SELECT (headers->>'{EventHeaders.InstallationId}')::bigint FROM mt_events
            WHERE stream_id = @id AND headers->>'{EventHeaders.InstallationId}' IS NOT NULL ORDER BY version DESC LIMIT 1
            """);
        cmd.Parameters.AddWithValue("id", streamId);
        return await cmd.ExecuteScalarAsync(ct) is long id ? id : null;
    }

    public async Task<IReadOnlyList<string>> ListStreamsWithDeployInFlightAsync(CancellationToken ct = default)
    {
        await using var session = _store.QuerySession();
        return [.. (await session.Query<ReleaseSnapshot>().Where(s => s.State.InFlight != null).Select(s => s.Id).ToListAsync(ct)).Order(StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<string>> ListReleaseStreamsAsync(CancellationToken ct = default)
    {
        await using var session = _store.QuerySession();
        return [.. (await session.Query<ReleaseSnapshot>().Select(s => s.Id).ToListAsync(ct)).Order(StringComparer.Ordinal)];
    }

    /// <summary>The stream Marten writes placeholder rows to after a failed save; it holds none of our events.</summary>
    internal const string Tombstone = "mt_tombstone";
}
