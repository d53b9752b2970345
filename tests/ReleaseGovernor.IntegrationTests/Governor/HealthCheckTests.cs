using System.Text.Json.Nodes;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Health;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Governor;

/// <summary>
/// End to end: after a deploy the server probes a health endpoint on 127.0.0.1 (allowed by
/// ReleaseGovernor__HealthChecks__AllowedHosts) that the test flips; the verdict feeds rules 9 and 14, and with
/// rollback_on_unhealthy the governor dispatches production_sha_previous once.
/// </summary>
public sealed class HealthCheckTests : IAsyncLifetime
{
    private const string Repo = "octo-org/web";
    private const string A = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
    private const string B = "b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1";
    private const string C = "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1";
    private const string D = "d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1";
    private const string E = "e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1";
    private static readonly string Release = StreamIds.Release(RepoRef.Parse(Repo), "production");
    private static readonly Dictionary<string, FakeChangedFile[]> Changes = new()
    {
        [A] = [new("src/app.cs")],
        [B] = [new("src/app.cs")],
        [C] = [new(".github/workflows/ci.yml")],
        [D] = [new("src/fix.cs")],
        [E] = [new("package.json")],
    };

    private readonly GovernorApp _app = new(settings: new()
    {
        ["ReleaseGovernor:HealthChecks:AllowedHosts"] = "127.0.0.1",
        ["ReleaseGovernor:Api:AllowAnonymous"] = "true",
    });
    private FakeHealthEndpoint _health = null!;
    private FakeRepo _gh = null!;
    private long _nextRun = 7000;

    public async Task InitializeAsync()
    {
        _health = await FakeHealthEndpoint.StartAsync();
        await _app.InitializeAsync();
        await _app.WaitReadyAsync();
        _gh = _app.GitHub.Repo("octo-org", "web");
        _gh.OnDefaultBranch(A, B, C, D, E);
        foreach (var (sha, files) in Changes) _gh.SetCommit(sha, files);
        _gh.SetCompareRule((_, head) => Changes.TryGetValue(head, out var files) ? new FakeCompare("ahead", 1, 0, files) : null);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _health.DisposeAsync();
    }

    private void Configure(bool rollback, string? url = null, string? workflow = null)
    {
        var target = workflow is null ? $"url: {url ?? _health.HealthUrl}" : $"workflow_name: {workflow}";
        var yml = $"""
            release_governor:
              enabled: true
              health_check:
                {target}
                probes: 2
                interval_seconds: 1
                timeout_seconds: 2
                failures_to_degrade: 2
                recheck_minutes: 1
              rollback_on_unhealthy: {(rollback ? "true" : "false")}
            """;
        foreach (var sha in Changes.Keys) _gh.SetFile(sha, ".booty.yml", yml);
    }

    [Fact]
    public async Task A_healthy_deploy_is_probed_until_healthy_and_status_history_and_the_api_show_it()
    {
        Configure(rollback: false);

        await DeployAsync(A);
        var state = await Wait.ForStateAsync(_app.Store, Release, s => s.Health is { Status: HealthStatus.Healthy, Watching: false });

        var events = await ReleaseAsync();
        var passed = events.OfType<HealthCheckPassed>().ToList();
        Assert.Equal([(A, 1, 200), (A, 2, 200)], passed.Select(p => (p.Sha, p.Probe, p.StatusCode ?? 0)));
        Assert.Single(events.OfType<HealthWatchStarted>());
        Assert.Equal(passed[^1].At, state.LastHealthCheck);
        Assert.Equal(0, await _app.CountAsync("SELECT count(*) FROM mt_events WHERE data::text LIKE '%secret body%'"));
        Assert.Equal(2, await _app.CountAsync("SELECT count(*) FROM mt_events WHERE type = 'health_check_passed' AND headers::text LIKE '%\"system\"%'"));

        var status = await Booty.RunAsync(_app.ConnectionString, "governor", "status", "--repo", Repo, "--json", "--workspace", Booty.Workspace(null));
        Assert.Equal(0, status.ExitCode);
        var json = JsonNode.Parse(status.Out)!;
        Assert.Equal("healthy", (string?)json["health"]);
        Assert.NotNull((string?)json["last_health_check"]);
        var text = await Booty.RunAsync(_app.ConnectionString, "governor", "status", "--repo", Repo, "--workspace", Booty.Workspace(null));
        Assert.Contains("health", text.Out);
        Assert.Contains("healthy (2 consecutive healthy probe(s)", text.Out);
        var api = JsonNode.Parse(await _app.Client.GetStringAsync("/api/repos/octo-org/web/release"))!;
        Assert.Equal("healthy", (string?)api["health"]);
        Assert.Equal(2, (int?)api["health_watch"]!["consecutive_passes"]);
        var history = await Booty.RunAsync(_app.ConnectionString, "governor", "history", "--repo", Repo, "--workspace", Booty.Workspace(null));
        Assert.Contains("health probe 2 passed: 200", history.Out);
    }

