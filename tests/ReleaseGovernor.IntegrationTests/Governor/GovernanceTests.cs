using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Governor;

/// <summary>
/// Approvals that can be taken back and bind to their commit, outcomes only from the governor's own run, holds
/// that stop queued dispatches, outsiders that cannot spend the rate limit, failed deploys that may be retried.
/// </summary>
public sealed class GovernanceTests : GovernedRepoTests
{
    private const string LabelMode = "release_governor:\n  enabled: true\n  approval_mode: label\n  approval_label: release:approved\n";
    private const string CommentMode = "release_governor:\n  enabled: true\n  approval_mode: comment\n  approval_command: /approve-release\n";
    private const string H = "4444444444444444444444444444444444444444";
    private const string H2 = "4545454545454545454545454545454545454545";
    private const string S = "5555555555555555555555555555555555555555";

    protected override void Arrange()
    {
        _gh.SetFile(S, ".booty.yml", LabelMode).SetCommit(S, new FakeChangedFile("src/app.cs")).OnDefaultBranch(S, H, H2);
        _gh.SetPermission("maintainer", "write", "maintain").SetPermission("lead", "write").SetPermission("ops", "admin").SetPermission("dev", "write");
    }

    [Fact]
    public async Task A_removed_label_put_back_by_the_pull_requests_author_does_not_approve()
    {
        HighRisk(H, LabelMode, pr: 7);
        await _app.PostAsync("pull_request", Deliveries.Labeled(Repo, 7, "release:approved", by: "maintainer", author: "dev", headSha: H));
        await _app.PostAsync("pull_request", Deliveries.Unlabeled(Repo, 7, "release:approved", by: "maintainer"));
        await _app.PostAsync("pull_request", Deliveries.Labeled(Repo, 7, "release:approved", by: "dev", author: "dev", headSha: H));
        _gh.SetPullRequestsForCommit(H, new FakePullRequest(7, H, AuthorLogin: "dev", Labels: ["release:approved"]));

        await VerifyAsync(H, runId: 801);

        Assert.Empty(_gh.Dispatches);
        var decided = LastDecision(await ReleaseAsync());
        Assert.Equal(ReasonCodes.HighRiskNoApproval, decided.Reason);
        Assert.Contains("label:dev (write) (the pull request's author", decided.Unblock);
    }

    [Fact]
    public async Task A_label_given_for_an_earlier_head_does_not_approve_a_later_commit_of_the_pull_request()
    {
        HighRisk(H2, LabelMode, pr: 7, labels: ["release:approved"]);
        await _app.PostAsync("pull_request", Deliveries.Labeled(Repo, 7, "release:approved", by: "maintainer", author: "dev", headSha: H));

        await VerifyAsync(H2, runId: 802);

        Assert.Empty(_gh.Dispatches);
        Assert.Equal(ReasonCodes.HighRiskNoApproval, LastDecision(await ReleaseAsync()).Reason);
    }

    [Fact]
    public async Task A_deleted_approval_comment_no_longer_approves()
    {
        HighRisk(H, CommentMode, pr: 8);
        await _app.PostAsync("issue_comment", Deliveries.Comment(Repo, 8, "/approve-release", by: "lead", "MEMBER", commentId: 91, action: "created"));
        await _app.PostAsync("issue_comment", Deliveries.Comment(Repo, 8, "/approve-release", by: "lead", "MEMBER", commentId: 91, action: "deleted"));

        await VerifyAsync(H, runId: 803);

        Assert.Empty(_gh.Dispatches);
        Assert.Equal(ReasonCodes.HighRiskNoApproval, LastDecision(await ReleaseAsync()).Reason);
    }

