using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Risk;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Governor;

/// <summary>
/// What may start a deploy and what may end one, tried as an attacker would: a fork's pull request run named like
/// the verification workflow, runs of other events and branches, a fork's run titled <c>Deploy &lt;sha&gt;</c>, and a
/// change that loosens its own rules. Real payload shapes, real server, real PostgreSQL, fake GitHub.
/// </summary>
public sealed class TrustTests : GovernedRepoTests
{
    private const string Booty = "release_governor:\n  enabled: true\n  approval_mode: label\n";
    private const string P = "1111111111111111111111111111111111111111";
    private const string S = "5555555555555555555555555555555555555555";
    private const string ForkSha = "9999999999999999999999999999999999999999";

    protected override void Arrange()
    {
        foreach (var sha in new[] { P, S }) _gh.SetFile(sha, ".booty.yml", Booty).SetCommit(sha, new FakeChangedFile("src/app.cs"));
    }

    [Fact]
    public async Task A_forks_pull_request_run_named_like_the_verification_on_a_branch_called_main_dispatches_nothing()
    {
        // The captured pull_request-event run, shaped as the attack: Verify main, head_branch main, from mallory/forked.
        var attack = Deliveries.ForkRun(Repo, S, runId: 4242, name: "Verify main", title: "Verify main", path: ".github/workflows/verify-main.yml");

        var answer = await _app.PostAsync("workflow_run", attack);
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.True(answer.IsSuccessStatusCode);
        Assert.Empty(_gh.Dispatches);
        var release = await ReleaseAsync();
        Assert.Empty(release.OfType<DeployDecided>());
        var ignored = Assert.Single(release.OfType<VerificationIgnored>());
        Assert.Equal("fork", ignored.Reason);
        Assert.Contains("mallory/forked", ignored.Detail);
        Assert.DoesNotContain(_app.GitHub.Requests, r => r.Path.Contains("/compare/") || r.Path.Contains("/commits/"));
    }

