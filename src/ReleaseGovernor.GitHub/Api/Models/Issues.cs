namespace ReleaseGovernor.GitHub.Api;

/// <summary>An issue comment (also used for pull request conversation comments).</summary>
public sealed record IssueComment(long Id, string? Body, GitHubUser? User, string? AuthorAssociation, DateTimeOffset CreatedAt);

/// <summary>An issue. GitHub's issue lists include pull requests; <see cref="IsPullRequest"/> is true for those.</summary>
public sealed record Issue(
    int Number,
    string HtmlUrl,
    string? Title = null,
    string? State = null,
    IReadOnlyList<Label>? Labels = null,
    bool IsPullRequest = false);
