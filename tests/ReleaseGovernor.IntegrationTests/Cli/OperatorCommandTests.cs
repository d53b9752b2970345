using System.Text.Json.Nodes;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Cli;

/// <summary>simulate, trigger, approve, hold and release-hold against a real database and a fake GitHub.</summary>
public sealed class OperatorCommandTests : IAsyncLifetime
{
    private const string Repo = "octo-org/web";
    private const string Low = "1111111111111111111111111111111111111111";
    private const string High = "2222222222222222222222222222222222222222";
    private const string Yml = "release_governor:\n  enabled: true\n";
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow.AddMinutes(-10);
    private readonly FreshStore _db = new();
    private FakeGitHub _github = null!;
    private Dictionary<string, string?> _env = null!;
    private string _workspace = null!;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _github = await FakeGitHub.StartAsync();
        _env = new() { ["GitHub__ApiBaseUrl"] = _github.BaseUrl, ["GitHub__Token"] = _github.Token, ["USER"] = "alice" };
        _workspace = Infrastructure.Booty.Workspace(Yml);
        var repo = _github.Repo("octo-org", "web");
        repo.SetFile(Low, ".booty.yml", Yml).SetFile(High, ".booty.yml", Yml);
        repo.SetCommit(Low, new FakeChangedFile("src/app.cs"));
        repo.SetCommit(High, new FakeChangedFile(".github/workflows/deploy.yml"), new FakeChangedFile("src/app.cs"));
        repo.OnDefaultBranch(Low, High);
        foreach (var sha in new[] { Low, High })
            await _db.Store.AppendAsync(Release, null, [new VerificationCompleted(sha, 1, 1, "success", null) { At = T0 }], EventMetadata.ForCli("ci"));
    }

    public async Task DisposeAsync()
    {
        await _github.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task Simulate_prints_the_decision_and_stores_and_sends_nothing()
    {
        var before = await _db.ScalarAsync("SELECT count(*) FROM mt_events");

        var run = await Booty("governor", "simulate", Low, "--json");

        Assert.Equal(0, run.ExitCode);
        var json = JsonNode.Parse(run.Out)!;
        Assert.Equal("ALLOW", (string?)json["decision"]);
        Assert.Equal("allow_low", (string?)json["reason"]);
        Assert.Equal("LOW", (string?)json["risk_class"]);
        Assert.Equal(Low, (string?)json["sha"]);
        Assert.StartsWith(".booty.yml at ", (string?)json["judged_by"]);
        Assert.Equal("main (compare:behind)", (string?)json["on_default_branch_by"]);
        Assert.Equal(before, await _db.ScalarAsync("SELECT count(*) FROM mt_events"));
        Assert.DoesNotContain(_github.Requests, r => r.Method != "GET");
    }

    [Fact]
    public async Task Simulate_of_a_high_risk_sha_exits_1_with_the_unblock_and_the_paths_that_drove_it()
    {
        var run = await Booty("governor", "simulate", High, "--show-paths");

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"decision\s+HOLD", run.Out);
        Assert.Matches(@"risk_class\s+HIGH", run.Out);
        Assert.Matches(@"reason\s+high_risk_no_approval", run.Out);
        Assert.Matches(@"judged_by\s+\.booty\.yml at ", run.Out);
        Assert.Contains("RELEASE_GOVERNOR_APPROVED", run.Out);
        Assert.Contains($"booty governor approve {High}", run.Out);
        Assert.Matches(@"\.github/workflows/deploy\.yml\s+\.github/workflows/\*\*\s+HIGH", run.Out);
        Assert.DoesNotContain("src/app.cs", run.Out);
    }

    [Fact]
    public async Task Trigger_of_an_allowed_sha_dispatches_it_now()
    {
        var run = await Booty("governor", "trigger", Low);

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"decision\s+ALLOW", run.Out);
        Assert.Matches(@"dispatch\s+dispatched", run.Out);
        var dispatch = Assert.Single(_github.Repo("octo-org", "web").Dispatches);
        Assert.Equal(Low, dispatch.Inputs["sha"]);
        Assert.Equal("main", dispatch.Ref);
        var types = (await _db.Store.ReadStreamAsync(Release)).Select(e => e.Type).ToList();
        Assert.Contains("deploy_dispatched", types);
        Assert.StartsWith("cli:", (await _db.Store.ReadStreamAsync(Release)).Single(e => e.Type == "deploy_decided").Metadata.CorrelationId);
    }

    [Fact]
    public async Task Retry_deploys_a_failed_sha_again_after_its_cooldown_and_refuses_one_never_dispatched_or_deployed()
    {
        var never = await Booty("governor", "retry", High);
        Assert.Equal(1, never.ExitCode);
        Assert.Contains($"error: {High} was never dispatched", never.Error);

        await _db.Store.AppendAsync(Release, null,
        [
            new DeployDispatchRequested(Low, "deploy.yml", "main", new Dictionary<string, string> { ["sha"] = Low }) { At = DateTimeOffset.UtcNow.AddHours(-3) },
            new DeployFailed(Low, 31, "failure", null) { At = DateTimeOffset.UtcNow.AddHours(-2) },
        ], EventMetadata.ForCli("ci"));
        var run = await Booty("governor", "retry", Low);

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"dispatch\s+dispatched", run.Out);
        Assert.Equal(Low, Assert.Single(_github.Repo("octo-org", "web").Dispatches).Inputs["sha"]);
        var requested = (await _db.Store.ReadStreamAsync(Release)).Select(e => e.Data).OfType<DeployDispatchRequested>().ToList();
        Assert.Equal([1, 2], requested.Select(r => r.Attempt ?? 1));

        var again = await Booty("governor", "retry", Low);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("is in flight or deployed", again.Error);
    }

    [Fact]
    public async Task Trigger_of_a_held_sha_exits_1_with_reason_and_unblock_and_dispatches_nothing()
    {
        var run = await Booty("governor", "trigger", High);

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"reason\s+high_risk_no_approval", run.Out);
        Assert.Matches(@"unblock\s+\S+", run.Out);
        Assert.Empty(_github.Repo("octo-org", "web").Dispatches);
    }

    [Fact]
    public async Task An_operator_hold_freezes_deploys_until_released()
    {
        var hold = await Booty("governor", "hold", "--reason", "incident 42", "--until", "2h");
        var frozen = await Booty("governor", "trigger", Low);
        var release = await Booty("governor", "release-hold");
        var after = await Booty("governor", "trigger", Low);

        Assert.Equal(0, hold.ExitCode);
        Assert.Contains("Hold placed by alice", hold.Out);
        Assert.Equal(1, frozen.ExitCode);
        Assert.Matches(@"reason\s+frozen", frozen.Out);
        Assert.Contains("incident 42", frozen.Out);
        Assert.Equal(0, release.ExitCode);
        Assert.Contains("will be evaluated again", release.Out);
        Assert.Equal(0, after.ExitCode);
        var hp = (await _db.Store.ReadStreamAsync(Release)).Select(e => e.Data).OfType<HoldPlaced>().Single();
        Assert.Equal("alice", hp.Actor);
        Assert.NotNull(hp.Until);
    }

    [Fact]
    public async Task A_cli_approval_lets_a_high_risk_sha_through()
    {
        await Booty("governor", "trigger", High);
        var approve = await Booty("governor", "approve", High);
        var trigger = await Booty("governor", "trigger", High, "--json");

        Assert.Equal(0, approve.ExitCode);
        Assert.Contains($"Approved {High} as alice.", approve.Out);
        Assert.Equal(0, trigger.ExitCode);
        Assert.Equal("allow_high_approved", (string?)JsonNode.Parse(trigger.Out)!["reason"]);
        Assert.Single(_github.Repo("octo-org", "web").Dispatches);
        var granted = (await _db.Store.ReadStreamAsync(Release)).Select(e => e.Data).OfType<ApprovalGranted>().Single();
        Assert.Equal(("cli", "alice"), (granted.Via, granted.Actor));
    }

    [Fact]
    public async Task Approve_records_the_actor_given_and_history_says_it_came_from_an_operator()
    {
        var approve = await Booty("governor", "approve", High, "--actor", "carol");
        var empty = await Booty("governor", "approve", High, "--actor", " ");
        var history = await Booty("governor", "history");

        Assert.Equal(0, approve.ExitCode);
        Assert.Contains($"Approved {High} as carol.", approve.Out);
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("error: --actor must name someone", empty.Error);
        Assert.Contains("approved via cli by carol (an operator with database access)", history.Out);
        var granted = (await _db.Store.ReadStreamAsync(Release)).Select(e => e.Data).OfType<ApprovalGranted>().Single();
        Assert.Equal("carol", granted.Actor);
    }

    [Fact]
    public async Task A_short_sha_or_a_bad_until_is_a_usage_error_with_exit_2()
    {
        var shortSha = await Booty("governor", "simulate", "abc123");
        var badUntil = await Booty("governor", "hold", "--reason", "x", "--until", "someday");
        var noReason = await Booty("governor", "hold");

        Assert.Equal(2, shortSha.ExitCode);
        Assert.Contains("40 hex characters", shortSha.Error);
        Assert.Equal(2, badUntil.ExitCode);
        Assert.Contains("--until 'someday'", badUntil.Error);
        Assert.Equal(2, noReason.ExitCode);
        Assert.Contains("--reason", noReason.Error);
    }

    [Fact]
    public async Task Every_command_has_help()
    {
        foreach (var command in new[] { "status", "history", "rebuild", "simulate", "trigger", "reevaluate", "retry", "approve", "hold", "release-hold", "stop", "resume", "override" })
        {
            var run = await Booty("governor", command, "--help");
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("Usage:", run.Out);
        }
    }

    private static string Release => StreamIds.Release(RepoRef.Parse(Repo), "production");

    private Task<Infrastructure.Booty.Run> Booty(params string[] args) =>
        Infrastructure.Booty.RunWithEnvAsync(_db.ConnectionString, _env, [.. args, "--repo", Repo, "--workspace", _workspace]);
}
