using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Services;

using Npgsql;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Projections;

namespace ReleaseGovernor.EventStore.Store;

/// <summary>
/// One unit of work on Marten: one session, one transaction. Delivery dedupe, appends, the release snapshot and the
/// sha records of every release stream appended to, and anything else written through <see cref="Connection"/>
/// (the outbox) commit together in <see cref="CommitAsync"/> or not at all.
/// </summary>
/// <remarks>
/// Fact streams (<c>repo/…</c>) are appended without reading anything first. A release stream is appended at the
/// version of its snapshot, which Marten asserts when it saves: a writer that raced us makes the save fail with a
/// <see cref="StreamConcurrencyException"/> and the snapshot can never be one event behind. Marten's own inline
/// projections were not used for this: with quick appends they fold onto whatever snapshot they read, which lost
/// events under concurrent writers; folding here, at the asserted version, cannot.
/// </remarks>
public sealed class EventSession : IAsyncDisposable
{
    private readonly IDocumentSession _session;
    private readonly Dictionary<string, ReleaseWrite> _releases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<IEvent>> _facts = new(StringComparer.Ordinal);
    private readonly List<(IEvent Event, StoredEvent Pending)> _appended = [];

    private EventSession(NpgsqlConnection connection, NpgsqlTransaction transaction, IDocumentSession session)
    {
        Connection = connection;
        Transaction = transaction;
        _session = session;
    }

