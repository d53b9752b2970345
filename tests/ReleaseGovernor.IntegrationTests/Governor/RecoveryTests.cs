using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;
using ReleaseGovernor.Server.Hosting;

namespace ReleaseGovernor.IntegrationTests.Governor;

public sealed class RecoveryTests
{
    private const string Sha = "dddddddddddddddddddddddddddddddddddddddd";
    private static readonly string Release = StreamIds.Release(RepoRef.Parse("octo-org/web"), "production");

    /// <summary>Startup work the test releases when it chooses.</summary>
    private sealed class GateTask(TaskCompletionSource gate) : IStartupTask
    {
        public string Name => "test gate";
        public Task RunAsync(CancellationToken ct) => gate.Task.WaitAsync(ct);
    }

    [Fact]
    public async Task Webhooks_and_readyz_answer_503_until_startup_recovery_is_done()
    {
        var gate = new TaskCompletionSource();
        await using var app = new AppScope(new GovernorApp(services => services.AddSingleton<IStartupTask>(new GateTask(gate))));
        var push = Deliveries.Push("octo-org/web", new string('0', 40), Sha);

        var readyBefore = await app.App.Client.GetAsync("/readyz");
        var webhookBefore = await app.App.PostAsync("push", push);
        var health = await app.App.Client.GetAsync("/healthz");
        gate.SetResult();
        await app.App.WaitReadyAsync();
        var webhookAfter = await app.App.PostAsync("push", push);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyBefore.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, webhookBefore.StatusCode);
        Assert.Contains("redeliver", await webhookBefore.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, webhookAfter.StatusCode);
        Assert.Equal(["main_advanced"], await app.App.EventTypesAsync());
    }

    [Fact]
    public async Task A_dispatch_sent_by_a_process_that_died_before_recording_it_is_reconciled_not_sent_again()
    {
        var runId = 9001L;
        await using var app = new AppScope(new GovernorApp(seed: async a =>
        {
            // What a process leaves behind when it is killed after GitHub accepted the dispatch but before it
            // committed the result: the request and its outbox row, leased by the dead process; the run on GitHub.
            var requestedAt = DateTimeOffset.UtcNow.AddMinutes(-3);
            await a.Store.AppendAsync(Release, 0,
            [
                new VerificationCompleted(Sha, 1, 1, "success", null) { At = requestedAt },
                new DeployDecided(Sha, DecisionOutcome.Allow, ReasonCodes.AllowLow, null, Core.Risk.RiskClass.Low, [], "f", []) { At = requestedAt },
                new DeployDispatchRequested(Sha, "deploy.yml", "main", new Dictionary<string, string> { ["sha"] = Sha }) { At = requestedAt },
            ], EventMetadata.ForDelivery("d-1", "workflow_run", 42, "octocat"));
            await using var cmd = a.Db.CreateCommand($$"""
                INSERT INTO rg_outbox (kind, stream_id, dedupe_key, payload, attempts, lease_owner, lease_until, created_at)
                VALUES ('dispatch', '{{Release}}', 'dispatch:{{Release}}:{{Sha}}',
                        '{"repository":"octo-org/web","installation_id":42,"sha":"{{Sha}}","workflow":"deploy.yml","ref":"main","inputs":{"sha":"{{Sha}}"},"requested_at":"{{requestedAt:O}}"}',
                        1, 'dead-process', now() - interval '1 minute', now() - interval '3 minutes')
                """);
            await cmd.ExecuteNonQueryAsync();
            a.GitHub.Repo("octo-org", "web").SetFile(Sha, ".booty.yml", "release_governor:\n  enabled: true\n")
                .AddRun(new FakeRun(runId, "deploy.yml", "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", requestedAt.AddSeconds(5),
                    Event: "workflow_dispatch", DisplayTitle: $"Deploy {Sha}", Status: "queued", Conclusion: null));
        }));
        await app.App.WaitReadyAsync();

        var state = await Wait.ForStateAsync(app.App.Store, Release, s => s.InFlight?.RunId is not null);
        await Wait.ForOutboxDrainedAsync(app.App.Db);

        Assert.Equal(runId, state.InFlight!.RunId);
        Assert.Empty(app.App.GitHub.Repo("octo-org", "web").Dispatches);
        Assert.Empty(app.App.GitHub.RequestsTo("POST", "/repos/octo-org/web/actions/workflows/deploy.yml/dispatches"));
        var dispatched = (await app.App.Store.ReadStreamAsync(Release)).Select(e => e.Data).OfType<DeployDispatched>().Single();
        Assert.Equal(2, dispatched.Attempts);
    }

    [Fact]
    public async Task A_deploy_with_no_outcome_past_stall_minutes_is_marked_stalled_by_system_at_startup()
    {
        await using var app = new AppScope(new GovernorApp(seed: async a =>
        {
            var requestedAt = DateTimeOffset.UtcNow.AddMinutes(-90);
            await a.Store.AppendAsync(Release, 0,
            [
                new DeployDispatchRequested(Sha, "deploy.yml", "main", new Dictionary<string, string> { ["sha"] = Sha }) { At = requestedAt },
                new DeployDispatched(Sha, 1, null, null, null) { At = requestedAt },
            ], EventMetadata.ForDelivery("d-2", "workflow_run", 42, "octocat"));
            a.GitHub.Repo("octo-org", "web").SetFile(Sha, ".booty.yml", "release_governor:\n  enabled: true\n  stall_minutes: 60\n");
        }));
        await app.App.WaitReadyAsync();

        var events = await app.App.Store.ReadStreamAsync(Release);
        var stalled = Assert.Single(events, e => e.Data is DeployStalled);
        Assert.Equal("system", stalled.Metadata.Actor);
        var state = await app.App.Store.LoadReleaseStateAsync(Release);
        Assert.Null(state!.InFlight);
        Assert.Equal(DeployResult.Failure, state.LastDeployResult);
    }

    [Fact]
    public async Task A_stream_of_an_environment_named_with_a_slash_by_an_earlier_release_stops_neither_startup_nor_other_repositories()
    {
        const string legacy = "release/acme/slashenv/prod/eu";
        const string other = "release/acme/other/production";
        var requestedAt = DateTimeOffset.UtcNow.AddMinutes(-90);
        await using var app = new AppScope(new GovernorApp(seed: async a =>
        {
            // Written before environment names were checked: production_environment_name was accepted as "prod/eu".
            foreach (var stream in new[] { legacy, other })
                await a.Store.AppendAsync(stream, 0,
                [
                    new DeployDispatchRequested(Sha, "deploy.yml", "main", new Dictionary<string, string> { ["sha"] = Sha }) { At = requestedAt },
                    new DeployDispatched(Sha, 1, null, null, null) { At = requestedAt },
                ], EventMetadata.ForDelivery($"d-{stream.Length}", "workflow_run", 42, "octocat"));
            a.GitHub.Repo("acme", "other").SetFile(Sha, ".booty.yml", "release_governor:\n  enabled: true\n  stall_minutes: 60\n");
            a.GitHub.Repo("acme", "slashenv").SetFile(Sha, ".booty.yml", "release_governor:\n  enabled: true\n  stall_minutes: 60\n");
        }));
        await app.App.WaitReadyAsync();

        Assert.Null((await app.App.Store.LoadReleaseStateAsync(other))!.InFlight);
        Assert.Contains(await app.App.Store.ReadStreamAsync(other), e => e.Data is DeployStalled);
        Assert.Contains(await app.App.Store.ReadStreamAsync(legacy), e => e.Data is DeployStalled);
    }

    private sealed class AppScope : IAsyncDisposable
    {
        public AppScope(GovernorApp app)
        {
            App = app;
            App.InitializeAsync().GetAwaiter().GetResult();
        }

        public GovernorApp App { get; }
        public ValueTask DisposeAsync() => new(App.DisposeAsync());
    }
}
