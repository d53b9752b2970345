using ReleaseGovernor.Core.Releases;
using System.Globalization;

namespace ReleaseGovernor.GitHub.Api;

public sealed partial class GitHubClient
{
    /// <summary>All labels of an issue or pull request (PR numbers are issue numbers).</summary>
    public Task<IReadOnlyList<Label>> ListIssueLabelsAsync(RepoRef repo, long? installationId, int number, CancellationToken ct = default) =>
        GetAllPagesAsync<Octokit.Label, Label>($"{IssuePath(repo, number)}/labels?per_page=100", installationId, OctokitModels.Label, ct);

    /// <summary>All comments of an issue or pull request, oldest first.</summary>
    public Task<IReadOnlyList<IssueComment>> ListIssueCommentsAsync(RepoRef repo, long? installationId, int number, CancellationToken ct = default) =>
        GetAllPagesAsync<Octokit.IssueComment, IssueComment>($"{IssuePath(repo, number)}/comments?per_page=100", installationId,
            OctokitModels.Comment, ct);

    /// <summary>
    /// Issues (pull requests left out) with all of <paramref name="labels"/> in <paramref name="state"/>
    /// (open, closed, all); used to find an open failure issue before opening another.
    /// </summary>
    public async Task<IReadOnlyList<Issue>> ListIssuesAsync(RepoRef repo, long? installationId, IReadOnlyList<string> labels,
        string state = "open", CancellationToken ct = default)
    {
        var query = GitHubPaths.Query(("labels", labels.Count == 0 ? null : string.Join(',', labels)), ("state", state), ("per_page", "100"));
        var issues = await GetAllPagesAsync<Octokit.Issue, Issue>($"{GitHubPaths.Repo(repo)}/issues{query}", installationId, OctokitModels.Issue, ct)
            .ConfigureAwait(false);
        return issues.Where(i => !i.IsPullRequest).ToList();
    }

    /// <summary>Opens an issue. Not retried on ambiguous failures (it would open a duplicate).</summary>
    public async Task<Issue> CreateIssueAsync(RepoRef repo, long? installationId, string title, string? body,
        IReadOnlyList<string>? labels = null, CancellationToken ct = default)
    {
        var path = $"{GitHubPaths.Repo(repo)}/issues";
        var response = await PostAsync<Octokit.Issue>(path, new IssueBody(title, body, labels), idempotent: false, installationId, ct)
            .ConfigureAwait(false);
        return OctokitModels.Issue(BodyOf(response, "POST", path));
    }

    /// <summary>Comments on an issue or pull request. Not retried on ambiguous failures.</summary>
    public async Task<IssueComment> CreateIssueCommentAsync(RepoRef repo, long? installationId, int number, string body, CancellationToken ct = default)
    {
        var path = $"{IssuePath(repo, number)}/comments";
        var response = await PostAsync<Octokit.IssueComment>(path, new CommentBody(body), idempotent: false, installationId, ct)
            .ConfigureAwait(false);
        return OctokitModels.Comment(BodyOf(response, "POST", path));
    }

    private static string IssuePath(RepoRef repo, int number) =>
        $"{GitHubPaths.Repo(repo)}/issues/{number.ToString(CultureInfo.InvariantCulture)}";

    private sealed record IssueBody(string Title, string? Body, IReadOnlyList<string>? Labels);

    private sealed record CommentBody(string Body);
}
