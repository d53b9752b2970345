using ReleaseGovernor.GitHub.Api;

namespace ReleaseGovernor.IntegrationTests.GitHub;

/// <summary>The endpoint label of a GitHub request names the REST endpoint, never the repository, sha, number or user in its path.</summary>
public sealed class EndpointTemplateTests
{
    [Theory]
    [InlineData("/repos/acme/shop", "/repos/{owner}/{repo}")]
    [InlineData("/repos/acme/shop/contents/deploy/.booty.yml?ref=abc", "/repos/{owner}/{repo}/contents/{path}")]
    [InlineData("/repos/acme/shop/compare/1111...2222", "/repos/{owner}/{repo}/compare/{basehead}")]
    [InlineData("/repos/acme/shop/commits/6dcb09b5b57875f334f61aebed695e2e4193db5e", "/repos/{owner}/{repo}/commits/{ref}")]
    [InlineData("/repos/acme/shop/commits/6dcb09b5b57875f334f61aebed695e2e4193db5e/pulls?per_page=100", "/repos/{owner}/{repo}/commits/{commit_sha}/pulls")]
    [InlineData("/repos/acme/shop/statuses/6dcb09b5b57875f334f61aebed695e2e4193db5e", "/repos/{owner}/{repo}/statuses/{sha}")]
    [InlineData("/repos/acme/shop/actions/workflows/deploy.yml/dispatches", "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches")]
    [InlineData("/repos/acme/shop/actions/runs/77", "/repos/{owner}/{repo}/actions/runs/{run_id}")]
    [InlineData("/repos/acme/shop/issues/12/comments", "/repos/{owner}/{repo}/issues/{issue_number}/comments")]
    [InlineData("/repos/acme/shop/collaborators/dev/permission", "/repos/{owner}/{repo}/collaborators/{username}/permission")]
    [InlineData("/orgs/acme/teams/ops/memberships/dev", "/orgs/{org}/teams/{team_slug}/memberships/{username}")]
    [InlineData("/app/installations/42/access_tokens", "/app/installations/{installation_id}/access_tokens")]
    [InlineData("/repos/acme/shop/git/refs/heads/main", "other")]
    [InlineData("/users/dev", "other")]
    public void A_path_is_labelled_with_its_endpoint(string path, string template) =>
        Assert.Equal(template, GitHubEndpointTemplate.Of(path));

    [Fact]
    public void A_GitHub_Enterprise_API_root_is_not_part_of_the_endpoint() =>
        Assert.Equal("/repos/{owner}/{repo}/statuses/{sha}", GitHubEndpointTemplate.Of("/api/v3/repos/acme/shop/statuses/abc", "/api/v3/"));
}
