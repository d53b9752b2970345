
namespace ReleaseGovernor.IntegrationTests.GitHub;

public class PullRequestAndIssueTests : GitHubTestBase
{
    [Fact]
    public async Task Lists_pull_requests_for_a_commit()
    {
        var merged = new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);
        Repo.SetPullRequestsForCommit(Sha, new FakePullRequest(17, "abc123", "closed", "alice", ["release:approved", "infra"], merged));

        var pulls = await Client().ListPullRequestsForCommitAsync(Shop, InstallationId, Sha);

        var request = Assert.Single(GitHub.Requests);
        Assert.Equal($"/repos/acme/shop/commits/{Sha}/pulls", request.Path);
        Assert.Equal("100", request.Query("per_page"));
        var pr = Assert.Single(pulls);
        Assert.Equal(17, pr.Number);
        Assert.Equal("closed", pr.State);
        Assert.Equal("alice", pr.User!.Login);
        Assert.Equal(["release:approved", "infra"], pr.Labels!.Select(l => l.Name));
        Assert.True(pr.HasLabel("RELEASE:APPROVED"));
        Assert.Equal(merged, pr.MergedAt);
        Assert.Equal("abc123", pr.Head.Sha);
    }

    [Fact]
    public async Task Lists_labels_of_an_issue()
    {
        Repo.SetLabels(17, "release:approved", "bug");

        var labels = await Client().ListIssueLabelsAsync(Shop, InstallationId, 17);

        Assert.Equal("/repos/acme/shop/issues/17/labels", Assert.Single(GitHub.Requests).Path);
        Assert.Equal(["release:approved", "bug"], labels.Select(l => l.Name));
    }

    [Fact]
    public async Task Lists_comments_with_author_and_association()
    {
        var at = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        Repo.AddComment(17, new FakeComment(2, "/approve-deploy", "bob", at.AddMinutes(1), "MEMBER"));
        Repo.AddComment(17, new FakeComment(1, "looks good", "carol", at, "CONTRIBUTOR"));

        var comments = await Client().ListIssueCommentsAsync(Shop, InstallationId, 17);

        Assert.Equal("/repos/acme/shop/issues/17/comments", Assert.Single(GitHub.Requests).Path);
        Assert.Equal([1L, 2L], comments.Select(c => c.Id));
        Assert.Equal("/approve-deploy", comments[1].Body);
        Assert.Equal("bob", comments[1].User!.Login);
        Assert.Equal("MEMBER", comments[1].AuthorAssociation);
        Assert.Equal(at.AddMinutes(1), comments[1].CreatedAt);
    }

    [Fact]
    public async Task Creates_an_issue_and_finds_it_by_label_leaving_out_pull_requests()
    {
        Repo.AddIssue(new FakeIssue(1, "Unrelated PR", null, "open", ["deploy-failure"], IsPullRequest: true));
        var client = Client();

        var created = await client.CreateIssueAsync(Shop, InstallationId, "Deploy failed for 6dcb09b", "Run 77 failed.",
            ["deploy-failure", "release-governor"]);
        var found = await client.ListIssuesAsync(Shop, InstallationId, ["deploy-failure", "release-governor"]);

        var post = GitHub.Requests[0];
        Assert.Equal("/repos/acme/shop/issues", post.Path);
        Assert.Equal("Deploy failed for 6dcb09b", (string?)post.Json!["title"]);
        Assert.Equal("Run 77 failed.", (string?)post.Json["body"]);
        Assert.Equal(2, created.Number);
        Assert.Equal("https://github.com/acme/shop/issues/2", created.HtmlUrl);

        var list = GitHub.Requests[1];
        Assert.Equal("deploy-failure,release-governor", list.Query("labels"));
        Assert.Equal("open", list.Query("state"));
        var issue = Assert.Single(found);
        Assert.Equal(2, issue.Number);
        Assert.False(issue.IsPullRequest);
    }

    [Fact]
    public async Task Comments_on_an_issue()
    {
        var comment = await Client().CreateIssueCommentAsync(Shop, InstallationId, 5, "Deploy of 6dcb09b failed again.");

        var request = Assert.Single(GitHub.Requests);
        Assert.Equal("/repos/acme/shop/issues/5/comments", request.Path);
        Assert.Equal("Deploy of 6dcb09b failed again.", (string?)request.Json!["body"]);
        Assert.Equal("Deploy of 6dcb09b failed again.", comment.Body);
        Assert.Single(Repo.Comments(5));
    }
}
