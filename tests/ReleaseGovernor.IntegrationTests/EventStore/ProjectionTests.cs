using ReleaseGovernor.Core.Risk;
using System.Text.Json.Nodes;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Projections;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.EventStore;

public sealed class ProjectionTests : IAsyncLifetime
{
    private readonly FreshStore _db = new();
    private static readonly RepoRef Repo = new("octo-org", "web");
    private static readonly string Release = StreamIds.Release(Repo, "production");
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
    private const string A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task A_scripted_release_history_projects_to_the_expected_document()
    {
        await AppendScriptAsync();

        var json = JsonNode.Parse((await _db.TextAsync($"SELECT (data->'state')::text FROM mt_doc_releasesnapshot WHERE id = '{Release}'"))!)!;

        Assert.Equal(B, (string?)json["production_sha_current"]);
        Assert.Equal(A, (string?)json["production_sha_previous"]);
        Assert.Equal(B, (string?)json["last_deploy_attempt_sha"]);
        Assert.Equal("success", (string?)json["last_deploy_result"]);
        Assert.Equal(T0.AddMinutes(25), json["last_deploy_time"]!.GetValue<DateTimeOffset>());
        Assert.Null(json["in_flight"]);
        Assert.Null(json["waiting_sha"]);
        Assert.Equal(9, (long?)json["version"]);
        var history = json["deploy_history"]!.AsArray();
        Assert.Equal([B, A], history.Select(h => (string?)h!["sha"]));
        Assert.Equal(["success", "success"], history.Select(h => (string?)h!["result"]));
        Assert.Equal(902L, (long?)history[0]!["run_id"]);
        Assert.Equal("allow_low", (string?)json["last_decision"]!["reason"]);
        Assert.Equal([A, B], json["dispatched_shas"]!.AsArray().Select(s => (string?)s));
    }

    [Fact]
    public async Task Before_any_deploy_every_field_exists_and_is_null_with_result_pending()
    {
        await _db.Store.AppendAsync(Release, 0, [new HoldPlaced("audit", "alice", null) { At = T0 }], EventMetadata.ForCli("alice"));

        var json = JsonNode.Parse((await _db.TextAsync($"SELECT (data->'state')::text FROM mt_doc_releasesnapshot WHERE id = '{Release}'"))!)!.AsObject();

        foreach (var field in new[] { "production_sha_current", "production_sha_previous", "last_deploy_attempt_sha", "last_deploy_time", "last_health_check", "in_flight", "waiting_sha", "last_decision" })
        {
            Assert.True(json.ContainsKey(field), field);
            Assert.Null(json[field]);
        }
        Assert.Equal("pending", (string?)json["last_deploy_result"]);
        Assert.Empty(json["deploy_history"]!.AsArray());
    }

    [Fact]
    public async Task A_late_in_progress_delivery_never_moves_the_state_backwards()
    {
        await AppendScriptAsync();
        var before = await _db.TextAsync($"SELECT (data->'state')::text FROM mt_doc_releasesnapshot WHERE id = '{Release}'");

        await _db.Store.AppendAsync(Release, null, [new DeployStarted(B, 902, null) { At = T0.AddMinutes(30) }], EventMetadata.ForCli("t"));

        var after = JsonNode.Parse((await _db.TextAsync($"SELECT (data->'state')::text FROM mt_doc_releasesnapshot WHERE id = '{Release}'"))!)!;
        Assert.Null(after["in_flight"]);
        Assert.Equal("success", (string?)after["last_deploy_result"]);
        Assert.Equal(JsonNode.Parse(before!)!["deploy_history"]!.ToJsonString(), after["deploy_history"]!.ToJsonString());
    }