    [Fact]
    public async Task Failing_probes_degrade_production_hold_HIGH_and_MEDIUM_let_a_LOW_fix_ship_and_its_healthy_probe_recovers()
    {
        Configure(rollback: false);
        await DeployAsync(A);
        await Wait.ForStateAsync(_app.Store, Release, s => s.Health is { Status: HealthStatus.Healthy, Watching: false });

        _health.StatusCode = 503;
        await DeployAsync(B);
        var degraded = await Wait.ForStateAsync(_app.Store, Release, s => s.Health.Status == HealthStatus.Degraded);
        Assert.Equal(B, degraded.Health.Sha);
        var evidence = Assert.Single((await ReleaseAsync()).OfType<ProductionDegraded>());
        Assert.Equal((B, 2), (evidence.Sha, evidence.FailedProbes));
        Assert.All(evidence.Evidence, e => Assert.Contains(": 503 in ", e));

        var high = await VerifyAsync(C);
        Assert.Equal((DecisionOutcome.Hold, ReasonCodes.DegradedHighRisk), (high.Outcome, high.Reason));
        Assert.StartsWith("wait for production to recover, or ship a LOW-risk fix: degraded since ", high.Unblock);
        Assert.Contains("after the deploy of b1b1b1b (last failure: probe 2 at ", high.Unblock);
        var medium = await VerifyAsync(E);
        Assert.Equal((DecisionOutcome.Hold, ReasonCodes.DegradedMediumHold), (medium.Outcome, medium.Reason));
        var low = await VerifyAsync(D);
        Assert.Equal((DecisionOutcome.Allow, ReasonCodes.AllowLow), (low.Outcome, low.Reason));
        await Wait.UntilAsync(() => _gh.Dispatches.Count == 3); // the dispatch is sent after the decision, by the outbox
        Assert.Equal([A, B, D], _gh.Dispatches.Select(d => d.Inputs["sha"]));
        Assert.Empty((await ReleaseAsync()).OfType<RollbackRequested>());

        _health.StatusCode = 200;
        await FinishDeployAsync(D);
        var recovered = await Wait.ForStateAsync(_app.Store, Release, s => s.Health.Status == HealthStatus.Healthy);
        var recovery = Assert.Single((await ReleaseAsync()).OfType<ProductionRecovered>());
        Assert.Equal((D, degraded.Health.DegradedSince), (recovery.Sha, (DateTimeOffset?)recovery.DegradedSince));
        Assert.Null(recovered.Health.DegradedSince);
    }

