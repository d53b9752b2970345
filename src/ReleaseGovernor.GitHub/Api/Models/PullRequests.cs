namespace ReleaseGovernor.GitHub.Api;

public sealed record GitHubUser(string Login);

public sealed record Label(string Name);

public sealed record PullRequestHead(string Sha, string? Ref = null);

/// <summary>A pull request as listed for a commit (<c>GET /repos/{o}/{r}/commits/{sha}/pulls</c>).</summary>
public sealed record PullRequest(
    int Number,
    string State,
    GitHubUser? User,
    IReadOnlyList<Label>? Labels,
    DateTimeOffset? MergedAt,
    PullRequestHead Head,
    string? MergeCommitSha = null)
{
    public bool HasLabel(string name) =>
        Labels?.Any(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase)) == true;
}
