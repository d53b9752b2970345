using System.Text.Json;
using Npgsql;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Projections;

namespace ReleaseGovernor.EventStore.Store;

public sealed class PostgresEventStore(NpgsqlDataSource dataSource, IReadOnlyList<IInlineProjection>? projections = null) : IEventStore
{
    private readonly IReadOnlyList<IInlineProjection> _projections = projections ?? [new ReleaseStateProjection()];

    public NpgsqlDataSource DataSource => dataSource;

    public async Task<EventSession> OpenSessionAsync(CancellationToken ct = default)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            var tx = await connection.BeginTransactionAsync(ct);
            return new EventSession(connection, tx, _projections);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<IReadOnlyList<StoredEvent>> AppendAsync(string streamId, long? expectedVersion,
        IReadOnlyList<ReleaseEvent> events, EventMetadata metadata, CancellationToken ct = default)
    {
        await using var session = await OpenSessionAsync(ct);
        var stored = await session.AppendAsync(streamId, expectedVersion, events, metadata, ct);
        await session.CommitAsync(ct);
        return stored;
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
        await using var cmd = dataSource.CreateCommand(
            $"SELECT {EventRows.SelectColumns} FROM mt_events WHERE stream_id = @id ORDER BY version");
        cmd.Parameters.AddWithValue("id", streamId);
        return await ReadEvents(cmd, ct);
    }

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
        return await ReadEvents(cmd, ct);
    }

    public async Task<StoredEvent?> ReadEventAsync(long sequence, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {EventRows.SelectColumns} FROM mt_events WHERE seq_id = @seq");
        cmd.Parameters.AddWithValue("seq", sequence);
        return (await ReadEvents(cmd, ct)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadAllAsync(long afterSequence, int limit, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT {EventRows.SelectColumns} FROM mt_events WHERE seq_id > @after ORDER BY seq_id LIMIT @limit");
        cmd.Parameters.AddWithValue("after", afterSequence);
        cmd.Parameters.AddWithValue("limit", limit);
        return await ReadEvents(cmd, ct);
    }

    public async Task<ReleaseState?> LoadReleaseStateAsync(string releaseStreamId, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT data::text FROM rg_release_state WHERE stream_id = @id");
        cmd.Parameters.AddWithValue("id", releaseStreamId);
        return await cmd.ExecuteScalarAsync(ct) is string json
            ? JsonSerializer.Deserialize<ReleaseState>(json, EventJson.Options)
            : null;
    }

    public async Task<long?> FindInstallationIdAsync(string streamId, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT (headers->>'installation_id')::bigint FROM mt_events
            WHERE stream_id = @id AND headers->>'installation_id' IS NOT NULL ORDER BY seq_id DESC LIMIT 1
            """);
        cmd.Parameters.AddWithValue("id", streamId);
        return await cmd.ExecuteScalarAsync(ct) is long id ? id : null;
    }

    public Task<IReadOnlyList<string>> ListStreamsWithDeployInFlightAsync(CancellationToken ct = default) =>
        StreamIdsAsync("SELECT stream_id FROM rg_release_state WHERE jsonb_typeof(data->'in_flight') = 'object' ORDER BY stream_id", ct);

    public Task<IReadOnlyList<string>> ListReleaseStreamsAsync(CancellationToken ct = default) =>
        StreamIdsAsync("SELECT stream_id FROM rg_release_state ORDER BY stream_id", ct);

    private async Task<IReadOnlyList<string>> StreamIdsAsync(string sql, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var ids = new List<string>();
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
        return ids;
    }

    private static async Task<IReadOnlyList<StoredEvent>> ReadEvents(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var events = new List<StoredEvent>();
        while (await reader.ReadAsync(ct)) events.Add(EventRows.Read(reader));
        return events;
    }
}