    [Fact]
    public async Task An_approval_comment_edited_away_or_given_before_new_commits_does_not_approve_but_a_standing_one_does()
    {
        const string before = "3333333333333333333333333333333333333333";
        HighRisk(H, CommentMode, pr: 8);
        _gh.SetPullRequest(new FakePullRequest(8, before, AuthorLogin: "dev"));
        await _app.PostAsync("issue_comment", Deliveries.Comment(Repo, 8, "/approve-release", by: "lead", "MEMBER", commentId: 92, action: "created"));
        await _app.PostAsync("issue_comment", Deliveries.Comment(Repo, 8, "never mind", by: "lead", "MEMBER", commentId: 92, action: "edited"));
        await _app.PostAsync("issue_comment", Deliveries.Comment(Repo, 8, "/approve-release", by: "ops", "OWNER", commentId: 93, action: "created"));
        await Wait.ForOutboxDrainedAsync(_app.Db);
        _gh.SetPullRequest(new FakePullRequest(8, H, AuthorLogin: "dev"));
        await _app.PostAsync("pull_request", Deliveries.Synchronized(Repo, 8, before: before, after: H));

        await VerifyAsync(H, runId: 804);
        Assert.Empty(_gh.Dispatches);
        Assert.Equal(ReasonCodes.HighRiskNoApproval, LastDecision(await ReleaseAsync()).Reason);

        await _app.PostAsync("issue_comment", Deliveries.Comment(Repo, 8, "/approve-release", by: "ops", "OWNER", commentId: 94, action: "created"));
        var dispatch = await _app.GitHub.WaitForRequestAsync(r => r.Path.EndsWith("/dispatches"), Bound);

        Assert.Equal(H, (string?)dispatch.Json!["inputs"]!["sha"]);
        Assert.Equal(["comment:ops (admin)"], LastDecision(await ReleaseAsync()).ApprovalsSeen);
    }

    [Fact]
    public async Task An_approval_comment_binds_to_the_head_github_reported_so_a_lost_synchronize_does_not_carry_it_to_new_commits()
    {
        HighRisk(H2, CommentMode, pr: 8);
        _gh.SetPullRequest(new FakePullRequest(8, H, AuthorLogin: "dev"));
        await _app.PostAsync("issue_comment", Deliveries.Comment(Repo, 8, "/approve-release", by: "lead", "MEMBER", commentId: 95, action: "created"));
        await Wait.ForOutboxDrainedAsync(_app.Db);
        // New commits moved the pull request to H2; their synchronize delivery never arrived.
        _gh.SetPullRequest(new FakePullRequest(8, H2, AuthorLogin: "dev"));

        await VerifyAsync(H2, runId: 811);

        Assert.Empty(_gh.Dispatches);
        Assert.Equal(ReasonCodes.HighRiskNoApproval, LastDecision(await ReleaseAsync()).Reason);
        var bound = (await _app.Store.ReadStreamAsync(StreamIds.Repo(RepoRef.Parse(Repo)))).Select(e => e.Data).OfType<ApprovalCommentBound>().Single();
        Assert.Equal((95L, H), (bound.CommentId, bound.HeadSha));
    }

    [Fact]
    public async Task A_decoy_run_never_decides_the_outcome_of_the_dispatch_that_returned_a_run_id()
    {
        await VerifyAsync(S, runId: 805);
        var runId = (await Wait.ForStateAsync(_app.Store, Release, s => s.InFlight?.RunId is not null)).InFlight!.RunId!.Value;

        await _app.PostAsync("workflow_run", Deliveries.Deploy(Repo, 777777, tipSha: S, deployedSha: S, "completed", "failure", @event: "push", branch: "feature"));
        await _app.PostAsync("workflow_run", Deliveries.Deploy(Repo, 777778, tipSha: S, deployedSha: S, "completed", "failure"));
        await Wait.ForOutboxDrainedAsync(_app.Db);
        Assert.Equal(S, (await _app.Store.LoadReleaseStateAsync(Release))!.InFlight?.Sha);
        Assert.Empty(_gh.Issues);

        await _app.PostAsync("workflow_run", Deliveries.Deploy(Repo, runId, tipSha: S, deployedSha: S, "completed", "success"));
        var state = await Wait.ForStateAsync(_app.Store, Release, s => s.ProductionShaCurrent is not null);
        Assert.Equal(S, state.ProductionShaCurrent);
    }