    internal static async Task<EventSession> OpenAsync(IDocumentStore store, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            var tx = await connection.BeginTransactionAsync(ct);
            // Marten enlists in our transaction and does not commit it: CommitAsync does, after Marten's save and our own commands.
            return new EventSession(connection, tx, store.LightweightSession(SessionOptions.ForTransaction(tx, shouldAutoCommit: false)));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The session's connection, inside its transaction: commands on it commit with the events.</summary>
    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction Transaction { get; }

    /// <summary>Everything appended in this session; sequence, version and timestamp are known once committed.</summary>
    public IReadOnlyList<StoredEvent> Appended => [.. _appended.Select(a => Materialize(a.Event, a.Pending))];

    /// <summary>
    /// Records a delivery id. False when it was already recorded (by a committed transaction, or by a concurrent one
    /// that then commits: the insert waits for it): the caller stores nothing else and answers "duplicate".
    /// </summary>
    public async Task<bool> TryRecordDeliveryAsync(string deliveryId, string gitHubEvent, string? repository, CancellationToken ct = default)
    {
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO rg_deliveries (delivery_id, github_event, repository) VALUES (@id, @event, @repo) ON CONFLICT (delivery_id) DO NOTHING",
            Connection);
        cmd.Parameters.AddWithValue("id", deliveryId);
        cmd.Parameters.AddWithValue("event", gitHubEvent);
        cmd.Parameters.AddWithValue("repo", (object?)repository ?? DBNull.Value);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// The release state this session writes on: its snapshot, plus anything appended in this session. With
    /// <paramref name="exclusive"/> the stream's row is locked first, so no other writer can move it before commit.
    /// </summary>
    public async Task<ReleaseState> LoadReleaseAsync(string streamId, bool exclusive = false, CancellationToken ct = default) =>
        (await ReleaseWriteAsync(streamId, exclusive, ct)).State;

    /// <summary>What the stream recorded about the sha (null when nothing), including this session's appends.</summary>
    public async Task<ShaRecord?> LoadShaAsync(string streamId, string sha, CancellationToken ct = default)
    {
        var write = await ReleaseWriteAsync(streamId, false, ct);
        return await write.ShaAsync(_session, sha, create: false, ct);
    }

    /// <summary>
    /// Appends events to a stream, creating it when missing. <paramref name="expectedVersion"/> is the version the
    /// caller read (0 for a new stream); null appends at the current version. A stale expected version throws
    /// <see cref="StreamConcurrencyException"/> here or at commit.
    /// </summary>
    public async Task<IReadOnlyList<StoredEvent>> AppendAsync(
        string streamId, long? expectedVersion, IReadOnlyList<ReleaseEvent> events, EventMetadata metadata, CancellationToken ct = default)
    {
        if (events.Count == 0) return [];
        var wrapped = events.Select(e => Wrap(_session.Events.BuildEvent(e), metadata)).ToList();
        if (StreamIds.IsRelease(streamId))
        {
            var write = await ReleaseWriteAsync(streamId, false, ct);
            if (expectedVersion is { } expected && expected != write.State.Version)
                throw new StreamConcurrencyException(streamId, expected, write.State.Version);
            foreach (var e in events)
                await write.ApplyAsync(_session, e, ct);
            write.Pending.AddRange(wrapped);
        }
        else
        {
            if (expectedVersion is not null && _facts.ContainsKey(streamId))
                throw new InvalidOperationException($"Append to {streamId} at an expected version after another append in the same session.");
            // Marten's quick append numbers the events from the version it reads without a lock: two sessions appending to
            // one stream at once would both take the next version and one would fail. Locking the stream row first makes
            // them take turns (a stream created by two sessions at once still fails one of them: see CreatedConcurrently).
            if (!_facts.ContainsKey(streamId))
                await LockStreamAsync(streamId, ct);
            if (expectedVersion is { } v)
                _session.Events.Append(streamId, v + events.Count, wrapped.Cast<object>().ToArray());
            else
                _session.Events.Append(streamId, wrapped.Cast<object>().ToArray());
            _facts.TryAdd(streamId, []);
        }

        var pending = events.Zip(wrapped, (e, w) => new StoredEvent(0, w.Id, streamId, 0, EventTypes.NameOf(e), e, metadata, default)).ToList();
        _appended.AddRange(wrapped.Zip(pending));
        return pending;
    }

    /// <summary>Saves everything in one transaction. A stream moved by another writer since it was read: <see cref="StreamConcurrencyException"/>.</summary>
    public async Task CommitAsync(CancellationToken ct = default)
    {
        QueueReleaseWrites();
        try
        {
            await _session.SaveChangesAsync(ct);
            await Transaction.CommitAsync(ct);
        }
        catch (Exception e) when (e is ConcurrencyException or global::Marten.Exceptions.ExistingStreamIdCollisionException
                                      or JasperFx.Events.ExistingStreamIdCollisionException || CreatedConcurrently(e))
        {
            var (streamId, expected) = _releases.Where(r => r.Value.Pending.Count > 0).Select(r => (r.Key, (long?)r.Value.BaseVersion))
                .FirstOrDefault((_facts.Keys.FirstOrDefault() ?? "", null));
            throw new StreamConcurrencyException(streamId, expected, null, e);
        }
    }

    /// <summary>
    /// Hands Marten each release stream's events, at the version of the snapshot they were folded onto (Marten asserts
    /// it when it saves), with the new snapshot and the sha records they changed.
    /// </summary>
    private void QueueReleaseWrites()
    {
        foreach (var (streamId, write) in _releases.Where(r => r.Value.Pending.Count > 0))
        {
            var events = write.Pending.Cast<object>().ToArray();
            if (write.BaseVersion == 0)
                _session.Events.StartStream(streamId, events);
            else
                _session.Events.Append(streamId, write.State.Version, events);
            _session.Store(new ReleaseSnapshot { Id = streamId, State = write.State });
            foreach (var record in write.ChangedShas)
                _session.Store(record);
        }
    }

    /// <summary>Two first appends to a new stream at once: Marten's quick append inserts the stream row, and one of them loses.</summary>
    private static bool CreatedConcurrently(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, TableName: "mt_streams" or "mt_events" }
                         or PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected })
                return true;
        return false;
    }

    /// <summary>
    /// Runs everything a first append to a release stream runs (snapshot and sha record reads, Marten's append and
    /// document writes) and rolls it back: Marten generates its storage code on first use, so a process that does this
    /// at startup does not make its first deliveries wait for the compiler. Stores nothing.
    /// </summary>
    internal static async Task RehearseAsync(IDocumentStore store, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var session = await OpenAsync(store, dataSource, ct);
        const string stream = "release/~warm-up/~warm-up/~warm-up";
        await session.AppendAsync(stream, 0, [new VerificationCompleted(new string('0', 40), 0, 1, "success", null) { At = DateTimeOffset.UtcNow }],
            EventMetadata.ForSystem("warm-up"), ct);
        await session.LoadShaAsync(stream, new string('0', 40), ct);
        session.QueueReleaseWrites();
        await session._session.SaveChangesAsync(ct);
        await session.Transaction.RollbackAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _session.DisposeAsync();
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }

    private async Task<ReleaseWrite> ReleaseWriteAsync(string streamId, bool exclusive, CancellationToken ct)
    {
        if (_releases.TryGetValue(streamId, out var write)) return write;
        if (exclusive)
            await LockStreamAsync(streamId, ct);
        var state = await SnapshotReader.CurrentAsync(_session, streamId, ct);
        write = new ReleaseWrite(streamId, state);
        _releases[streamId] = write;
        return write;
    }

    /// <summary>
    /// A row lock on the stream (no write): other writers of this stream wait until this session ends. <c>FOR NO KEY
    /// UPDATE</c>, the lock an update of the version takes, not <c>FOR UPDATE</c>: a concurrent save holds the stream row
    /// <c>FOR KEY SHARE</c> (its events' foreign key) before it updates the version, and a <c>FOR UPDATE</c> queued between
    /// the two made a deadlock (measured: 1 run in 3 of <c>ConcurrentWriterTests</c> on a loaded machine).
    /// </summary>
    private async Task LockStreamAsync(string streamId, CancellationToken ct)
    {
        await using var lockCmd = new NpgsqlCommand("SELECT version FROM mt_streams WHERE id = @id FOR NO KEY UPDATE", Connection);
        lockCmd.Parameters.AddWithValue("id", streamId);
        try
        {
            await lockCmd.ExecuteScalarAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected)
        {
            // A concurrent save held a document row this session's stream lock waits behind: PostgreSQL broke the cycle
            // by refusing us, and the caller's write is simply made again.
            throw new StreamConcurrencyException(streamId, null, null, e);
        }
    }

    private static IEvent Wrap(IEvent wrapped, EventMetadata metadata)
    {
        wrapped.CorrelationId = metadata.CorrelationId;
        wrapped.CausationId = metadata.CausationId;
        if (metadata.DeliveryId is { } delivery) wrapped.SetHeader(EventHeaders.DeliveryId, delivery);
        if (metadata.GitHubEvent is { } gitHubEvent) wrapped.SetHeader(EventHeaders.GitHubEvent, gitHubEvent);
        if (metadata.InstallationId is { } installation) wrapped.SetHeader(EventHeaders.InstallationId, installation);
        if (metadata.Actor is { } actor) wrapped.SetHeader(EventHeaders.Actor, actor);
        foreach (var (key, value) in metadata.Extra ?? new Dictionary<string, string>())
            wrapped.SetHeader(key, value);
        return wrapped;
    }

    private static StoredEvent Materialize(IEvent e, StoredEvent pending) =>
        e.Sequence == 0 ? pending : pending with { Sequence = e.Sequence, Version = e.Version, Timestamp = e.Timestamp };

    /// <summary>One release stream written by this session: its state as folded so far and the sha records it changed.</summary>
    private sealed class ReleaseWrite(string streamId, ReleaseState state)
    {
        private readonly Dictionary<string, ShaRecord?> _shas = new(StringComparer.Ordinal);
        private readonly HashSet<string> _changed = new(StringComparer.Ordinal);

        public long BaseVersion { get; } = state.Version;
        public ReleaseState State { get; private set; } = state;
        public List<IEvent> Pending { get; } = [];
        public IEnumerable<ShaRecord> ChangedShas => _changed.Select(s => _shas[s]!);

        public async Task ApplyAsync(IDocumentSession session, ReleaseEvent e, CancellationToken ct)
        {
            var before = State;
            var after = ReleaseProjection.Apply(before, e);
            State = (ReferenceEquals(after, before) ? before : after) with { Version = before.Version + 1 };
            if (ShaLedger.ShaOf(e) is not { } sha) return;
            var record = (await ShaAsync(session, sha, create: true, ct))!;
            var next = ShaLedger.Apply(record, before, ReferenceEquals(after, before) ? before : after, e);
            if (next == record) return;
            _shas[sha] = next;
            _changed.Add(sha);
        }

        public async Task<ShaRecord?> ShaAsync(IDocumentSession session, string sha, bool create, CancellationToken ct)
        {
            if (!_shas.TryGetValue(sha, out var record))
            {
                record = await session.LoadAsync<ShaRecord>(ShaRecord.IdOf(streamId, sha), ct);
                _shas[sha] = record;
            }
            if (record is null && create)
                _shas[sha] = record = ShaRecord.New(streamId, sha);
            return record;
        }
    }
}