    [Fact]
    public async Task Rebuild_reproduces_every_document_byte_for_byte()
    {
        await AppendScriptAsync();
        var other = StreamIds.Release(new RepoRef("octo-org", "api"), "staging");
        await _db.Store.AppendAsync(other, 0, [new HoldPlaced("freeze", "bob", T0.AddDays(1)) { At = T0 }], EventMetadata.ForCli("bob"));
        var before = await SnapshotAsync();
        await _db.Store.DataSource.CreateCommand("""UPDATE mt_doc_releasesnapshot SET data = jsonb_set(data, '{state}', '{"version": 0}'::jsonb)""").ExecuteNonQueryAsync();

        var result = await new ProjectionRebuilder(_db.DataSource).RebuildAsync();

        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(2, result.ReleaseStreams);
        Assert.Equal(await _db.ScalarAsync("SELECT count(*) FROM mt_events WHERE stream_id LIKE 'release/%'"), result.EventsReplayed);
    }

    [Fact]
    public async Task Rebuild_while_appends_go_on_loses_none_of_them()
    {
        await AppendScriptAsync();
        using var stop = new CancellationTokenSource();
        var appended = 0;
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var repo = new RepoRef("load", $"r{appended % 7}");
                await _db.Store.AppendAsync(StreamIds.Release(repo, "production"), null,
                    [new ApprovalGranted($"{appended:x40}", "cli", "writer") { At = T0 }], EventMetadata.ForCli("writer"));
                Interlocked.Increment(ref appended);
            }
        });
        await WaitUntilAsync(() => Volatile.Read(ref appended) >= 20);
        for (var i = 0; i < 3; i++)
            await new ProjectionRebuilder(_db.DataSource).RebuildAsync();
        await WaitUntilAsync(() => Volatile.Read(ref appended) >= 60);
        stop.Cancel();
        await writer;

        var approvalsProjected = await _db.ScalarAsync(
            "SELECT coalesce(sum(jsonb_array_length(data->'state'->'approvals')), 0) FROM mt_doc_releasesnapshot WHERE id LIKE 'release/load/%'");
        Assert.Equal(appended, approvalsProjected);
        Assert.Equal(0, await _db.ScalarAsync(
            "SELECT count(*) FROM mt_doc_releasesnapshot s JOIN mt_streams m ON m.id = s.id WHERE (s.data->'state'->>'version')::bigint <> m.version"));
    }

    private async Task<string> SnapshotAsync() =>
        string.Join("\n", (await Task.WhenAll((await _db.Store.ListReleaseStreamsAsync())
            .Select(async id => id + " " + await _db.TextAsync($"SELECT (data->'state')::text FROM mt_doc_releasesnapshot WHERE id = '{id}'")))));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
            await Task.Delay(10, timeout.Token);
    }

    private async Task AppendScriptAsync()
    {
        var m = EventMetadata.ForDelivery("d", "workflow_run", 1, "octocat");
        ReleaseEvent[] script =
        [
            new VerificationCompleted(A, 1, 1, "success", null) { At = T0 },
            new DeployDecided(A, DecisionOutcome.Allow, ReasonCodes.AllowLow, null, RiskClass.Low, [], "f1", []) { At = T0.AddMinutes(1) },
            new DeployDispatchRequested(A, "deploy.yml", "main", new Dictionary<string, string> { ["sha"] = A }) { At = T0.AddMinutes(1) },
            new DeployDispatched(A, 1, 901, null, "https://github.com/octo-org/web/actions/runs/901") { At = T0.AddMinutes(2) },
            new DeploySucceeded(A, 901, null) { At = T0.AddMinutes(10) },
            new VerificationCompleted(B, 2, 1, "success", null) { At = T0.AddMinutes(20) },
            new DeployDecided(B, DecisionOutcome.Allow, ReasonCodes.AllowLow, null, RiskClass.Low, [], "f1", []) { At = T0.AddMinutes(21) },
            new DeployDispatchRequested(B, "deploy.yml", "main", new Dictionary<string, string> { ["sha"] = B }) { At = T0.AddMinutes(21) },
            new DeploySucceeded(B, 902, null) { At = T0.AddMinutes(25) },
        ];
        await _db.Store.AppendAsync(Release, 0, script, m);
    }
}
