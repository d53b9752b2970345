using System.Diagnostics;
using Marten;
using Marten.Services;
using Weasel.Core;
using Npgsql;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.EventStore.Projections;

public sealed record RebuildResult(long EventsReplayed, int ReleaseStreams, long HighestSequence, TimeSpan Elapsed)
{
    public double EventsPerSecond => Elapsed.TotalSeconds > 0 ? EventsReplayed / Elapsed.TotalSeconds : EventsReplayed;
}

/// <summary>
/// Rebuilds the release snapshots and sha records from the event log while appends go on. Every release event is read
/// once in sequence order and folded in memory; then each stream is finished under a lock on its stream row (writers of
/// that stream wait a moment, nothing is refused): the events appended to it meanwhile are folded too and its documents
/// are stored through Marten. Nothing appended concurrently is lost, and the deliveries table is only ever added to.
/// </summary>
/// <remarks>
/// Marten's async daemon rebuilds its own projections (measured here at ~3,400 events/s untuned); the snapshot is ours
/// (folded by the write path, see EventSession), so its rebuild is ours too: the first pass reads the rows itself,
/// only those of release streams, without deserialising the fact streams it skips.
/// </remarks>
public sealed class ProjectionRebuilder(NpgsqlDataSource dataSource)
{
    private const int BatchSize = 10_000;

    public async Task<RebuildResult> RebuildAsync(IProgress<long>? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var folds = new Dictionary<string, StreamFold>(StringComparer.Ordinal);
        long last = 0, replayed = 0;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            while (true)
            {
                var (count, highest) = await ReplayAsync(connection, last, folds, ct);
                if (count == 0) break;
                last = highest;
                replayed += count;
                progress?.Report(replayed);
            }
        }

