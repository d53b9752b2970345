using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Governor;

/// <summary>
/// Who may approve: GitHub's answer about the approver's permission (and team membership with <c>approvers</c>), a count
/// of distinct approvers, and neither the pull request's author nor the sha's pusher — tried with real payload shapes.
/// </summary>
public sealed class ApproverTests : GovernedRepoTests
{
    private const string CommentMode = "release_governor:\n  enabled: true\n  approval_mode: comment\n";
    private const string LabelMode = "release_governor:\n  enabled: true\n  approval_mode: label\n";
    private const string H = "4444444444444444444444444444444444444444";

    protected override void Arrange()
    {
        _gh.SetPermission("reader", "read").SetPermission("helper", "read", "triage").SetPermission("writer", "write")
            .SetPermission("lead", "write", "maintain").SetPermission("ops", "admin").SetPermission("dev", "write").SetPermission("pusher", "write");
    }

    [Fact]
    public async Task A_read_only_members_comment_does_not_approve_and_the_status_says_why_and_a_writers_does()
    {
        await HeldAsync(CommentMode);

        await _app.PostAsync("issue_comment", Deliveries.Comment(Repo, 8, "/approve-release", by: "reader", "MEMBER", commentId: 1, action: "created"));
        await Wait.ForOutboxDrainedAsync(_app.Db);
        Assert.Empty(_gh.Dispatches);
        var status = await _app.Store.LoadReleaseStateAsync(Release);
        Assert.Contains("reader has read access; an approver needs write", status!.LastDecision!.Unblock);

        await _app.PostAsync("issue_comment", Deliveries.Comment(Repo, 8, "/approve-release", by: "writer", "COLLABORATOR", commentId: 2, action: "created"));
        await _app.GitHub.WaitForRequestAsync(r => r.Path.EndsWith("/dispatches"), Bound);
        Assert.Contains("comment:writer (write)", LastDecision(await ReleaseAsync()).ApprovalsSeen);
    }

    [Fact]
    public async Task A_triage_users_label_does_not_approve()
    {
        await HeldAsync(LabelMode, labels: ["release:approved"]);

        await _app.PostAsync("pull_request", Deliveries.Labeled(Repo, 8, "release:approved", by: "helper", author: "dev", headSha: H));
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.Empty(_gh.Dispatches);
        Assert.Contains("helper has triage access; an approver needs write", LastDecision(await ReleaseAsync()).Unblock);
    }

    [Fact]
    public async Task With_approvers_a_team_writer_outside_the_team_is_refused_and_a_team_member_counts()
    {
        _app.GitHub.SetTeam("acme", "release-managers", "lead");
        await HeldAsync(CommentMode + "  approvers: [acme/release-managers]\n");

        await _app.PostAsync("issue_comment", Deliveries.Comment(Repo, 8, "/approve-release", by: "writer", "MEMBER", commentId: 3, action: "created"));
        await Wait.ForOutboxDrainedAsync(_app.Db);
        Assert.Empty(_gh.Dispatches);
        Assert.Contains("writer is not in approvers (acme/release-managers)", LastDecision(await ReleaseAsync()).Unblock);

        await _app.PostAsync("issue_comment", Deliveries.Comment(Repo, 8, "/approve-release", by: "lead", "MEMBER", commentId: 4, action: "created"));
        await _app.GitHub.WaitForRequestAsync(r => r.Path.EndsWith("/dispatches"), Bound);
    }

    [Fact]
    public async Task Required_approvals_2_needs_two_distinct_people()
    {
        await HeldAsync(CommentMode + "  required_approvals: 2\n");

        await _app.PostAsync("issue_comment", Deliveries.Comment(Repo, 8, "/approve-release", by: "lead", "MEMBER", commentId: 5, action: "created"));
        await _app.PostAsync("issue_comment", Deliveries.Comment(Repo, 8, "/approve-release", by: "lead", "MEMBER", commentId: 6, action: "created"));
        await Wait.ForOutboxDrainedAsync(_app.Db);
        Assert.Empty(_gh.Dispatches);
        Assert.Contains("1 of 2 required approvals (lead)", LastDecision(await ReleaseAsync()).Unblock);

        await _app.PostAsync("issue_comment", Deliveries.Comment(Repo, 8, "/approve-release", by: "ops", "OWNER", commentId: 7, action: "created"));
        await _app.GitHub.WaitForRequestAsync(r => r.Path.EndsWith("/dispatches"), Bound);
        Assert.Equal(["comment:lead (maintain)", "comment:ops (admin)"], LastDecision(await ReleaseAsync()).ApprovalsSeen);
    }

    [Fact]
    public async Task The_pull_requests_author_and_the_shas_pusher_cannot_approve()
    {
        await _app.PostAsync("push", Deliveries.Push(Repo, new string('0', 40), H, pusher: "pusher"));
        await HeldAsync(CommentMode);

        await _app.PostAsync("issue_comment", Deliveries.Comment(Repo, 8, "/approve-release", by: "dev", "COLLABORATOR", commentId: 8, action: "created"));
        await _app.PostAsync("issue_comment", Deliveries.Comment(Repo, 8, "/approve-release", by: "pusher", "COLLABORATOR", commentId: 9, action: "created"));
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.Empty(_gh.Dispatches);
        var unblock = LastDecision(await ReleaseAsync()).Unblock;
        Assert.Contains("comment:dev (write) (the pull request's author", unblock);
        Assert.Contains("comment:pusher (write) (pushed this sha to the default branch", unblock);
    }

    [Fact]
    public async Task A_failing_permission_lookup_leaves_the_approval_pending_and_retried_never_counted()
    {
        await HeldAsync(CommentMode);
        _app.GitHub.InjectFault("GET", $"/repos/{Repo}/collaborators/lead/permission", FakeFault.Status(502, "bad gateway"), times: 1000);

        await _app.PostAsync("issue_comment", Deliveries.Comment(Repo, 8, "/approve-release", by: "lead", "MEMBER", commentId: 10, action: "created"));
        await Wait.UntilAsync(() => _app.GitHub.RequestsTo("GET", $"/repos/{Repo}/collaborators/lead/permission").Count >= 2 * 5);

        Assert.Empty(_gh.Dispatches);
        Assert.Equal(ReasonCodes.HighRiskNoApproval, LastDecision(await ReleaseAsync()).Reason);
        Assert.True(await _app.CountAsync("SELECT count(*) FROM rg_outbox WHERE kind = 'evaluate' AND completed_at IS NULL AND attempts >= 2") >= 1,
            "the evaluation is retried");
    }

    /// <summary>A HIGH-risk sha of pull request #8 by dev, verified on main and held for approval.</summary>
    private async Task HeldAsync(string booty, IReadOnlyList<string>? labels = null)
    {
        _gh.SetFile(H, ".booty.yml", booty).SetCommit(H, new FakeChangedFile("db/migrations/009.sql")).OnDefaultBranch(H);
        _gh.SetPullRequestsForCommit(H, new FakePullRequest(8, H, AuthorLogin: "dev", Labels: labels));
        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, H, runId: 950));
        await Wait.ForStateAsync(_app.Store, Release, s => s.LastDecision?.Reason == ReasonCodes.HighRiskNoApproval);
        await Wait.ForOutboxDrainedAsync(_app.Db);
    }

}