    [Fact]
    public async Task With_rollback_on_unhealthy_production_degraded_dispatches_the_previous_sha_once_and_holds_the_rolled_back_sha()
    {
        Configure(rollback: true);
        await DeployAsync(A);
        await Wait.ForStateAsync(_app.Store, Release, s => s.Health is { Status: HealthStatus.Healthy, Watching: false });

        _health.StatusCode = 500;
        await DeployAsync(B);
        await Wait.UntilAsync(() => _gh.Dispatches.Count == 3);
        var rollbackDispatch = _gh.Dispatches[^1];
        Assert.Equal(A, rollbackDispatch.Inputs["sha"]);
        var events = await ReleaseAsync();
        var decided = LastDecision(events);
        Assert.Equal((A, DecisionOutcome.Allow, ReasonCodes.RollbackUnhealthy), (decided.Sha, decided.Outcome, decided.Reason));
        var rollback = Assert.Single(events.OfType<RollbackRequested>());
        Assert.Equal((B, A, "system"), (rollback.Sha, rollback.To, rollback.Actor));
        Assert.Equal(2, rollback.Evidence.Count);
        var status = await _app.GitHub.WaitForRequestAsync(r => r.Method == "POST" && r.Path == $"/repos/octo-org/web/statuses/{A}"
            && ((string?)r.Json!["description"] ?? "").Contains("rollback_unhealthy"), TimeSpan.FromSeconds(20));
        Assert.Equal("ALLOW rollback_unhealthy (rollback of b1b1b1b by system)", (string?)status.Json!["description"]);
        await Wait.UntilAsync(() => _gh.Issues.Any(i => i.Title.StartsWith("Rolled back: b1b1b1b1b1b1", StringComparison.Ordinal)));
        var issue = _gh.Issues.Single(i => i.Title.StartsWith("Rolled back:", StringComparison.Ordinal));
        Assert.Contains("production goes back to `" + A + "`", issue.Body);
        Assert.Contains("deploy-failure", issue.Labels);

        _health.StatusCode = 200;
        await _app.PostAsync("workflow_run", Deliveries.Deploy(Repo, rollbackDispatch.RunId!.Value, tipSha: D, deployedSha: A, "completed", "success"));
        var back = await Wait.ForStateAsync(_app.Store, Release, s => s.Health.Status == HealthStatus.Healthy);
        Assert.Equal((A, B), (back.ProductionShaCurrent, back.ProductionShaPrevious));
        Assert.Single((await ReleaseAsync()).OfType<ProductionRecovered>());
        Assert.Equal(B, Assert.Single(back.RolledBack).Sha);

        var again = await VerifyAsync(B);
        Assert.Equal((DecisionOutcome.Hold, ReasonCodes.RolledBack), (again.Outcome, again.Reason));
        Assert.StartsWith($"run 'booty governor approve {B}' to deploy it again", again.Unblock);
        await Wait.ForStateAsync(_app.Store, Release, s => s.Health is { Watching: false });
        await Wait.ForOutboxDrainedAsync(_app.Db);
        Assert.Equal(3, _gh.Dispatches.Count);
        Assert.Single(_gh.Dispatches, d => d.Inputs["sha"] == A && d.RunId == rollbackDispatch.RunId);

        var approve = await Booty.RunAsync(_app.ConnectionString, "governor", "approve", B, "--repo", Repo, "--actor", "lead",
            "--workspace", Booty.Workspace(null));
        Assert.Equal(0, approve.ExitCode);
        await Wait.UntilAsync(() => _gh.Dispatches.Count == 4);
        Assert.Equal(B, _gh.Dispatches[^1].Inputs["sha"]);
    }

    [Fact]
    public async Task A_health_workflow_on_the_deployed_sha_is_the_probe_unhealthy_until_its_run_succeeds()
    {
        Configure(rollback: false, workflow: "Verify production");
        _gh.AddRun(new FakeRun(9001, "verify-production.yml", A, DateTimeOffset.UtcNow, Name: "Verify production", Status: "in_progress", Conclusion: null));

        await DeployAsync(A);
        var failed = await Wait.ForStateAsync(_app.Store, Release, s => s.Health.ConsecutiveFailures >= 1);
        _gh.UpdateRun(new FakeRun(9001, "verify-production.yml", A, DateTimeOffset.UtcNow, Name: "Verify production"));
        await Wait.ForStateAsync(_app.Store, Release, s => s.Health is { Status: HealthStatus.Healthy, Watching: false });

        var events = await ReleaseAsync();
        var first = events.OfType<HealthCheckFailed>().First();
        Assert.Equal(("in_progress", "'Verify production' run 9001 is in_progress"), (first.Conclusion, first.Detail));
        Assert.All(events.OfType<HealthCheckPassed>(), p => Assert.Equal(("success", (int?)null), (p.Conclusion, p.StatusCode)));
        Assert.Equal(0, _health.Requests);
        Assert.Contains(_app.GitHub.Requests, r => r.Path == "/repos/octo-org/web/actions/runs" && r.Query("head_sha") == A);
    }

