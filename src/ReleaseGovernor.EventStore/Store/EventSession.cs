using Npgsql;
using NpgsqlTypes;
using ReleaseGovernor.Core.Events;

namespace ReleaseGovernor.EventStore.Store;

/// <summary>
/// One unit of work: one connection, one transaction. Delivery dedupe, appends, inline projections and
/// anything else written through <see cref="Connection"/>/<see cref="Transaction"/> commit together or not at all.
/// </summary>
public sealed class EventSession : IAsyncDisposable
{
    private readonly IReadOnlyList<IInlineProjection> _projections;
    private readonly List<StoredEvent> _appended = [];

    internal EventSession(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<IInlineProjection> projections)
    {
        Connection = connection;
        Transaction = transaction;
        _projections = projections;
    }

    public NpgsqlConnection Connection { get; }
    public NpgsqlTransaction Transaction { get; }

    /// <summary>Everything appended in this session so far.</summary>
    public IReadOnlyList<StoredEvent> Appended => _appended;

    /// <summary>
    /// Records a delivery id. False when it was already recorded (by a committed transaction, or by a
    /// concurrent one that then commits): the caller stores nothing else and answers "duplicate".
    /// </summary>
    public async Task<bool> TryRecordDeliveryAsync(string deliveryId, string gitHubEvent, string? repository, CancellationToken ct = default)
    {
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO rg_deliveries (delivery_id, github_event, repository) VALUES (@id, @event, @repo) ON CONFLICT (delivery_id) DO NOTHING",
            Connection, Transaction);
        cmd.Parameters.AddWithValue("id", deliveryId);
        cmd.Parameters.AddWithValue("event", gitHubEvent);
        cmd.Parameters.AddWithValue("repo", (object?)repository ?? DBNull.Value);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// Appends events to a stream, creating it when missing. <paramref name="expectedVersion"/> is the
    /// version the caller read (0 for a new stream); null appends at whatever the version is.
    /// A stale expected version throws <see cref="StreamConcurrencyException"/>.
    /// </summary>
    public async Task<IReadOnlyList<StoredEvent>> AppendAsync(
        string streamId, long? expectedVersion, IReadOnlyList<ReleaseEvent> events, EventMetadata metadata, CancellationToken ct = default)
    {
        if (events.Count == 0) return [];
        var ids = events.Select(_ => Guid.CreateVersion7()).ToArray();
        var types = events.Select(EventTypes.NameOf).ToArray();
        var bodies = events.Select(EventJson.Serialize).ToArray();
        var times = events.Select(e => e.At.ToUniversalTime()).ToArray();
        var headers = EventRows.HeadersJson(metadata);

        await using var batch = new NpgsqlBatch(Connection, Transaction);
        var ensure = new NpgsqlBatchCommand(
            "INSERT INTO mt_streams (id, type, version) VALUES (@id, @type, 0) ON CONFLICT (id) DO NOTHING");
        ensure.Parameters.AddWithValue("id", streamId);
        ensure.Parameters.AddWithValue("type", StreamType(streamId));
        batch.BatchCommands.Add(ensure);

        var append = new NpgsqlBatchCommand("""
            WITH s AS (
                UPDATE mt_streams SET version = version + @n, timestamp = now()
                WHERE id = @id AND (@expected::bigint IS NULL OR version = @expected::bigint)
                RETURNING version - @n AS base)
            INSERT INTO mt_events (id, stream_id, version, data, type, timestamp, correlation_id, causation_id, headers)
            SELECT e.id, @id, s.base + e.ord, e.data, e.type, e.ts, @correlation, @causation, @headers::jsonb
            FROM s, unnest(@ids, @bodies::jsonb[], @types, @times) WITH ORDINALITY AS e(id, data, type, ts, ord)
            ORDER BY e.ord
            RETURNING seq_id, version, timestamp
            """);
        append.Parameters.AddWithValue("n", (long)events.Count);
        append.Parameters.AddWithValue("id", streamId);
        append.Parameters.Add(new NpgsqlParameter("expected", NpgsqlDbType.Bigint) { Value = (object?)expectedVersion ?? DBNull.Value });
        append.Parameters.AddWithValue("correlation", metadata.CorrelationId);
        append.Parameters.AddWithValue("causation", (object?)metadata.CausationId ?? DBNull.Value);
        append.Parameters.AddWithValue("headers", headers);
        append.Parameters.AddWithValue("ids", ids);
        append.Parameters.AddWithValue("bodies", bodies);
        append.Parameters.AddWithValue("types", types);
        append.Parameters.AddWithValue("times", times);
        batch.BatchCommands.Add(append);

        var stored = new List<StoredEvent>(events.Count);
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(ct);
            var i = 0;
            while (await reader.ReadAsync(ct))
            {
                stored.Add(new StoredEvent(reader.GetInt64(0), ids[i], streamId, reader.GetInt64(1), types[i], events[i], metadata,
                    reader.GetFieldValue<DateTimeOffset>(2)));
                i++;
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation &&
                                          e.ConstraintName == "pk_mt_events_stream_and_version")
        {
            throw new StreamConcurrencyException(streamId, expectedVersion, null);
        }

        if (stored.Count == 0)
            throw new StreamConcurrencyException(streamId, expectedVersion, await CurrentVersionAsync(streamId, ct));

        foreach (var projection in _projections)
            await projection.ApplyAsync(stored, Connection, Transaction, ct);
        _appended.AddRange(stored);
        return stored;
    }

    public async Task CommitAsync(CancellationToken ct = default) => await Transaction.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }

    private async Task<long?> CurrentVersionAsync(string streamId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT version FROM mt_streams WHERE id = @id", Connection, Transaction);
        cmd.Parameters.AddWithValue("id", streamId);
        return await cmd.ExecuteScalarAsync(ct) is long v ? v : null;
    }

    private static string StreamType(string streamId) => streamId[..Math.Max(0, streamId.IndexOf('/'))];
}
