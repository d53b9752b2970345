using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.EventStore;

public sealed class EventStoreTests : IAsyncLifetime
{
    private readonly FreshStore _db = new();
    private static readonly RepoRef Repo = new("octo-org", "web");
    private static readonly string Release = StreamIds.Release(Repo, "production");
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
    private const string Sha = "1111111111111111111111111111111111111111";

    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task Appends_number_versions_from_one_and_keep_metadata()
    {
        var metadata = EventMetadata.ForDelivery("d-1", "workflow_run", 42, "octocat");
        await _db.Store.AppendAsync(Release, 0, [Verified(Sha)], metadata);
        await _db.Store.AppendAsync(Release, 1, [new ApprovalGranted(Sha, "cli", "alice") { At = Now }], EventMetadata.ForCli("alice"));

        var stream = await _db.Store.ReadStreamAsync(Release);

        Assert.Equal([1L, 2L], stream.Select(e => e.Version));
        Assert.Equal(["verification_completed", "approval_granted"], stream.Select(e => e.Type));
        Assert.Equal(Verified(Sha), stream[0].Data);
        Assert.Equal(("d-1", "workflow_run", 42L, "octocat"), (stream[0].Metadata.DeliveryId, stream[0].Metadata.GitHubEvent,
            stream[0].Metadata.InstallationId!.Value, stream[0].Metadata.Actor));
        Assert.Equal("d-1", stream[0].Metadata.CorrelationId);
        Assert.StartsWith("cli:", stream[1].Metadata.CorrelationId);
        Assert.Equal(2, await _db.ScalarAsync($"SELECT version FROM mt_streams WHERE id = '{Release}'"));
    }

    [Fact]
    public async Task Two_writers_at_the_same_expected_version_one_wins_the_other_gets_a_concurrency_error()
    {
        await _db.Store.AppendAsync(Release, 0, [Verified(Sha)], EventMetadata.ForCli("t"));

        await using var first = await _db.Store.OpenSessionAsync();
        await using var second = await _db.Store.OpenSessionAsync();
        await first.AppendAsync(Release, 1, [Hold("first")], EventMetadata.ForCli("a"));
        await second.AppendAsync(Release, 1, [Hold("second")], EventMetadata.ForCli("b"));
        await first.CommitAsync(CancellationToken.None);

        // Marten asserts the version when the second session saves.
        var error = await Assert.ThrowsAsync<StreamConcurrencyException>(() => second.CommitAsync(CancellationToken.None));
        Assert.Equal(Release, error.StreamId);
        Assert.Equal(1, error.ExpectedVersion);
        var stream = await _db.Store.ReadStreamAsync(Release);
        Assert.Equal(["first"], stream.Select(e => e.Data).OfType<HoldPlaced>().Select(h => h.Reason));
    }

    [Fact]
    public async Task Many_writers_racing_on_one_version_store_exactly_one_append()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            try
            {
                await _db.Store.AppendAsync(Release, 0, [Hold($"writer-{i}")], EventMetadata.ForCli("t"));
                return true;
            }
            catch (StreamConcurrencyException) { return false; }
        }));

        Assert.Single(results, ok => ok);
        Assert.Equal(1, await _db.ScalarAsync("SELECT count(*) FROM mt_events"));
    }

    [Fact]
    public async Task A_stale_expected_version_fails_and_the_caller_can_retry_from_fresh_state()
    {
        await _db.Store.AppendAsync(Release, null, [Verified(Sha)], EventMetadata.ForCli("t"));
        await Assert.ThrowsAsync<StreamConcurrencyException>(() =>
            _db.Store.AppendAsync(Release, 0, [Hold("stale")], EventMetadata.ForCli("t")));

        var fresh = await _db.Store.ReadStreamAsync(Release);
        await _db.Store.AppendAsync(Release, fresh[^1].Version, [Hold("retried")], EventMetadata.ForCli("t"));

        Assert.Equal(2, (await _db.Store.ReadStreamAsync(Release)).Count);
    }

    [Fact]
    public async Task Fifty_concurrent_deliveries_with_one_delivery_id_store_exactly_one_set_of_events()
    {
        var metadata = EventMetadata.ForDelivery("same-delivery", "push", null, "octocat");
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            _db.Store.AppendForDeliveryAsync("same-delivery", "push", "octo-org/web",
                [new StreamAppend(StreamIds.Repo(Repo), null, [Pushed()]), new StreamAppend(Release, null, [Verified(Sha)])],
                metadata)));

        Assert.Single(results, r => r is not null);
        Assert.Equal(2, results.Single(r => r is not null)!.Count);
        Assert.Equal(2, await _db.ScalarAsync("SELECT count(*) FROM mt_events"));
        Assert.Equal(1, await _db.ScalarAsync("SELECT count(*) FROM rg_deliveries"));
    }

    [Fact]
    public async Task A_failed_append_rolls_back_the_delivery_record_so_a_retry_is_not_a_duplicate()
    {
        await _db.Store.AppendAsync(Release, null, [Verified(Sha)], EventMetadata.ForCli("t"));
        var metadata = EventMetadata.ForDelivery("d-retry", "workflow_run", null, null);

        await Assert.ThrowsAsync<StreamConcurrencyException>(() => _db.Store.AppendForDeliveryAsync("d-retry", "workflow_run", null,
            [new StreamAppend(Release, 0, [Hold("x")])], metadata));
        var retried = await _db.Store.AppendForDeliveryAsync("d-retry", "workflow_run", null,
            [new StreamAppend(Release, 1, [Hold("x")])], metadata);

        Assert.NotNull(retried);
        Assert.Equal(1, await _db.ScalarAsync("SELECT count(*) FROM rg_deliveries"));
    }

    [Fact]
    public async Task Reads_the_whole_log_in_sequence_order_after_a_position()
    {
        await _db.Store.AppendAsync(StreamIds.Repo(Repo), null, [Pushed()], EventMetadata.ForCli("t"));
        await _db.Store.AppendAsync(Release, null, [Verified(Sha), Hold("h")], EventMetadata.ForCli("t"));

        var all = await _db.Store.ReadAllAsync(0, 100);
        var after = await _db.Store.ReadAllAsync(all[0].Sequence, 100);

        Assert.Equal(3, all.Count);
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence));
        Assert.Equal(all.Skip(1).Select(e => e.Id), after.Select(e => e.Id));
        Assert.Single(await _db.Store.ReadAllAsync(all[0].Sequence, 1));
    }

    [Fact]
    public async Task Migrations_run_concurrently_and_repeatedly_without_breaking()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync(migrate: false);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var dataSource = Npgsql.NpgsqlDataSource.Create(connectionString);
            await SchemaMigrator.MigrateAsync(dataSource);
        }));
        await using var again = Npgsql.NpgsqlDataSource.Create(connectionString);
        await SchemaMigrator.MigrateAsync(again);

        await using var cmd = again.CreateCommand("SELECT count(*) FROM rg_schema_migrations");
        Assert.Equal((long)SchemaMigrator.Scripts.Count, (long)(await cmd.ExecuteScalarAsync())!);
    }

    private static VerificationCompleted Verified(string sha) => new(sha, 7, 1, "success", "https://github.com/octo-org/web/actions/runs/7") { At = Now };
    private static HoldPlaced Hold(string reason) => new(reason, "alice", null) { At = Now };
    private static MainAdvanced Pushed() => new("main", new string('0', 40), Sha, "octocat", 1, false) { At = Now };
}