        var (tail, end) = await FinishAllAsync(folds, last, ct);
        replayed += tail;
        last = end;
        await BackfillDeliveriesAsync(ct);
        progress?.Report(replayed);
        return new RebuildResult(replayed, folds.Count, last, clock.Elapsed);
    }

    /// <summary>
    /// Brings every release stream whose snapshot is missing or behind its stream up to date (at startup, under the
    /// migration lock): after an upgrade from a release without snapshots this rebuilds them all; afterwards, none.
    /// </summary>
    public async Task<int> CatchUpAsync(CancellationToken ct = default)
    {
        var stale = new List<string>();
        await using (var cmd = dataSource.CreateCommand("""
            SELECT s.id FROM mt_streams s LEFT JOIN mt_doc_releasesnapshot d ON d.id = s.id
            WHERE s.id LIKE 'release/%' AND (d.id IS NULL OR (d.data->'state'->>'version')::bigint IS DISTINCT FROM s.version)
            """))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) stale.Add(reader.GetString(0));
        foreach (var streamId in stale)
            await FinishAsync(streamId, new StreamFold(streamId), ct);
        return stale.Count;
    }

    /// <summary>
    /// Locks every release stream row (writers of release streams wait a moment, nothing is refused), folds what was
    /// appended after the first pass, and stores all snapshots and sha records in one transaction.
    /// </summary>
    private async Task<(int Tail, long Last)> FinishAllAsync(Dictionary<string, StreamFold> folds, long after, CancellationToken ct)
    {
        // The sha records of the first pass go in with Marten's bulk copy, before the lock. A writer that changes one
        // meanwhile appends an event the tail below folds, and that record is stored again under the lock.
        var records = folds.Values.SelectMany(f => f.Shas.Values).ToList();
        if (records.Count > 0)
            await GovernorStore.For(dataSource).BulkInsertAsync(records, BulkInsertMode.OverwriteExisting, 5_000, ct);
        foreach (var fold in folds.Values) fold.Touched.Clear();

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand(
            $"SELECT id FROM mt_streams WHERE id LIKE '{StreamIds.ReleasePrefix}%' ORDER BY id FOR UPDATE", connection, tx))
            await lockCmd.ExecuteNonQueryAsync(ct);
        int tail = 0;
        long last = after;
        while (true)
        {
            var (count, highest) = await ReplayAsync(connection, last, folds, ct);
            if (count == 0) break;
            (tail, last) = (tail + count, highest);
        }
        await using var session = GovernorStore.For(dataSource).LightweightSession(SessionOptions.ForTransaction(tx, shouldAutoCommit: false));
        foreach (var (streamId, fold) in folds)
        {
            session.Store(new ReleaseSnapshot { Id = streamId, State = fold.State });
            if (fold.Touched.Count > 0) session.Store(fold.Touched.Select(sha => fold.Shas[sha]).ToArray());
        }
        await session.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (tail, last);
    }

    /// <summary>Folds what was appended to the stream after the first pass, under its row lock, and stores its documents.</summary>
    private async Task<long> FinishAsync(string streamId, StreamFold fold, CancellationToken ct)
    {
        await using var session = GovernorStore.For(dataSource).LightweightSession();
        await session.BeginTransactionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand("SELECT version FROM mt_streams WHERE id = @id FOR UPDATE", session.Connection))
        {
            lockCmd.Parameters.AddWithValue("id", streamId);
            await lockCmd.ExecuteScalarAsync(ct);
        }
        var tail = await session.Events.FetchStreamAsync(streamId, fromVersion: fold.State.Version + 1, token: ct);
        foreach (var e in tail)
            fold.Apply((ReleaseEvent)e.Data, e.Version);
        session.Store(new ReleaseSnapshot { Id = streamId, State = fold.State });
        if (fold.Shas.Count > 0) session.Store(fold.Shas.Values.ToArray());
        await session.SaveChangesAsync(ct);
        return tail.Count;
    }

    private static async Task<(int Count, long Last)> ReplayAsync(NpgsqlConnection connection, long after,
        Dictionary<string, StreamFold> folds, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            SELECT seq_id, stream_id, version, type, data::text FROM mt_events
            WHERE seq_id > @after AND stream_id LIKE '{StreamIds.ReleasePrefix}%' ORDER BY seq_id LIMIT {BatchSize}
            """, connection);
        cmd.Parameters.AddWithValue("after", after);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        int count = 0;
        long last = after;
        while (await reader.ReadAsync(ct))
        {
            last = reader.GetInt64(0);
            count++;
            var streamId = reader.GetString(1);
            if (!folds.TryGetValue(streamId, out var fold)) folds[streamId] = fold = new StreamFold(streamId);
            fold.Apply(EventJson.Deserialize(reader.GetString(3), reader.GetString(4)), reader.GetInt64(2));
        }
        return (count, last);
    }

    /// <summary>Delivery ids of every stored event are in rg_deliveries (a database restored from the log alone gets them back).</summary>
    private async Task BackfillDeliveriesAsync(CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            INSERT INTO rg_deliveries (delivery_id, github_event, received_at)
                SELECT DISTINCT ON (headers->>'delivery_id') headers->>'delivery_id', coalesce(headers->>'github_event', 'unknown'), timestamp
                FROM mt_events WHERE headers->>'delivery_id' IS NOT NULL
                ORDER BY headers->>'delivery_id', seq_id
            ON CONFLICT (delivery_id) DO NOTHING
            """);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>One release stream folded: its state and its sha records, exactly as the write path folds them.</summary>
    private sealed class StreamFold(string streamId)
    {
        public ReleaseState State { get; private set; } = ReleaseState.Initial;
        public Dictionary<string, ShaRecord> Shas { get; } = new(StringComparer.Ordinal);

        /// <summary>The shas whose record changed since this was last cleared.</summary>
        public HashSet<string> Touched { get; } = new(StringComparer.Ordinal);

        public void Apply(ReleaseEvent e, long version)
        {
            if (version <= State.Version) return;
            var before = State;
            var after = ReleaseProjection.Apply(before, e);
            State = after with { Version = version };
            if (ShaLedger.ShaOf(e) is not { } sha) return;
            var record = Shas.GetValueOrDefault(sha) ?? ShaRecord.New(streamId, sha);
            Shas[sha] = ShaLedger.Apply(record, before, after, e);
            Touched.Add(sha);
        }
    }
}
