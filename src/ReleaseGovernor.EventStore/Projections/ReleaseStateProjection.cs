using System.Text.Json;
using Npgsql;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.EventStore.Projections;

/// <summary>
/// Inline projection of every release stream into one <c>rg_release_state</c> row (a jsonb document).
/// The append holds the stream's row lock, so updates of one document are serialised.
/// </summary>
public sealed class ReleaseStateProjection(string table = ReleaseStateProjection.Table) : IInlineProjection
{
    public const string Table = "rg_release_state";

    public async Task ApplyAsync(IReadOnlyList<StoredEvent> appended, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        foreach (var group in appended.Where(e => StreamIds.IsRelease(e.StreamId)).GroupBy(e => e.StreamId))
        {
            var state = await LoadAsync(group.Key, connection, tx, ct) ?? ReleaseState.Initial;
            foreach (var e in group)
                state = ReleaseProjection.Apply(state, e.Data) with { Version = e.Version };
            await SaveAsync(table, group.Key, state, connection, tx, ct);
        }
    }

    private async Task<ReleaseState?> LoadAsync(string streamId, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT data::text FROM {table} WHERE stream_id = @id", connection, tx);
        cmd.Parameters.AddWithValue("id", streamId);
        return await cmd.ExecuteScalarAsync(ct) is string json
            ? JsonSerializer.Deserialize<ReleaseState>(json, EventJson.Options)
            : null;
    }

    internal static async Task SaveAsync(string table, string streamId, ReleaseState state, NpgsqlConnection connection,
        NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            INSERT INTO {table} (stream_id, data, version, updated_at) VALUES (@id, @data::jsonb, @version, now())
            ON CONFLICT (stream_id) DO UPDATE SET data = excluded.data, version = excluded.version, updated_at = now()
            """, connection, tx);
        cmd.Parameters.AddWithValue("id", streamId);
        cmd.Parameters.AddWithValue("data", JsonSerializer.Serialize(state, EventJson.Options));
        cmd.Parameters.AddWithValue("version", state.Version);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