    [Fact]
    public async Task A_failed_deploy_run_re_run_to_success_is_a_success()
    {
        await VerifyAsync(S, runId: 806);
        var runId = (await Wait.ForStateAsync(_app.Store, Release, s => s.InFlight?.RunId is not null)).InFlight!.RunId!.Value;
        await _app.PostAsync("workflow_run", Deliveries.Deploy(Repo, runId, S, S, "completed", "failure"));
        await Wait.ForStateAsync(_app.Store, Release, s => s.LastDeployResult == DeployResult.Failure);

        await _app.PostAsync("workflow_run", Deliveries.Deploy(Repo, runId, S, S, "completed", "success", runAttempt: 2));
        var state = await Wait.ForStateAsync(_app.Store, Release, s => s.ProductionShaCurrent is not null);

        Assert.Equal(S, state.ProductionShaCurrent);
        Assert.Equal(DeployResult.Success, state.LastDeployResult);
        var outcomes = (await ReleaseAsync()).Where(e => e is DeploySucceeded or DeployFailed).ToList();
        Assert.Equal(2, outcomes.Count);
        Assert.Equal(2, Assert.IsType<DeploySucceeded>(outcomes[1]).RunAttempt);
    }

    [Fact]
    public async Task A_hold_placed_after_the_decision_cancels_a_dispatch_github_has_not_confirmed()
    {
        _app.GitHub.InjectFault("POST", $"/repos/{Repo}/actions/workflows/deploy.yml/dispatches", FakeFault.Status(500, "boom"), times: 1000);
        await VerifyAsync(S, runId: 807);
        await _app.GitHub.WaitForRequestAsync(r => r.Path.EndsWith("/dispatches"), Bound);
        await _app.Store.AppendAsync(Release, null, [new HoldPlaced("incident-42", "oncall", null) { At = DateTimeOffset.UtcNow }],
            EventMetadata.ForCli("oncall"));
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.Single(_app.GitHub.RequestsTo("POST", $"/repos/{Repo}/actions/workflows/deploy.yml/dispatches"));
        var cancelled = Assert.Single((await ReleaseAsync()).OfType<DeployDispatchCancelled>());
        Assert.Equal("hold in force: incident-42", cancelled.Reason);
        var state = (await _app.Store.LoadReleaseStateAsync(Release))!;
        Assert.Null(state.InFlight);
        Assert.Contains(_gh.Statuses, s => s.Description?.Contains("incident-42") == true);
    }

    [Fact]
    public async Task Comments_from_outsiders_on_an_issue_trigger_no_evaluation_and_no_github_call()
    {
        HighRisk(H, CommentMode, pr: 8);
        await VerifyAsync(H, runId: 808);
        await _app.GitHub.WaitForRequestAsync(r => r.Path == $"/repos/{Repo}/statuses/{H}", Bound);
        await Wait.ForOutboxDrainedAsync(_app.Db);
        var calls = _app.GitHub.Requests.Count;
        var events = (await ReleaseAsync()).Count;

        for (var i = 0; i < 15; i++)
            await _app.PostAsync("issue_comment", Deliveries.Comment(Repo, 999, $"spam {i}", by: "troll", "NONE", commentId: 1000 + i, action: "created", isPullRequest: false));
        await _app.PostAsync("issue_comment", Deliveries.Comment(Repo, 8, "/approve-release", by: "troll", "NONE", commentId: 2000, action: "created"));
        await _app.PostAsync("issue_comment", Deliveries.Comment(Repo, 8, "looks good", by: "lead", "MEMBER", commentId: 2001, action: "created"));
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.Equal(calls, _app.GitHub.Requests.Count);
        Assert.Equal(events, (await ReleaseAsync()).Count);
    }

