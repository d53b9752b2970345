using System.Text.Json.Nodes;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Governor;

/// <summary>End to end: real server, real PostgreSQL, fake GitHub. Deliveries in, dispatches and statuses out.</summary>
public sealed class DeployFlowTests : IAsyncLifetime
{
    private const string Repo = "octo-org/web";
    private const string Booty = "release_governor:\n  enabled: true\n  approval_mode: label\n  approval_label: release:approved\n";
    private const string A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string C = "cccccccccccccccccccccccccccccccccccccccc";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly GovernorApp _app = new();
    private FakeRepo _gh = null!;

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        await _app.WaitReadyAsync();
        _gh = _app.GitHub.Repo("octo-org", "web");
        foreach (var sha in new[] { A, B, C }) _gh.SetFile(sha, ".booty.yml", Booty);
        _gh.OnDefaultBranch(A, B, C);
        _gh.SetPermission("lead", "write");
    }

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task A_low_risk_verified_commit_is_dispatched_once_and_becomes_production_when_the_deploy_succeeds()
    {
        _gh.SetCommit(A, new FakeChangedFile("src/app.cs"));

        await _app.PostAsync("push", Deliveries.Push(Repo, new string('0', 40), A));
        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, A, runId: 100));
        var dispatch = await _app.GitHub.WaitForRequestAsync(r => r.Method == "POST" && r.Path.EndsWith("/dispatches"), Bound);

        Assert.Equal("/repos/octo-org/web/actions/workflows/deploy.yml/dispatches", dispatch.Path);
        Assert.Equal("main", (string?)dispatch.Json!["ref"]);
        Assert.Equal(A, (string?)dispatch.Json!["inputs"]!["sha"]);
        var status = await _app.GitHub.WaitForRequestAsync(r => r.Method == "POST" && r.Path == $"/repos/octo-org/web/statuses/{A}", Bound);
        Assert.Equal("success", (string?)status.Json!["state"]);
        Assert.Equal("Triggered: deploy workflow run", (string?)status.Json!["description"]);
        Assert.Equal("booty/release-governor", (string?)status.Json!["context"]);
        Assert.NotNull((string?)status.Json!["target_url"]);

        var runId = Assert.Single(_gh.Dispatches).RunId!.Value;
        await _app.PostAsync("workflow_run", Deliveries.Deploy(Repo, runId, tipSha: C, deployedSha: A, "completed", "success"));
        var state = await Wait.ForStateAsync(_app.Store, Release, s => s.ProductionShaCurrent is not null);

        Assert.Equal(A, state.ProductionShaCurrent);
        Assert.Equal(DeployResult.Success, state.LastDeployResult);
        Assert.Single(_gh.Dispatches);
        var types = (await _app.Store.ReadStreamAsync(Release)).Select(e => e.Type).ToList();
        Assert.Equal(["verification_completed", "deploy_decided", "deploy_dispatch_requested", "deploy_dispatched", "deploy_succeeded"],
            types.Where(t => t != "commit_status_posted"));
        Assert.Single(types, t => t == "commit_status_posted");
    }

    [Fact]
    public async Task The_same_verification_delivered_twice_and_redelivered_under_a_new_id_dispatches_once()
    {
        _gh.SetCommit(A, new FakeChangedFile("README.md"));
        var body = Deliveries.Verification(Repo, A, runId: 101);

        await _app.PostAsync("workflow_run", body, delivery: "same");
        await _app.PostAsync("workflow_run", body, delivery: "same");
        await _app.GitHub.WaitForRequestAsync(r => r.Path.EndsWith("/dispatches"), Bound);
        await _app.PostAsync("workflow_run", body, delivery: "redelivered-with-new-id");
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.Single(_gh.Dispatches);
        var release = (await _app.Store.ReadStreamAsync(Release)).Select(e => e.Data).ToList();
        Assert.Single(release.OfType<DeployDecided>());
        Assert.Single(release.OfType<VerificationCompleted>());
        Assert.Equal(2, await _app.CountAsync("SELECT count(*) FROM mt_events WHERE type = 'workflow_run_received'"));
    }

    [Fact]
    public async Task A_high_risk_commit_is_held_with_how_to_unblock_and_a_label_approval_dispatches_it()
    {
        _gh.SetCommit(B, new FakeChangedFile(".github/workflows/deploy.yml"));
        _gh.SetPullRequestsForCommit(B, new FakePullRequest(7, B, AuthorLogin: "dev"));

        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, B, runId: 102));
        var held = await _app.GitHub.WaitForRequestAsync(r => r.Path == $"/repos/octo-org/web/statuses/{B}", Bound);

        Assert.Equal("failure", (string?)held.Json!["state"]);
        Assert.Contains("high_risk_no_approval", (string?)held.Json!["description"]);
        Assert.Contains("release:approved", (string?)held.Json!["description"]);
        Assert.Empty(_gh.Dispatches);
        var decided = (await _app.Store.ReadStreamAsync(Release)).Select(e => e.Data).OfType<DeployDecided>().Single();
        Assert.Equal(".github/workflows/deploy.yml", Assert.Single(decided.Evidence).Path);

        _gh.SetPullRequestsForCommit(B, new FakePullRequest(7, B, AuthorLogin: "dev", Labels: ["release:approved"]));
        await _app.PostAsync("pull_request", Deliveries.Labeled(Repo, 7, "release:approved", by: "lead", author: "dev", headSha: B));
        var dispatch = await _app.GitHub.WaitForRequestAsync(r => r.Path.EndsWith("/dispatches"), Bound);

        Assert.Equal(B, (string?)dispatch.Json!["inputs"]!["sha"]);
        var allowed = (await _app.Store.ReadStreamAsync(Release)).Select(e => e.Data).OfType<DeployDecided>().Last();
        Assert.Equal(ReasonCodes.AllowHighApproved, allowed.Reason);
        Assert.Contains("label:lead (write)", allowed.ApprovalsSeen);
    }

    [Fact]
    public async Task In_comment_mode_an_approval_comment_from_a_member_dispatches_and_one_from_a_reader_does_not()
    {
        const string commentMode = "release_governor:\n  enabled: true\n  approval_mode: comment\n  approval_command: /approve-release\n";
        _gh.SetFile(B, ".booty.yml", commentMode).SetCommit(B, new FakeChangedFile("db/migrations/002.sql"));
        _gh.SetPullRequestsForCommit(B, new FakePullRequest(9, B, AuthorLogin: "dev"));
        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, B, runId: 109));
        await _app.GitHub.WaitForRequestAsync(r => r.Path == $"/repos/octo-org/web/statuses/{B}", Bound);

        await _app.PostAsync("issue_comment", Deliveries.Commented(Repo, 9, "/approve-release", by: "visitor", association: "NONE", issueAuthor: "dev"));
        await Wait.ForOutboxDrainedAsync(_app.Db);
        Assert.Empty(_gh.Dispatches);

        await _app.PostAsync("issue_comment", Deliveries.Commented(Repo, 9, "/approve-release", by: "lead", association: "MEMBER", issueAuthor: "dev"));
        var dispatch = await _app.GitHub.WaitForRequestAsync(r => r.Path.EndsWith("/dispatches"), Bound);

        Assert.Equal(B, (string?)dispatch.Json!["inputs"]!["sha"]);
        var allowed = (await _app.Store.ReadStreamAsync(Release)).Select(e => e.Data).OfType<DeployDecided>().Last();
        Assert.Equal(["comment:lead (write)"], allowed.ApprovalsSeen);
    }

    [Fact]
    public async Task A_label_added_by_the_pull_requests_own_author_does_not_approve()
    {
        _gh.SetCommit(B, new FakeChangedFile("db/migrations/001.sql"));
        _gh.SetPullRequestsForCommit(B, new FakePullRequest(8, B, AuthorLogin: "dev", Labels: ["release:approved"]));

        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, B, runId: 103));
        await _app.GitHub.WaitForRequestAsync(r => r.Path == $"/repos/octo-org/web/statuses/{B}", Bound);
        await _app.PostAsync("pull_request", Deliveries.Labeled(Repo, 8, "release:approved", by: "dev", author: "dev", headSha: B));
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.Empty(_gh.Dispatches);
        var last = (await _app.Store.ReadStreamAsync(Release)).Select(e => e.Data).OfType<DeployDecided>().Last();
        Assert.Equal(ReasonCodes.HighRiskNoApproval, last.Reason);
    }

    [Fact]
    public async Task A_failed_deploy_opens_an_issue_and_a_second_failure_of_the_sha_comments_on_it()
    {
        _gh.SetCommit(A, new FakeChangedFile("src/app.cs"));
        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, A, runId: 104));
        var runId = (await Wait.ForStateAsync(_app.Store, Release, s => s.InFlight?.RunId is not null)).InFlight!.RunId!.Value;

        await _app.PostAsync("workflow_run", Deliveries.Deploy(Repo, runId, C, A, "completed", "failure"));
        var issue = await _app.GitHub.WaitForRequestAsync(r => r.Method == "POST" && r.Path == "/repos/octo-org/web/issues", Bound);

        Assert.Contains("deploy-failure", issue.Json!["labels"]!.AsArray().Select(l => (string?)l));
        Assert.Contains("severity:high", issue.Json!["labels"]!.AsArray().Select(l => (string?)l));
        Assert.Contains($"https://github.com/{Repo}/actions/runs/{runId}", (string?)issue.Json!["body"]);
        var state = await Wait.ForStateAsync(_app.Store, Release, s => s.LastDeployResult == DeployResult.Failure);
        Assert.Null(state.ProductionShaCurrent);
        Assert.Contains(state.RecentFailures, f => f.Sha == A);

        await _app.PostAsync("workflow_run", Deliveries.Deploy(Repo, runId + 1000, C, A, "completed", "timed_out"));
        await Wait.ForOutboxDrainedAsync(_app.Db);
        Assert.Single(_gh.Issues);
    }

    [Fact]
    public async Task A_sha_verified_while_a_deploy_is_in_flight_waits_and_is_deployed_when_the_first_ends()
    {
        _gh.SetCommit(A, new FakeChangedFile("src/a.cs"));
        _gh.SetCommit(B, new FakeChangedFile("src/b.cs"));
        _gh.SetCompare(A, B, new FakeCompare("ahead", 1, 0, [new FakeChangedFile("src/b.cs")]));
        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, A, runId: 105));
        await Wait.ForStateAsync(_app.Store, Release, s => s.InFlight?.RunId is not null);

        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, B, runId: 106));
        var waiting = await Wait.ForStateAsync(_app.Store, Release, s => s.WaitingSha is not null);
        Assert.Equal(B, waiting.WaitingSha);
        Assert.Equal(ReasonCodes.DeployInProgress, waiting.LastDecision!.Reason);

        var firstRun = _gh.Dispatches.Single().RunId!.Value;
        await _app.PostAsync("workflow_run", Deliveries.Deploy(Repo, firstRun, C, A, "completed", "success"));
        var second = await _app.GitHub.WaitForRequestAsync(r => r.Path.EndsWith("/dispatches") && (string?)r.Json!["inputs"]!["sha"] == B, Bound);

        var state = await Wait.ForStateAsync(_app.Store, Release, s => s.InFlight?.Sha == B);
        Assert.Equal(2, _gh.Dispatches.Count);
        Assert.Equal(A, state.ProductionShaCurrent);
        Assert.Null(state.WaitingSha);
    }

    [Fact]
    public async Task Dispatch_answered_with_500s_and_a_429_is_retried_and_happens_once()
    {
        _gh.SetCommit(A, new FakeChangedFile("src/app.cs"));
        _app.GitHub.InjectFault("POST", "/repos/octo-org/web/actions/workflows/deploy.yml/dispatches", FakeFault.TooManyRequests(0), times: 1);
        _app.GitHub.InjectFault("POST", "/repos/octo-org/web/actions/workflows/deploy.yml/dispatches", FakeFault.Status(500, "boom"), times: 2);

        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, A, runId: 107));
        await Wait.ForStateAsync(_app.Store, Release, s => s.InFlight?.RunId is not null);
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.Single(_gh.Dispatches);
        Assert.True(_app.GitHub.RequestsTo("POST", "/repos/octo-org/web/actions/workflows/deploy.yml/dispatches").Count >= 3);
        Assert.Single((await _app.Store.ReadStreamAsync(Release)).Select(e => e.Data).OfType<DeployDispatched>());
    }

    [Fact]
    public async Task History_shows_the_push_and_the_verification()
    {
        _gh.SetCommit(A, new FakeChangedFile("src/app.cs"));
        await _app.PostAsync("push", Deliveries.Push(Repo, new string('0', 40), A));
        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, A, runId: 108));
        await Wait.ForStateAsync(_app.Store, Release, s => s.LastDecision is not null);

        var run = await Infrastructure.Booty.RunAsync(_app.ConnectionString, "governor", "history", "--repo", Repo, "--workspace", Infrastructure.Booty.Workspace(Booty), "--json");

        var types = JsonNode.Parse(run.Out)!.AsArray().Select(e => (string?)e!["type"]).ToList();
        Assert.Contains("main_advanced", types);
        Assert.Contains("verification_completed", types);
    }

    private static string Release => StreamIds.Release(RepoRef.Parse(Repo), "production");
}