    [Theory]
    [InlineData("pull_request", "main", "event", "event 'pull_request' is not in verification_events [push]")]
    [InlineData("schedule", "main", "event", "event 'schedule' is not in verification_events [push]")]
    [InlineData("push", "feature", "branch", "branch 'feature' is not the default branch 'main'")]
    public async Task A_run_of_the_verification_workflow_from_the_repository_itself_counts_only_for_listed_events_on_the_default_branch(
        string @event, string branch, string reason, string detail)
    {
        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, S, runId: 301, @event: @event, branch: branch));
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.Empty(_gh.Dispatches);
        var ignored = Assert.Single((await ReleaseAsync()).OfType<VerificationIgnored>());
        Assert.Equal(reason, ignored.Reason);
        Assert.Equal(detail, ignored.Detail);
        Assert.Contains(await HistoryLinesAsync(), l => l.Contains("ignored as verification") && l.Contains(reason));
    }

    [Fact]
    public async Task A_push_run_on_main_from_the_repository_itself_is_decided_and_dispatched()
    {
        await _app.PostAsync("push", Deliveries.Push(Repo, P, S));
        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, S, runId: 302));
        var dispatch = await _app.GitHub.WaitForRequestAsync(r => r.Path.EndsWith("/dispatches"), Bound);

        Assert.Equal(S, (string?)dispatch.Json!["inputs"]!["sha"]);
        var decided = (await ReleaseAsync()).OfType<DeployDecided>().Single();
        Assert.Equal("push", decided.OnDefaultBranchBy);
    }

    [Fact]
    public async Task A_workflow_dispatch_of_the_verification_counts_when_the_repository_lists_it()
    {
        _gh.SetFile(S, ".booty.yml", Booty + "  verification_events: [push, workflow_dispatch]\n").OnDefaultBranch(S);

        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, S, runId: 303, @event: "workflow_dispatch"));
        var dispatch = await _app.GitHub.WaitForRequestAsync(r => r.Path.EndsWith("/dispatches"), Bound);

        Assert.Equal(S, (string?)dispatch.Json!["inputs"]!["sha"]);
        Assert.Equal("compare:behind", (await ReleaseAsync()).OfType<DeployDecided>().Single().OnDefaultBranchBy);
    }

    [Fact]
    public async Task A_verified_sha_that_is_not_on_the_default_branch_is_held_with_how_to_get_it_there()
    {
        _gh.SetCompare("main", S, new FakeCompare("diverged", 1, 3, []));

        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, S, runId: 304));
        var status = await _app.GitHub.WaitForRequestAsync(r => r.Path == $"/repos/{Repo}/statuses/{S}", Bound);

        Assert.Empty(_gh.Dispatches);
        Assert.Contains("not_on_default_branch", (string?)status.Json!["description"]);
        var decided = (await ReleaseAsync()).OfType<DeployDecided>().Single();
        Assert.Equal(ReasonCodes.NotOnDefaultBranch, decided.Reason);
        Assert.StartsWith("merge 5555555 into main", decided.Unblock);
    }

    [Fact]
    public async Task A_forks_run_titled_Deploy_sha_never_ends_the_in_flight_deploy_even_when_the_dispatch_returned_no_run_id()
    {
        _app.GitHub.DispatchReturnsRunDetails = false;
        _app.GitHub.CreateRunOnDispatch = false;
        _gh.OnDefaultBranch(S);
        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, S, runId: 305));
        await Wait.ForStateAsync(_app.Store, Release, s => s.InFlight?.Sha == S);
        await Wait.ForOutboxDrainedAsync(_app.Db);

        // GitHub serves a fork's commit through the base repository (refs/pull/N/head), .booty.yml included.
        _gh.SetFile(ForkSha, ".booty.yml", Booty);
        var fake = Deliveries.ForkRun(Repo, ForkSha, runId: 777, name: "Deploy", title: $"Deploy {S}",
            path: ".github/workflows/deploy.yml", conclusion: "failure");
        await _app.PostAsync("workflow_run", fake);
        var decoy = Deliveries.Deploy(Repo, 778, tipSha: P, deployedSha: S, "completed", "success", @event: "push", branch: "feature");
        await _app.PostAsync("workflow_run", decoy);
        await Wait.ForOutboxDrainedAsync(_app.Db);

        var state = await _app.Store.LoadReleaseStateAsync(Release);
        Assert.Equal(S, state!.InFlight?.Sha);
        Assert.Null(state.ProductionShaCurrent);
        // The fork's run is not read with the fork's .booty.yml and leaves the release stream alone; the decoy of the
        // repository itself is recorded as matching no dispatch.
        Assert.Equal([778L], (await ReleaseAsync()).OfType<DeployRunUnmatched>().Select(u => u.RunId));
        Assert.DoesNotContain(_app.GitHub.Requests, r => r.Path.Contains("/contents/") && r.QueryString.Contains(ForkSha));
        Assert.Empty(_gh.Issues);

        // The governor's own run (workflow_dispatch on main, same repository) is still matched by its title.
        await _app.PostAsync("workflow_run", Deliveries.Deploy(Repo, 779, tipSha: P, deployedSha: S, "completed", "success"));
        Assert.Equal(S, (await Wait.ForStateAsync(_app.Store, Release, s => s.ProductionShaCurrent is not null)).ProductionShaCurrent);
    }

    [Fact]
    public async Task A_change_that_empties_high_risk_paths_in_its_own_booty_yml_and_edits_a_workflow_is_held_for_approval()
    {
        await DeployToProductionAsync(P);
        _gh.SetFile(S, ".booty.yml", Booty + "  high_risk_paths: []\n")
            .SetCommit(S, new FakeChangedFile(".booty.yml"), new FakeChangedFile(".github/workflows/deploy.yml"))
            .SetCompare(P, S, new FakeCompare("ahead", 1, 0, [new FakeChangedFile(".booty.yml"), new FakeChangedFile(".github/workflows/deploy.yml")]))
            .OnDefaultBranch(S);

        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, S, runId: 402));
        await _app.GitHub.WaitForRequestAsync(r => r.Path == $"/repos/{Repo}/statuses/{S}", Bound);
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.Single(_gh.Dispatches); // P's only
        var decided = (await ReleaseAsync()).OfType<DeployDecided>().Last();
        Assert.Equal(ReasonCodes.HighRiskNoApproval, decided.Reason);
        Assert.Contains(decided.Evidence, e => e.Path == ".booty.yml" && e.Pattern == "release_governor.high_risk_paths");
        Assert.Contains(decided.Evidence, e => e.Path == ".github/workflows/deploy.yml" && e.Pattern == ".github/workflows/**");
        Assert.Equal("the stricter of .booty.yml at production 1111111 and at 5555555", decided.JudgedBy);
    }

    [Fact]
    public async Task Any_change_to_the_release_governor_block_is_high_risk_even_when_no_path_pattern_matches()
    {
        await DeployToProductionAsync(P);
        _gh.SetFile(S, ".booty.yml", Booty + "  max_deploys_per_hour: 60\n")
            .SetCompare(P, S, new FakeCompare("ahead", 1, 0, [new FakeChangedFile(".booty.yml")]))
            .OnDefaultBranch(S);

        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, S, runId: 403));
        await _app.GitHub.WaitForRequestAsync(r => r.Path == $"/repos/{Repo}/statuses/{S}", Bound);

        var decided = (await ReleaseAsync()).OfType<DeployDecided>().Last();
        Assert.Equal(ReasonCodes.HighRiskNoApproval, decided.Reason);
        Assert.Equal([new RiskEvidence(".booty.yml", "release_governor.max_deploys_per_hour", RiskClass.High)], decided.Evidence);
    }

    [Fact]
    public async Task A_change_that_moves_production_environment_name_to_a_fresh_environment_is_judged_against_production()
    {
        await DeployToProductionAsync(P);
        _gh.SetFile(S, ".booty.yml", Booty + "  production_environment_name: production2\n")
            .SetCompare(P, S, new FakeCompare("ahead", 2, 0, [new FakeChangedFile(".booty.yml"), new FakeChangedFile(".github/workflows/deploy.yml")]))
            .OnDefaultBranch(S);

        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, S, runId: 404));
        await _app.GitHub.WaitForRequestAsync(r => r.Path == $"/repos/{Repo}/statuses/{S}", Bound);

        Assert.Single(_gh.Dispatches);
        var moved = StreamIds.Release(RepoRef.Parse(Repo), "production2");
        var decided = (await _app.Store.ReadStreamAsync(moved)).Select(e => e.Data).OfType<DeployDecided>().Single();
        Assert.Equal(ReasonCodes.HighRiskNoApproval, decided.Reason);
        Assert.Contains(decided.Evidence, e => e.Pattern == "release_governor.production_environment_name");
        Assert.Contains(decided.Evidence, e => e.Path == ".github/workflows/deploy.yml");
        Assert.Equal("the stricter of .booty.yml at production of another environment 1111111 and at 5555555", decided.JudgedBy);
    }

    [Fact]
    public async Task When_productions_config_is_unusable_the_defaults_stand_in_and_a_loosening_change_is_held()
    {
        _gh.SetFile(P, ".booty.yml", "release_governor:\n  cooldown_minutes: soon\n");
        await _app.Store.AppendAsync(Release, null,
        [
            new DeployDispatchRequested(P, "deploy.yml", "main", new Dictionary<string, string> { ["sha"] = P }) { At = DateTimeOffset.UtcNow.AddDays(-1) },
            new DeploySucceeded(P, 1, null) { At = DateTimeOffset.UtcNow.AddDays(-1) },
        ], EventMetadata.ForCli("seed"));
        _gh.SetFile(S, ".booty.yml", Booty + "  high_risk_paths: []\n")
            .SetCompare(P, S, new FakeCompare("ahead", 1, 0, [new FakeChangedFile(".github/workflows/deploy.yml")]))
            .OnDefaultBranch(S);

        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, S, runId: 405));
        await _app.GitHub.WaitForRequestAsync(r => r.Path == $"/repos/{Repo}/statuses/{S}", Bound);

        Assert.Empty(_gh.Dispatches);
        var decided = (await ReleaseAsync()).OfType<DeployDecided>().Single();
        Assert.Equal(ReasonCodes.HighRiskNoApproval, decided.Reason);
        Assert.Contains(decided.Evidence, e => e.Path == ".github/workflows/deploy.yml");
        Assert.StartsWith("the stricter of the defaults", decided.JudgedBy);
    }

    [Fact]
    public async Task A_deploy_runs_outcome_reaches_the_stream_that_dispatched_it_whatever_the_config_at_the_tip_says()
    {
        const string tip = "7777777777777777777777777777777777777777";
        _gh.SetFile(tip, ".booty.yml", Booty + "  production_environment_name: staging\n").OnDefaultBranch(S);
        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, S, runId: 406));
        var runId = (await Wait.ForStateAsync(_app.Store, Release, s => s.InFlight?.RunId is not null)).InFlight!.RunId!.Value;

        await _app.PostAsync("workflow_run", Deliveries.Deploy(Repo, runId, tipSha: tip, deployedSha: S, "completed", "success"));

        Assert.Equal(S, (await Wait.ForStateAsync(_app.Store, Release, s => s.ProductionShaCurrent is not null)).ProductionShaCurrent);
        Assert.Null(await _app.Store.LoadReleaseStateAsync(StreamIds.Release(RepoRef.Parse(Repo), "staging")));
    }

    /// <summary>Verifies <paramref name="sha"/> on main, lets its dispatch happen and its deploy run succeed.</summary>
    private async Task DeployToProductionAsync(string sha)
    {
        _gh.OnDefaultBranch(sha);
        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, sha, runId: 401));
        var runId = (await Wait.ForStateAsync(_app.Store, Release, s => s.InFlight?.RunId is not null)).InFlight!.RunId!.Value;
        await _app.PostAsync("workflow_run", Deliveries.Deploy(Repo, runId, tipSha: sha, deployedSha: sha, "completed", "success"));
        await Wait.ForStateAsync(_app.Store, Release, s => s.ProductionShaCurrent == sha);
        await Wait.ForOutboxDrainedAsync(_app.Db);
    }

    private async Task<List<string>> HistoryLinesAsync() =>
        [.. (await _app.Store.ReadStreamAsync(Release)).Select(e => EventDescriptions.Summarize(e.Data))];
}