    [Fact]
    public async Task Runs_still_queued_or_in_progress_of_other_workflows_cost_no_github_request_and_the_deploy_run_still_starts()
    {
        await VerifyAsync(S, runId: 810);
        var runId = (await Wait.ForStateAsync(_app.Store, Release, s => s.InFlight?.RunId is not null)).InFlight!.RunId!.Value;
        await Wait.ForOutboxDrainedAsync(_app.Db);
        var calls = _app.GitHub.Requests.Count;
        var items = await _app.CountAsync("SELECT count(*) FROM rg_outbox");
        var runs = await _app.CountAsync("SELECT count(*) FROM mt_events WHERE type = 'workflow_run_received'");

        foreach (var action in new[] { "requested", "in_progress" })
        {
            await _app.PostAsync("workflow_run", RunOf("CI", ".github/workflows/ci.yml", H, 900, action));
            await _app.PostAsync("workflow_run", RunOf("Verify main", ".github/workflows/verify-main.yml", H2, 901, action));
        }
        await Wait.ForOutboxDrainedAsync(_app.Db);
        Assert.Equal(calls, _app.GitHub.Requests.Count);
        // Stored, but no work queued for them: the processor would only have marked them done.
        Assert.Equal(runs + 4, await _app.CountAsync("SELECT count(*) FROM mt_events WHERE type = 'workflow_run_received'"));
        Assert.Equal(items, await _app.CountAsync("SELECT count(*) FROM rg_outbox"));

        await _app.PostAsync("workflow_run", Deliveries.Deploy(Repo, runId, S, S, "in_progress", null));
        var started = await Wait.ForStateAsync(_app.Store, Release, s => s.InFlight?.Started == true);
        Assert.Equal(S, started.InFlight!.Sha);
    }

    [Fact]
    public async Task Before_any_config_is_known_a_run_still_in_progress_costs_no_github_request()
    {
        var calls = _app.GitHub.Requests.Count;

        await _app.PostAsync("workflow_run", RunOf("CI", ".github/workflows/ci.yml", H, 902, "requested"));
        await _app.PostAsync("workflow_run", RunOf("CI", ".github/workflows/ci.yml", H, 902, "in_progress"));
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.Equal(calls, _app.GitHub.Requests.Count);
        Assert.Equal(2, await _app.CountAsync("SELECT count(*) FROM mt_events WHERE type = 'workflow_run_received'"));
    }

    private static byte[] RunOf(string name, string path, string sha, long runId, string action)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(Deliveries.Verification(Repo, sha, runId, name: name))!;
        json["action"] = action;
        json["workflow_run"]!["path"] = path;
        json["workflow_run"]!["status"] = action == "requested" ? "queued" : action;
        json["workflow_run"]!["conclusion"] = null;
        return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    [Fact]
    public async Task A_failed_sha_is_held_for_cooldown_then_deployed_again_by_a_re_run_of_its_verification()
    {
        _gh.SetFile(S, ".booty.yml", LabelMode + "  cooldown_minutes: 0\n");
        await VerifyAsync(S, runId: 809);
        var runId = (await Wait.ForStateAsync(_app.Store, Release, s => s.InFlight?.RunId is not null)).InFlight!.RunId!.Value;
        await _app.PostAsync("workflow_run", Deliveries.Deploy(Repo, runId, S, S, "completed", "failure"));
        await Wait.ForStateAsync(_app.Store, Release, s => s.LastDeployResult == DeployResult.Failure);
        await Wait.ForOutboxDrainedAsync(_app.Db);

        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, S, runId: 809, runAttempt: 2));
        await Wait.UntilAsync(() => _gh.Dispatches.Count == 2);

        Assert.All(_gh.Dispatches, d => Assert.Equal(S, d.Inputs["sha"]));
        var requested = (await ReleaseAsync()).OfType<DeployDispatchRequested>().ToList();
        Assert.Equal([1, 2], requested.Select(r => r.Attempt ?? 1));
    }

    private void HighRisk(string sha, string booty, int pr, IReadOnlyList<string>? labels = null)
    {
        _gh.SetFile(sha, ".booty.yml", booty).SetCommit(sha, new FakeChangedFile("db/migrations/007.sql"));
        _gh.SetPullRequestsForCommit(sha, new FakePullRequest(pr, sha, AuthorLogin: "dev", Labels: labels));
    }

    private async Task VerifyAsync(string sha, long runId)
    {
        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, sha, runId));
        await Wait.ForStateAsync(_app.Store, Release, s => s.LastDecision?.Sha == sha);
    }


}
