using ReleaseGovernor.Core.Releases;
namespace ReleaseGovernor.GitHub.Api;

public sealed partial class GitHubClient
{
    /// <summary>
    /// Sets a commit status (<c>POST /repos/{o}/{r}/statuses/{sha}</c>). The description is cut to 140 characters
    /// (<see cref="CommitStatus.Truncate"/>). Repeating the same status is harmless, so it is retried like a read.
    /// </summary>
    public async Task CreateCommitStatusAsync(RepoRef repo, long? installationId, string sha, CommitState state,
        string? description, string? targetUrl, string context, CancellationToken ct = default)
    {
        var body = new StatusBody(state, CommitStatus.Truncate(description), targetUrl, context);
        await PostAsync<object>($"{GitHubPaths.Repo(repo)}/statuses/{GitHubPaths.Escape(sha)}", body, idempotent: true, installationId, ct)
            .ConfigureAwait(false);
    }

    private sealed record StatusBody(CommitState State, string? Description, string? TargetUrl, string Context);
}
