using System.Text.Json.Nodes;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Governor;

/// <summary><c>booty governor stop | resume</c> against the running server, across two repositories.</summary>
public sealed class EmergencyStopTests : GovernedRepoTests
{
    private const string Api = "octo-org/api";
    private const string Yml = "release_governor:\n  enabled: true\n";
    private const string W1 = "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1";
    private const string W2 = "c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2";
    private const string A1 = "d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1";
    private const string A2 = "d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2";
    private static readonly string ApiRelease = StreamIds.Release(RepoRef.Parse(Api), "production");
    private FakeRepo _api = null!;
    private string _workspace = "";

    protected override void Arrange()
    {
        _api = _app.GitHub.Repo("octo-org", "api");
        foreach (var (repo, shas) in new[] { (_gh, new[] { W1, W2 }), (_api, new[] { A1, A2 }) })
        {
            foreach (var sha in shas) repo.SetFile(sha, ".booty.yml", Yml).SetCommit(sha, new FakeChangedFile("src/app.cs"));
            repo.OnDefaultBranch(shas);
        }
        _workspace = Infrastructure.Booty.Workspace(Yml);
    }

    [Fact]
    public async Task A_stop_of_one_repository_holds_only_it_a_stop_of_all_holds_every_one_and_resume_lifts_each()
    {
        await _app.PostAsync("push", Deliveries.Push(Repo, Deliveries.RandomSha(), W1));
        await _app.PostAsync("push", Deliveries.Push(Api, Deliveries.RandomSha(), A1));
        await Wait.ForOutboxDrainedAsync(_app.Db);

        var stopWeb = await Booty("stop", "--repo", Repo, "--reason", "bad migration", "--actor", "oncall");
        Assert.Equal(0, stopWeb.ExitCode);

        await VerifyAsync(Repo, Release, W1, 1001);
        await VerifyAsync(Api, ApiRelease, A1, 1002);
        var web = LastDecision(await ReleaseAsync());
        Assert.Equal(ReasonCodes.EmergencyStop, web.Reason);
        Assert.Contains($"booty governor resume --repo {Repo}", web.Unblock);
        Assert.Contains("by oncall", web.Unblock);
        Assert.Contains("bad migration", web.Unblock);
        Assert.Equal(ReasonCodes.AllowLow, LastDecision(await EventsAsync(ApiRelease)).Reason);
        await Wait.UntilAsync(() => _api.Dispatches.Count == 1); // the dispatch is sent after the decision, by the outbox
        Assert.Equal(A1, _api.Dispatches[0].Inputs["sha"]);

        var stopAll = await Booty("stop", "--all", "--reason", "incident 9", "--actor", "lead", "--json");
        Assert.Equal(0, stopAll.ExitCode);
        Assert.Equal("all", (string?)JsonNode.Parse(stopAll.Out)!["scope"]);
        await VerifyAsync(Api, ApiRelease, A2, 1003);
        Assert.Equal(ReasonCodes.EmergencyStop, LastDecision(await EventsAsync(ApiRelease)).Reason);
        Assert.Contains("emergency stop of every repository by lead", LastDecision(await EventsAsync(ApiRelease)).Unblock);

        var status = await Booty("status", "--repo", Api, "--workspace", _workspace, "--json");
        var shown = JsonNode.Parse(status.Out)!["emergency_stop"]!;
        Assert.Equal(("all", "incident 9", "lead"), ((string?)shown["scope"], (string?)shown["reason"], (string?)shown["actor"]));

        Assert.Equal(0, (await Booty("resume", "--all")).ExitCode);
        var stillStopped = await Booty("status", "--repo", Repo, "--workspace", _workspace);
        Assert.Matches(@"emergency_stop\s+bad migration by oncall", stillStopped.Out);
        Assert.Equal(0, (await Booty("resume", "--repo", Repo)).ExitCode);
        await VerifyAsync(Repo, Release, W2, 1004);

        Assert.Equal((W2, ReasonCodes.AllowLow), (LastDecision(await ReleaseAsync()).Sha, LastDecision(await ReleaseAsync()).Reason));
        await Wait.UntilAsync(() => _gh.Dispatches.Count == 1);
        await Wait.ForOutboxDrainedAsync(_app.Db);
        Assert.Equal([W2], _gh.Dispatches.Select(d => d.Inputs["sha"])); // never W1, held by the stop
        var stops = (await _app.Store.ReadStreamAsync(StreamIds.Stops)).Select(e => e.Type).ToList();
        Assert.Equal(["emergency_stopped", "emergency_stopped", "emergency_resumed", "emergency_resumed"], stops);
    }

    [Fact]
    public async Task Stop_needs_exactly_one_scope_a_known_repository_and_a_reason()
    {
        await _app.PostAsync("push", Deliveries.Push(Repo, Deliveries.RandomSha(), W1));
        await Wait.ForOutboxDrainedAsync(_app.Db);

        var none = await Booty("stop", "--reason", "x");
        var both = await Booty("stop", "--all", "--repo", Repo, "--reason", "x");
        var unknown = await Booty("stop", "--repo", "octo-org/wbe", "--reason", "x");
        var blank = await Booty("stop", "--all", "--reason", " ");
        var nothing = await Booty("resume", "--all");

        Assert.Equal((2, 2, 2, 2), (none.ExitCode, both.ExitCode, unknown.ExitCode, blank.ExitCode));
        Assert.Contains("name the scope: either --all", none.Error);
        Assert.Contains("octo-org/web", unknown.Error);
        Assert.Contains("needs a reason", blank.Error);
        Assert.Equal(0, nothing.ExitCode);
        Assert.Contains("every repository is not stopped", nothing.Out);
        Assert.Empty(await _app.Store.ReadStreamAsync(StreamIds.Stops));
        foreach (var command in new[] { "stop", "resume" })
            Assert.Contains("--all", (await Booty(command, "--help")).Out);
    }

    private async Task<List<ReleaseEvent>> EventsAsync(string stream) => [.. (await _app.Store.ReadStreamAsync(stream)).Select(e => e.Data)];

    private async Task VerifyAsync(string repo, string stream, string sha, long runId)
    {
        await _app.PostAsync("workflow_run", Deliveries.Verification(repo, sha, runId));
        await Wait.ForStateAsync(_app.Store, stream, s => s.LastDecision?.Sha == sha);
    }

    private Task<Infrastructure.Booty.Run> Booty(params string[] args) =>
        Infrastructure.Booty.RunWithEnvAsync(_app.ConnectionString, new Dictionary<string, string?>(), ["governor", .. args]);
}
