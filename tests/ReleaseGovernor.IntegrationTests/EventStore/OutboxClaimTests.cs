using Npgsql;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.EventStore;

/// <summary>Fair claims: turns between installations and repositories, a cap per repository in flight, the lease kept.</summary>
public sealed class OutboxClaimTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private readonly FreshStore _db = new();
    private OutboxStore _outbox = null!;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _outbox = new OutboxStore(_db.DataSource);
    }

    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task An_item_of_a_quiet_repository_queued_behind_a_flood_is_in_the_first_claim()
    {
        await EnqueueAsync("acme/flood", installation: 1, count: 40);
        var quiet = (await EnqueueAsync("acme/quiet", installation: 1, count: 1)).Single();

        var claimed = await _outbox.ClaimAsync("worker-a", max: 8, Lease, maxPerRepository: 4);

        Assert.Contains(quiet, claimed.Select(c => c.Id));
        Assert.Equal(4, claimed.Count(c => c.StreamId == Stream("acme/flood")));
        Assert.Equal(36, await PendingUnclaimedAsync("acme/flood"));
    }

    [Fact]
    public async Task A_repository_never_has_more_than_its_cap_in_flight_whichever_replica_claims()
    {
        await EnqueueAsync("acme/flood", installation: 1, count: 20);

        var first = await _outbox.ClaimAsync("replica-1", max: 8, Lease, maxPerRepository: 3);
        var second = await _outbox.ClaimAsync("replica-2", max: 8, Lease, maxPerRepository: 3);
        await CompleteAsync(first[0], "replica-1");
        var third = await _outbox.ClaimAsync("replica-2", max: 8, Lease, maxPerRepository: 3);

        Assert.Equal(3, first.Count);
        Assert.Empty(second);
        Assert.Single(third);
        Assert.True(third[0].Id > first.Max(c => c.Id), "the next item of the repository's queue, oldest first");
    }

    [Fact]
    public async Task Installations_take_turns_and_within_one_its_repositories_take_turns()
    {
        // Installation 1 has three busy repositories, installation 2 one: 2 gets as many turns as all of 1.
        await EnqueueAsync("one/a", installation: 1, count: 5);
        await EnqueueAsync("one/b", installation: 1, count: 5);
        await EnqueueAsync("one/c", installation: 1, count: 5);
        await EnqueueAsync("two/d", installation: 2, count: 5);

        var order = new List<string>();
        for (var i = 0; i < 4; i++)
            order.AddRange((await _outbox.ClaimAsync("worker", max: 2, Lease, maxPerRepository: 4)).Select(c => RepositoryOf(c.StreamId)));

        Assert.Equal(["one/a", "two/d", "one/b", "two/d", "one/c", "two/d", "one/a", "two/d"], order);
    }

    [Fact]
    public async Task An_expired_lease_no_longer_counts_against_the_cap_and_its_item_is_claimed_again_first()
    {
        await EnqueueAsync("acme/flood", installation: 1, count: 5);
        var lost = Assert.Single(await _outbox.ClaimAsync("died", max: 1, TimeSpan.FromMilliseconds(1), maxPerRepository: 1));
        var deadline = DateTime.UtcNow + Wait.Bound;
        while (await _db.ScalarAsync($"SELECT count(*) FROM rg_outbox WHERE id = {lost.Id} AND lease_until < now()") == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the 1 ms lease never expired");
            await Task.Delay(5);
        }

        var again = Assert.Single(await _outbox.ClaimAsync("alive", max: 8, Lease, maxPerRepository: 1));

        Assert.Equal(lost.Id, again.Id);
        Assert.Equal(2, again.Attempts);
        await using var session = await _db.Store.OpenSessionAsync();
        Assert.False(await OutboxStore.CompleteAsync(session, lost, "died"));
    }

    [Fact]
    public async Task Rows_without_a_lane_wait_in_the_lane_of_their_stream()
    {
        // As a replica of an earlier version writes them during a rolling upgrade.
        await using (var session = await _db.Store.OpenSessionAsync())
        {
            for (var i = 0; i < 6; i++)
                await OutboxStore.EnqueueAsync(session, new OutboxItem("process_event", "repo/old/replica", "{}"));
            await session.CommitAsync();
        }
        var quiet = (await EnqueueAsync("acme/quiet", installation: 1, count: 1)).Single();

        var claimed = await _outbox.ClaimAsync("worker", max: 8, Lease, maxPerRepository: 2);

        Assert.Equal(3, claimed.Count);
        Assert.Contains(quiet, claimed.Select(c => c.Id));
    }

    [Fact]
    public async Task A_database_of_the_previous_schema_upgrades_with_its_pending_rows_kept_and_given_their_lanes()
    {
        var connection = await TestPostgres.CreateDatabaseAsync(migrate: false);
        await using var data = NpgsqlDataSource.Create(connection);
        await PreviousRelease.ApplySchemaAsync(data, upTo: 2);
        await ExecAsync(data, """
            INSERT INTO mt_streams (id, version) VALUES ('repo/acme/old', 1);
            INSERT INTO mt_events (seq_id, id, stream_id, version, data, type, headers)
            VALUES (7, '00000000-0000-0000-0000-000000000007', 'repo/acme/old', 1, '{}', 'workflow_run_received', '{"installation_id": 42}');
            INSERT INTO rg_outbox (kind, stream_id, payload) VALUES ('process_event', 'repo/acme/old', '{"sequence": 7}');
            INSERT INTO rg_outbox (kind, stream_id, dedupe_key, payload)
            VALUES ('dispatch', 'release/acme/old/production', 'dispatch:release/acme/old/production:abc',
                    '{"repository": "Acme/Old", "installation_id": 42, "sha": "abc"}');
            INSERT INTO rg_outbox (kind, stream_id, payload, completed_at) VALUES ('commit_status', 'release/acme/old/production', '{}', now());
            """);

        await SchemaMigrator.MigrateAsync(data);

        await using var cmd = data.CreateCommand("SELECT kind, repository, installation_id, completed_at IS NOT NULL FROM rg_outbox ORDER BY id");
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<(string, string?, long?, bool)>();
        while (await reader.ReadAsync())
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.GetBoolean(3)));
        Assert.Equal(
            [("process_event", "acme/old", 42L, false), ("dispatch", "acme/old", 42L, false), ("commit_status", null, null, true)],
            rows);
        var claimed = await new OutboxStore(data).ClaimAsync("worker", max: 8, Lease, maxPerRepository: 1);
        Assert.Equal("process_event", Assert.Single(claimed).Kind);
    }

    // --- helpers -------------------------------------------------------------------

    private static string Stream(string repository) => $"repo/{repository}";

    private static string RepositoryOf(string stream) => stream["repo/".Length..];

    private async Task<List<long>> EnqueueAsync(string repository, long installation, int count)
    {
        await using var session = await _db.Store.OpenSessionAsync();
        for (var i = 0; i < count; i++)
            await OutboxStore.EnqueueAsync(session, new OutboxItem("process_event", Stream(repository), "{}",
                Lane: OutboxLane.For(RepoRef.Parse(repository), installation)));
        await session.CommitAsync();
        await using var cmd = _db.DataSource.CreateCommand(
            $"SELECT id FROM rg_outbox WHERE stream_id = '{Stream(repository)}' ORDER BY id DESC LIMIT {count}");
        await using var reader = await cmd.ExecuteReaderAsync();
        var ids = new List<long>();
        while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0));
        ids.Reverse();
        return ids;
    }

    private async Task CompleteAsync(ClaimedItem item, string owner)
    {
        await using var session = await _db.Store.OpenSessionAsync();
        Assert.True(await OutboxStore.CompleteAsync(session, item, owner));
        await session.CommitAsync();
    }

    private Task<long> PendingUnclaimedAsync(string repository) =>
        _db.ScalarAsync($"SELECT count(*) FROM rg_outbox WHERE stream_id = '{Stream(repository)}' AND completed_at IS NULL AND lease_owner IS NULL");

    private static async Task ExecAsync(NpgsqlDataSource data, string sql)
    {
        await using var cmd = data.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }
}
