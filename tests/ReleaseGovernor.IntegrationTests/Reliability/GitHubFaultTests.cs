using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Reliability;

/// <summary>GitHub misbehaving on the calls that act: retried within bounds, one dispatch, and a visible failure past the bound.</summary>
public sealed class GitHubFaultTests : IAsyncLifetime
{
    private const string Repo = "octo-org/web";
    private const string Sha = "abababababababababababababababababababab";
    private const string Dispatches = "/repos/octo-org/web/actions/workflows/deploy.yml/dispatches";
    private readonly GovernorApp _app = new(settings: new() { ["Processing:MaxEffectAttempts"] = "3" });
    private FakeRepo _gh = null!;

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        await _app.WaitReadyAsync();
        _gh = _app.GitHub.Repo("octo-org", "web");
        _gh.SetFile(Sha, ".booty.yml", "release_governor:\n  enabled: true\n").SetCommit(Sha, new FakeChangedFile("src/app.cs")).OnDefaultBranch(Sha);
    }

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Resets_timeouts_500s_and_429s_on_dispatch_and_status_end_in_exactly_one_dispatch_and_one_status()
    {
        // Tried: a reset connection and a timeout on dispatch (outcome unknown: reconcile, then send again),
        // a 429 with Retry-After and two 500s on the commit status.
        _app.GitHub.InjectFault("POST", Dispatches, FakeFault.ConnectionReset(), times: 1);
        _app.GitHub.InjectFault("POST", Dispatches, FakeFault.Slow(TimeSpan.FromSeconds(10)), times: 1);
        _app.GitHub.InjectFault("POST", $"/repos/octo-org/web/statuses/{Sha}", FakeFault.TooManyRequests(0), times: 1);
        _app.GitHub.InjectFault("POST", $"/repos/octo-org/web/statuses/{Sha}", FakeFault.Status(500, "unavailable"), times: 2);

        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, Sha, runId: 700));
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.Single(_gh.Dispatches);
        Assert.True(_app.GitHub.RequestsTo("POST", Dispatches).Count >= 3, "the dispatch was tried again after each unknown outcome");
        Assert.True(_app.GitHub.RequestsTo("GET", "/repos/octo-org/web/actions/workflows/deploy.yml/runs").Count >= 1, "runs were listed before sending again");
        var status = Assert.Single(_gh.Statuses);
        Assert.Equal("success", status.State);
        var release = (await _app.Store.ReadStreamAsync(StreamIds.Release(RepoRef.Parse(Repo), "production"))).Select(e => e.Data).ToList();
        Assert.Single(release.OfType<DeployDispatched>());
        Assert.Single(release.OfType<CommitStatusPosted>());
    }

    [Fact]
    public async Task A_dispatch_failing_past_the_bound_is_recorded_and_visible_in_status()
    {
        // Tried: GitHub answers 500 to every dispatch.
        _app.GitHub.InjectFault("POST", Dispatches, FakeFault.Status(500, "GitHub is down"), times: 1000);

        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, Sha, runId: 701));
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.Empty(_gh.Dispatches);
        Assert.Equal(3, _app.GitHub.RequestsTo("POST", Dispatches).Count);
        var state = (await _app.Store.LoadReleaseStateAsync(StreamIds.Release(RepoRef.Parse(Repo), "production")))!;
        Assert.Equal(DeployResult.Failure, state.LastDeployResult);
        Assert.Equal("dispatch_failed", state.DeployHistory[0].Result);
        var status = await Infrastructure.Booty.RunAsync(_app.ConnectionString, "governor", "status", "--repo", Repo, "--workspace", Infrastructure.Booty.Workspace(null));
        Assert.Matches(@"last_deploy_result\s+failure", status.Out);
        Assert.Contains("dispatch_failed", status.Out);
        Assert.Equal("error", Assert.Single(_gh.Statuses).State);
    }
}