    [Fact]
    public async Task An_operator_rollback_dispatches_the_previous_sha_with_the_operator_as_actor_and_refuses_a_sha_never_deployed()
    {
        Configure(rollback: false);
        await DeployAsync(A);
        await DeployAsync(B);
        var env = new Dictionary<string, string?> { ["GitHub__ApiBaseUrl"] = _app.GitHub.BaseUrl, ["GitHub__Token"] = _app.GitHub.Token };

        var never = await Booty.RunWithEnvAsync(_app.ConnectionString, env, "governor", "rollback", "--to", C, "--reason", "errors", "--repo", Repo,
            "--workspace", Booty.Workspace(null));
        Assert.Equal(1, never.ExitCode);
        Assert.Contains($"{C} was never deployed successfully here", never.Error);
        Assert.Equal(2, _gh.Dispatches.Count);

        var run = await Booty.RunWithEnvAsync(_app.ConnectionString, env, "governor", "rollback", "--reason", "errors after deploy", "--actor", "lead",
            "--repo", Repo, "--workspace", Booty.Workspace(null));
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith($"Rolling back {B}: dispatching deploy.yml at main for {A}.", run.Out);
        await Wait.UntilAsync(() => _gh.Dispatches.Count == 3);
        Assert.Equal(A, _gh.Dispatches[^1].Inputs["sha"]);
        var rollback = Assert.Single((await ReleaseAsync()).OfType<RollbackRequested>());
        Assert.Equal((B, A, ReasonCodes.RollbackOperator, "lead", "errors after deploy"), (rollback.Sha, rollback.To, rollback.Reason, rollback.Actor, rollback.Why));
        var status = await _app.GitHub.WaitForRequestAsync(r => r.Method == "POST" && r.Path == $"/repos/octo-org/web/statuses/{A}"
            && ((string?)r.Json!["description"] ?? "").Contains("rollback_operator"), TimeSpan.FromSeconds(20));
        Assert.Equal("ALLOW rollback_operator (rollback of b1b1b1b by lead)", (string?)status.Json!["description"]);

        var busy = await Booty.RunWithEnvAsync(_app.ConnectionString, env, "governor", "rollback", "--reason", "again", "--repo", Repo,
            "--workspace", Booty.Workspace(null));
        Assert.Equal(1, busy.ExitCode);
        Assert.Contains("refused (deploy_in_progress)", busy.Error);
    }

    private async Task DeployAsync(string sha)
    {
        var decided = await VerifyAsync(sha);
        Assert.Equal(DecisionOutcome.Allow, decided.Outcome);
        await FinishDeployAsync(sha);
    }

    private async Task FinishDeployAsync(string sha)
    {
        await Wait.UntilAsync(() => _gh.Dispatches.Any(d => d.Inputs["sha"] == sha && d.RunId is not null));
        var runId = _gh.Dispatches.Last(d => d.Inputs["sha"] == sha).RunId!.Value;
        await Wait.ForStateAsync(_app.Store, Release, s => s.InFlight?.RunId == runId);
        await _app.PostAsync("workflow_run", Deliveries.Deploy(Repo, runId, tipSha: D, deployedSha: sha, "completed", "success"));
        await Wait.ForStateAsync(_app.Store, Release, s => s.ProductionShaCurrent == sha && s.InFlight is null);
    }

    private async Task<DeployDecided> VerifyAsync(string sha)
    {
        var before = (await ReleaseAsync()).Count;
        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, sha, runId: _nextRun++));
        await Wait.ForStateAsync(_app.Store, Release, s => s.LastDecision?.Sha == sha && s.Version > before);
        return (await ReleaseAsync()).OfType<DeployDecided>().Last(d => d.Sha == sha);
    }

    private static DeployDecided LastDecision(IEnumerable<ReleaseEvent> events) => events.OfType<DeployDecided>().Last();

    private async Task<List<ReleaseEvent>> ReleaseAsync() => [.. (await _app.Store.ReadStreamAsync(Release)).Select(e => e.Data)];
}
