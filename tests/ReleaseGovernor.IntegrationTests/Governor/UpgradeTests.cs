using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Governor;

/// <summary>
/// A database written by the previous release — its schema, its events as it serialized them (without the fields added
/// since), its projected state and delivery ids — opened by this release: nothing is lost and the flow goes on.
/// </summary>
public sealed class UpgradeTests
{
    private const string Repo = "octo-org/web";
    private const string A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string Tip = "cccccccccccccccccccccccccccccccccccccccc";
    private static readonly string Release = StreamIds.Release(RepoRef.Parse(Repo), "production");

    [Fact]
    public async Task A_database_of_the_previous_release_opens_with_every_event_delivery_and_status_and_its_deploy_in_flight_still_lands()
    {
        var app = new GovernorApp(previousRelease: SeedAsync);
        await app.InitializeAsync();
        try
        {
            await app.WaitReadyAsync();
            var gh = app.GitHub.Repo("octo-org", "web");
            gh.SetFile(Tip, ".booty.yml", "release_governor:\n  enabled: true\n");

            Assert.Equal(["main_advanced", "workflow_run_received"], (await app.Store.ReadStreamAsync(StreamIds.Repo(RepoRef.Parse(Repo)))).Select(e => e.Type));
            var release = await app.Store.ReadStreamAsync(Release);
            Assert.Equal(["verification_completed", "deploy_decided", "deploy_dispatch_requested", "deploy_dispatched"], release.Select(e => e.Type));
            Assert.Equal("d-old-2", release[0].Metadata.DeliveryId);
            var run = (WorkflowRunReceived)(await app.Store.ReadStreamAsync(StreamIds.Repo(RepoRef.Parse(Repo))))[1].Data;
            Assert.Null(run.HeadRepositoryFullName);
            var state = (await app.Store.LoadReleaseStateAsync(Release))!;
            Assert.Equal((A, 9001L), (state.InFlight!.Sha, state.InFlight.RunId!.Value));
            Assert.Empty(state.RetryableShas);
            Assert.Null(state.LastDecision!.JudgedBy);

            var again = await app.PostAsync("workflow_run", Deliveries.Verification(Repo, A, runId: 100), delivery: "d-old-2");
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Contains("duplicate", await again.Content.ReadAsStringAsync());
            Assert.Equal(2, await app.CountAsync("SELECT count(*) FROM rg_deliveries"));

            await app.PostAsync("workflow_run", Deliveries.Deploy(Repo, 9001, tipSha: Tip, deployedSha: A, "completed", "success"));
            var landed = await Wait.ForStateAsync(app.Store, Release, s => s.ProductionShaCurrent is not null);
            Assert.Equal(A, landed.ProductionShaCurrent);
            Assert.Empty(gh.Dispatches);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>Rows as the previous release wrote them: events in its JSON shape, its state document, its delivery ids.</summary>
    private static async Task SeedAsync(GovernorApp app)
    {
        const string at = "2026-11-30T10:00:00+00:00";
        var headers = (string delivery) => $$"""{"delivery_id": "{{delivery}}", "github_event": "workflow_run", "installation_id": 42, "actor": "octocat"}""";
        (string Stream, int Version, string Type, string Data, string Delivery)[] rows =
        [
            (StreamIds.Repo(RepoRef.Parse(Repo)), 1, "main_advanced",
                $$"""{"branch": "main", "before": "{{new string('0', 40)}}", "after": "{{A}}", "pusher": "octocat", "commit_count": 1, "forced": false, "at": "{{at}}"}""", "d-old-1"),
            (StreamIds.Repo(RepoRef.Parse(Repo)), 2, "workflow_run_received",
                $$"""{"action": "completed", "workflow_name": "Verify main", "workflow_path": ".github/workflows/verify-main.yml", "run_id": 100, "run_attempt": 1, "head_sha": "{{A}}", "head_branch": "main", "trigger_event": "push", "status": "completed", "conclusion": "success", "display_title": "Verify main", "html_url": null, "default_branch": "main", "at": "{{at}}"}""", "d-old-2"),
            (Release, 1, "verification_completed", $$"""{"sha": "{{A}}", "run_id": 100, "run_attempt": 1, "conclusion": "success", "html_url": null, "at": "{{at}}"}""", "d-old-2"),
            (Release, 2, "deploy_decided",
                $$"""{"sha": "{{A}}", "outcome": "allow", "reason": "allow_low", "unblock": null, "risk": "low", "evidence": [], "config_fingerprint": "f16ac68615574021", "approvals_seen": [], "at": "{{at}}"}""", "d-old-2"),
            (Release, 3, "deploy_dispatch_requested",
                $$"""{"sha": "{{A}}", "workflow": "deploy.yml", "ref": "main", "inputs": {"sha": "{{A}}"}, "at": "{{at}}"}""", "d-old-2"),
            (Release, 4, "deploy_dispatched", $$"""{"sha": "{{A}}", "attempts": 1, "run_id": 9001, "run_url": null, "html_url": null, "at": "{{at}}"}""", "d-old-2"),
        ];
        await PreviousRelease.ExecAsync(app.Db, $"INSERT INTO mt_streams (id, version) VALUES ('{StreamIds.Repo(RepoRef.Parse(Repo))}', 2), ('{Release}', 4)");
        foreach (var (stream, version, type, data, delivery) in rows)
            await PreviousRelease.ExecAsync(app.Db, $"""
                INSERT INTO mt_events (id, stream_id, version, data, type, headers, correlation_id)
                VALUES (gen_random_uuid(), '{stream}', {version}, '{data}', '{type}', '{headers(delivery)}', 'corr-{delivery}')
                """);
        await PreviousRelease.ExecAsync(app.Db,
            "INSERT INTO rg_deliveries (delivery_id, github_event, repository) VALUES ('d-old-1', 'push', 'octo-org/web'), ('d-old-2', 'workflow_run', 'octo-org/web')");

        // The state document as the previous release projected it: this fold without the fields added since.
        var events = rows.Where(r => r.Stream == Release).Select(r => EventJson.Deserialize(r.Type, r.Data));
        var document = JsonNode.Parse(JsonSerializer.Serialize(events.Aggregate(ReleaseState.Initial, ReleaseProjection.Apply) with { Version = 4 },
            EventJson.Options))!.AsObject();
        document.Remove("retryable_shas");
        document.Remove("recent_runs");
        document["last_decision"]!.AsObject().Remove("judged_by");
        await PreviousRelease.ExecAsync(app.Db,
            $"INSERT INTO rg_release_state (stream_id, data, version) VALUES ('{Release}', '{document.ToJsonString()}', 4)");
    }
}
