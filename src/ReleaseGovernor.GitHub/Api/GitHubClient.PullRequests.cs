using ReleaseGovernor.Core.Releases;
namespace ReleaseGovernor.GitHub.Api;

public sealed partial class GitHubClient
{
    /// <summary>
    /// All pull requests containing a commit (<c>GET /repos/{o}/{r}/commits/{sha}/pulls</c>); on the default branch
    /// that is the merged PR that brought it in.
    /// </summary>
    public Task<IReadOnlyList<PullRequest>> ListPullRequestsForCommitAsync(RepoRef repo, long? installationId, string sha, CancellationToken ct = default) =>
        GetAllPagesAsync<Octokit.PullRequest, PullRequest>($"{GitHubPaths.Repo(repo)}/commits/{GitHubPaths.Escape(sha)}/pulls?per_page=100",
            installationId, OctokitModels.PullRequest, ct);
}
