using Npgsql;
using NpgsqlTypes;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.EventStore.Outbox;

/// <summary>The outbox table: enqueue inside a session, claim with SKIP LOCKED and a lease, complete or retry later.</summary>
public sealed class OutboxStore(NpgsqlDataSource dataSource)
{
    /// <summary>Enqueues in the session's transaction. False when an item with the same dedupe key exists already.</summary>
    public static async Task<bool> EnqueueAsync(EventSession session, OutboxItem item, CancellationToken ct = default)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO rg_outbox (kind, stream_id, dedupe_key, payload, correlation_id, causation_id, available_at)
            VALUES (@kind, @stream, @dedupe, @payload::jsonb, @correlation, @causation, coalesce(@available, now()))
            ON CONFLICT (dedupe_key) DO NOTHING
            """, session.Connection, session.Transaction);
        cmd.Parameters.AddWithValue("kind", item.Kind);
        cmd.Parameters.AddWithValue("stream", item.StreamId);
        cmd.Parameters.AddWithValue("dedupe", (object?)item.DedupeKey ?? DBNull.Value);
        cmd.Parameters.AddWithValue("payload", item.PayloadJson);
        cmd.Parameters.AddWithValue("correlation", (object?)item.CorrelationId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("causation", (object?)item.CausationId ?? DBNull.Value);
        cmd.Parameters.Add(new NpgsqlParameter("available", NpgsqlDbType.TimestampTz) { Value = (object?)item.AvailableAt?.ToUniversalTime() ?? DBNull.Value });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// True when an item of <paramref name="kind"/> for the stream and sha is waiting and not yet claimed: a new one
    /// would do the same work, so callers coalesce on it (one pending evaluation per stream and sha).
    /// </summary>
    public static async Task<bool> HasUnclaimedAsync(EventSession session, string kind, string streamId, string sha, CancellationToken ct = default)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT EXISTS (SELECT 1 FROM rg_outbox WHERE kind = @kind AND stream_id = @stream AND payload->>'sha' = @sha
                           AND completed_at IS NULL AND lease_owner IS NULL)
            """, session.Connection, session.Transaction);
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.AddWithValue("stream", streamId);
        cmd.Parameters.AddWithValue("sha", sha);
        return await cmd.ExecuteScalarAsync(ct) is true;
    }

    /// <summary>Claims up to <paramref name="max"/> due items not leased by anyone (or whose lease expired).</summary>
    public async Task<IReadOnlyList<ClaimedItem>> ClaimAsync(string owner, int max, TimeSpan lease, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("""
            UPDATE rg_outbox o SET lease_owner = @owner, lease_until = now() + @lease, attempts = o.attempts + 1
            WHERE o.id IN (
                SELECT id FROM rg_outbox
                WHERE completed_at IS NULL AND available_at <= now() AND (lease_until IS NULL OR lease_until < now())
                ORDER BY id LIMIT @max FOR UPDATE SKIP LOCKED)
            RETURNING o.id, o.kind, o.stream_id, o.payload::text, o.correlation_id, o.causation_id, o.attempts, o.created_at
            """);
        cmd.Parameters.AddWithValue("owner", owner);
        cmd.Parameters.AddWithValue("lease", lease);
        cmd.Parameters.AddWithValue("max", max);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var items = new List<ClaimedItem>();
        while (await reader.ReadAsync(ct)) items.Add(ReadItem(reader));
        return items.OrderBy(i => i.Id).ToList();
    }

    private static ClaimedItem ReadItem(NpgsqlDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.GetInt32(6), reader.GetFieldValue<DateTimeOffset>(7));

    /// <summary>Claims the one pending item with this dedupe key, if it is due and nobody holds it.</summary>
    public async Task<ClaimedItem?> ClaimByKeyAsync(string dedupeKey, string owner, TimeSpan lease, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("""
            UPDATE rg_outbox o SET lease_owner = @owner, lease_until = now() + @lease, attempts = o.attempts + 1
            WHERE o.id = (
                SELECT id FROM rg_outbox
                WHERE dedupe_key = @key AND completed_at IS NULL AND (lease_until IS NULL OR lease_until < now())
                FOR UPDATE SKIP LOCKED)
            RETURNING o.id, o.kind, o.stream_id, o.payload::text, o.correlation_id, o.causation_id, o.attempts, o.created_at
            """);
        cmd.Parameters.AddWithValue("owner", owner);
        cmd.Parameters.AddWithValue("lease", lease);
        cmd.Parameters.AddWithValue("key", dedupeKey);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadItem(reader) : null;
    }

    /// <summary>Marks the item done inside the session that stored its results. False when the lease was lost.</summary>
    public static async Task<bool> CompleteAsync(EventSession session, ClaimedItem item, string owner, CancellationToken ct = default)
    {
        await using var cmd = new NpgsqlCommand(
            "UPDATE rg_outbox SET completed_at = now(), lease_owner = NULL, lease_until = NULL, last_error = NULL WHERE id = @id AND lease_owner = @owner AND completed_at IS NULL",
            session.Connection, session.Transaction);
        cmd.Parameters.AddWithValue("id", item.Id);
        cmd.Parameters.AddWithValue("owner", owner);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Releases the item to be tried again after <paramref name="delay"/>, recording why.</summary>
    public async Task RetryLaterAsync(ClaimedItem item, string owner, TimeSpan delay, string error, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "UPDATE rg_outbox SET lease_owner = NULL, lease_until = NULL, available_at = now() + @delay, last_error = @error WHERE id = @id AND lease_owner = @owner");
        cmd.Parameters.AddWithValue("id", item.Id);
        cmd.Parameters.AddWithValue("owner", owner);
        cmd.Parameters.AddWithValue("delay", delay);
        cmd.Parameters.AddWithValue("error", error.Length > 2000 ? error[..2000] : error);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Expired leases (a worker died holding them) become claimable at once. Returns how many.</summary>
    public async Task<int> ReclaimExpiredLeasesAsync(CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "UPDATE rg_outbox SET lease_owner = NULL, lease_until = NULL WHERE completed_at IS NULL AND lease_until < now()");
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Deletes items completed longer ago than <paramref name="olderThan"/>; their results live in the event log.</summary>
    public async Task<int> PruneCompletedAsync(TimeSpan olderThan, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("DELETE FROM rg_outbox WHERE completed_at < now() - @age");
        cmd.Parameters.AddWithValue("age", olderThan);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<long> PendingCountAsync(CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT count(*) FROM rg_outbox WHERE completed_at IS NULL");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
