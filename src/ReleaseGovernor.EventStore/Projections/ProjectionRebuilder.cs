using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.EventStore.Projections;

public sealed record RebuildResult(long EventsReplayed, int ReleaseStreams, long HighestSequence, TimeSpan Elapsed)
{
    public double EventsPerSecond => Elapsed.TotalSeconds > 0 ? EventsReplayed / Elapsed.TotalSeconds : EventsReplayed;
}

/// <summary>
/// Rebuilds the projections from the event log: replays every event in sequence order into a fresh
/// table while appends go on, then, holding a lock that only pauses appenders, replays the tail
/// (events after the last one read, and any that filled a sequence gap) and swaps the tables.
/// Nothing appended concurrently is lost; the deliveries table is only ever added to.
/// </summary>
public sealed class ProjectionRebuilder(NpgsqlDataSource dataSource)
{
    private const string Fresh = "rg_release_state_rebuild";
    private const int BatchSize = 5_000;

    public async Task<RebuildResult> RebuildAsync(IProgress<long>? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var states = new Dictionary<string, ReleaseState>(StringComparer.Ordinal);
        var gaps = new List<long>();
        long last = 0, replayed = 0;

        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            await Exec(connection, null, $"""
                DROP TABLE IF EXISTS {Fresh};
                CREATE TABLE {Fresh} (
                    stream_id  varchar NOT NULL CONSTRAINT {Fresh}_pkey PRIMARY KEY,
                    data       jsonb NOT NULL,
                    version    bigint NOT NULL,
                    updated_at timestamptz NOT NULL DEFAULT now())
                """, ct);
            while (true)
            {
                var read = await ReplayAsync(connection, null, "seq_id > @after ORDER BY seq_id LIMIT @limit",
                    p => { p.AddWithValue("after", last); p.AddWithValue("limit", BatchSize); }, states, gaps, last, ct);
                if (read.Count == 0) break;
                last = read.Last;
                replayed += read.Count;
                progress?.Report(replayed);
            }
        }

        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            // Pauses appenders (they wait, nothing is refused) and waits for in-flight appends to commit.
            await Exec(connection, tx, "LOCK TABLE mt_events IN SHARE MODE", ct);
            var tail = await ReplayAsync(connection, tx, "seq_id > @after OR seq_id = ANY(@gaps) ORDER BY seq_id",
                p => { p.AddWithValue("after", last); p.AddWithValue("gaps", gaps.ToArray()); }, states, null, last, ct);
            replayed += tail.Count;
            last = Math.Max(last, tail.Last);

            foreach (var (streamId, state) in states)
                await ReleaseStateProjection.SaveAsync(Fresh, streamId, state, connection, tx, ct);

            await Exec(connection, tx, $"""
                DROP TABLE {ReleaseStateProjection.Table};
                ALTER TABLE {Fresh} RENAME TO {ReleaseStateProjection.Table};
                ALTER TABLE {ReleaseStateProjection.Table} RENAME CONSTRAINT {Fresh}_pkey TO {ReleaseStateProjection.Table}_pkey;
                INSERT INTO rg_deliveries (delivery_id, github_event, received_at)
                    SELECT DISTINCT ON (headers->>'delivery_id') headers->>'delivery_id', coalesce(headers->>'github_event', 'unknown'), timestamp
                    FROM mt_events WHERE headers->>'delivery_id' IS NOT NULL
                    ORDER BY headers->>'delivery_id', seq_id
                ON CONFLICT (delivery_id) DO NOTHING;
                INSERT INTO mt_event_progression (name, last_seq_id, last_updated) VALUES ('release_state:All', {last}, now())
                ON CONFLICT (name) DO UPDATE SET last_seq_id = excluded.last_seq_id, last_updated = now();
                """, ct);
            await tx.CommitAsync(ct);
        }
        progress?.Report(replayed);
        return new RebuildResult(replayed, states.Count, last, clock.Elapsed);
    }

    private static async Task<(int Count, long Last)> ReplayAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string where,
        Action<NpgsqlParameterCollection> bind, Dictionary<string, ReleaseState> states, List<long>? gaps, long after, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            SELECT seq_id, stream_id, version, type,
                   CASE WHEN stream_id LIKE '{StreamIds.ReleasePrefix}%' THEN data::text END
            FROM mt_events WHERE {where}
            """, connection, tx);
        bind(cmd.Parameters);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        int count = 0;
        long last = after;
        while (await reader.ReadAsync(ct))
        {
            var seq = reader.GetInt64(0);
            if (gaps is not null)
                for (var missing = last + 1; missing < seq; missing++) gaps.Add(missing);
            last = Math.Max(last, seq);
            count++;
            if (reader.IsDBNull(4)) continue;
            var streamId = reader.GetString(1);
            var e = EventJson.Deserialize(reader.GetString(3), reader.GetString(4));
            var state = states.GetValueOrDefault(streamId) ?? ReleaseState.Initial;
            states[streamId] = ReleaseProjection.Apply(state, e) with { Version = reader.GetInt64(2) };
        }
        return (count, last);
    }

    private static async Task Exec(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
