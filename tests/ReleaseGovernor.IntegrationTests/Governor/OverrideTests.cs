using System.Globalization;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Governor;

/// <summary><c>booty governor override</c> against the running server, inside a freeze window that lasts the test.</summary>
public sealed class OverrideTests : GovernedRepoTests
{
    private const string S = "e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1";
    private const string Failed = "e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2";
    private const string H = "e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3";
    private string _yml = "";
    private string _workspace = "";

    protected override void Arrange()
    {
        var now = DateTimeOffset.UtcNow;
        _yml = $"""
            release_governor:
              enabled: true
              freeze_windows:
                - name: launch
                  start: {Iso(now.AddHours(-1))}
                  end: {Iso(now.AddHours(1))}
            """;
        foreach (var sha in new[] { S, Failed }) _gh.SetFile(sha, ".booty.yml", _yml).SetCommit(sha, new FakeChangedFile("src/app.cs"));
        _gh.SetFile(H, ".booty.yml", _yml).SetCommit(H, new FakeChangedFile("db/migrations/007.sql"));
        _gh.SetPullRequestsForCommit(H, new FakePullRequest(7, H, AuthorLogin: "dev"));
        _gh.OnDefaultBranch(S, Failed, H);
        _workspace = Infrastructure.Booty.Workspace(_yml);
    }

    [Fact]
    public async Task An_override_deploys_a_frozen_sha_once_records_who_why_and_what_it_bypassed_and_says_so_in_the_commit_status()
    {
        await VerifyAsync(S, 1101);
        Assert.Equal(ReasonCodes.FreezeWindow, LastDecision(await ReleaseAsync()).Reason);

        var run = await Booty("override", S, "--reason", "hotfix 42", "--actor", "lead", "--expires", "30m");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("may bypass freeze_window", run.Out);
        await Wait.UntilAsync(() => _gh.Statuses.Any(s => s.State == "success"));
        Assert.Equal(S, Assert.Single(_gh.Dispatches).Inputs["sha"]);
        var events = await ReleaseAsync();
        var granted = Assert.Single(events.OfType<OverrideGranted>());
        Assert.Equal(("lead", "hotfix 42", false), (granted.Actor, granted.Reason, granted.IncludeApproval));
        var used = Assert.Single(events.OfType<OverrideUsed>());
        Assert.Equal([ReasonCodes.FreezeWindow], used.Bypassed);
        Assert.Equal("ALLOW (override by lead: hotfix 42)", _gh.Statuses.Last(s => s.State == "success").Description);
        Assert.Empty((await _app.Store.LoadReleaseStateAsync(Release))!.Overrides);
    }

    [Fact]
    public async Task An_override_is_refused_with_exit_2_for_a_failed_verification_an_emergency_stop_or_the_authors_own_approval()
    {
        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, Failed, 1102, conclusion: "failure"));
        await Wait.ForStateAsync(_app.Store, Release, s => s.LastDecision?.Sha == Failed);
        await VerifyAsync(S, 1103);

        var failed = await Booty("override", Failed, "--reason", "x");
        var byAuthor = await Booty("override", H, "--reason", "x", "--include-approval", "--actor", "dev");
        Assert.Equal(0, (await Booty("stop", "--all", "--reason", "incident 9")).ExitCode);
        var stopped = await Booty("override", S, "--reason", "x");

        Assert.Equal((2, 2, 2), (failed.ExitCode, byAuthor.ExitCode, stopped.ExitCode));
        Assert.Contains("would still be held by verification_failed", failed.Error);
        Assert.Contains("never verification_failed, emergency_stop, config_invalid, deploy_in_progress or an operator hold", failed.Error);
        Assert.Contains("dev is an author of", byAuthor.Error);
        Assert.Contains("would still be held by emergency_stop", stopped.Error);
        Assert.Empty((await ReleaseAsync()).OfType<OverrideGranted>());
        Assert.Empty(_gh.Dispatches);
    }

    private async Task VerifyAsync(string sha, long runId)
    {
        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, sha, runId));
        await Wait.ForStateAsync(_app.Store, Release, s => s.LastDecision?.Sha == sha);
    }

    private Task<Infrastructure.Booty.Run> Booty(params string[] args) =>
        Infrastructure.Booty.RunWithEnvAsync(_app.ConnectionString,
            new Dictionary<string, string?> { ["GitHub__ApiBaseUrl"] = _app.GitHub.BaseUrl, ["GitHub__Token"] = _app.GitHub.Token },
            ["governor", .. args, .. args[0] is "stop" or "resume" ? Array.Empty<string>() : ["--repo", Repo, "--workspace", _workspace]]);

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
