
namespace ReleaseGovernor.IntegrationTests.GitHub;

public class PaginationTests : GitHubTestBase
{
    [Fact]
    public async Task Follows_Link_next_until_the_last_page()
    {
        Repo.SetLabels(9, Enumerable.Range(0, 250).Select(i => $"label-{i}").ToArray());

        var labels = await Client().ListIssueLabelsAsync(Shop, InstallationId, 9);

        Assert.Equal(250, labels.Count);
        Assert.Equal("label-249", labels[^1].Name);
        var requests = GitHub.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Equal([null, "2", "3"], requests.Select(r => r.Query("page")));
        Assert.All(requests, r => Assert.Equal("100", r.Query("per_page")));
        Assert.All(requests, r => Assert.Equal($"Bearer {GitHub.Token}", r.Header("Authorization")));
    }

    [Fact]
    public async Task Stops_after_the_page_bound()
    {
        Repo.SetLabels(9, Enumerable.Range(0, 250).Select(i => $"label-{i}").ToArray());

        var labels = await Client(o => o.MaxPages = 2).ListIssueLabelsAsync(Shop, null, 9);

        Assert.Equal(200, labels.Count);
        Assert.Equal(2, GitHub.Requests.Count);
    }

    [Fact]
    public async Task Pages_through_comments_and_pull_requests_too()
    {
        var at = DateTimeOffset.UnixEpoch;
        for (var i = 1; i <= 130; i++) Repo.AddComment(3, new FakeComment(i, $"c{i}", "dave", at));
        Repo.SetPullRequestsForCommit(Sha, Enumerable.Range(1, 101).Select(n => new FakePullRequest(n, Sha)).ToArray());
        var client = Client();

        var comments = await client.ListIssueCommentsAsync(Shop, null, 3);
        var pulls = await client.ListPullRequestsForCommitAsync(Shop, null, Sha);

        Assert.Equal(130, comments.Count);
        Assert.Equal(101, pulls.Count);
        Assert.Equal(4, GitHub.Requests.Count);
    }

    [Fact]
    public async Task Retries_a_failed_page_without_starting_over()
    {
        Repo.SetLabels(9, Enumerable.Range(0, 250).Select(i => $"label-{i}").ToArray());
        GitHub.InjectFault("GET", "/repos/acme/shop/issues/9/labels", FakeFault.Status(500), times: 1, after: 1);

        var labels = await Client().ListIssueLabelsAsync(Shop, null, 9);

        Assert.Equal(250, labels.Count);
        Assert.Equal([null, "2", "2", "3"], GitHub.Requests.Select(r => r.Query("page")));
    }
}
