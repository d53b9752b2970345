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

    /// <summary>One pull request (<c>GET /repos/{o}/{r}/pulls/{number}</c>), or null when GitHub knows none.</summary>
    public async Task<PullRequest?> GetPullRequestAsync(RepoRef repo, long? installationId, int number, CancellationToken ct = default) =>
        await GetOrNullAsync<Octokit.PullRequest>($"{GitHubPaths.Repo(repo)}/pulls/{number}", installationId, ct).ConfigureAwait(false) is { } pull
            ? OctokitModels.PullRequest(pull)
            : null;
}
