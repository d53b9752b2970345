namespace ReleaseGovernor.Server.Webhooks.Payloads;

public sealed record PushPayload : WebhookPayload
{
    public required string Ref { get; init; }
    public required string Before { get; init; }
    public required string After { get; init; }
    public bool Forced { get; init; }
    public bool Deleted { get; init; }
    public bool Created { get; init; }
    public Account? Pusher { get; init; }
    public IReadOnlyList<object>? Commits { get; init; }
}

public sealed record WorkflowRun
{
    public required long Id { get; init; }
    public required string HeadSha { get; init; }
    public string? Name { get; init; }
    public string? Path { get; init; }
    public string? HeadBranch { get; init; }
    public string? Event { get; init; }
    public string? Status { get; init; }
    public string? Conclusion { get; init; }
    public string? DisplayTitle { get; init; }
    public string? HtmlUrl { get; init; }
    public int? RunAttempt { get; init; }

    /// <summary>The repository the run's code came from: a fork's for a pull request from a fork.</summary>
    public HeadRepository? HeadRepository { get; init; }
}

public sealed record HeadRepository
{
    public string? FullName { get; init; }
    public bool? Fork { get; init; }
}

public sealed record WorkflowRef
{
    public string? Name { get; init; }
    public string? Path { get; init; }
}

public sealed record WorkflowRunPayload : WebhookPayload
{
    public required WorkflowRun WorkflowRun { get; init; }
    public WorkflowRef? Workflow { get; init; }
}

public sealed record PullRequestHead
{
    public string? Sha { get; init; }
}

public sealed record PullRequest
{
    public required int Number { get; init; }
    public Account? User { get; init; }
    public PullRequestHead? Head { get; init; }
    public string? MergeCommitSha { get; init; }
}

public sealed record PullRequestPayload : WebhookPayload
{
    public required PullRequest PullRequest { get; init; }
    public Label? Label { get; init; }

    /// <summary>On <c>synchronize</c>: the head before and after the push.</summary>
    public string? Before { get; init; }
    public string? After { get; init; }
}

public sealed record Issue
{
    public required int Number { get; init; }
    public Account? User { get; init; }

    /// <summary>Present only when the issue is a pull request.</summary>
    public object? PullRequest { get; init; }
}

public sealed record Comment
{
    public required long Id { get; init; }
    public required string Body { get; init; }
    public Account? User { get; init; }
    public string? AuthorAssociation { get; init; }
}

public sealed record IssueCommentPayload : WebhookPayload
{
    public required Issue Issue { get; init; }
    public required Comment Comment { get; init; }
}

public sealed record Hook
{
    public long? Id { get; init; }
    public long? AppId { get; init; }
}

public sealed record PingPayload : WebhookPayload
{
    public string? Zen { get; init; }
    public long? HookId { get; init; }
    public Hook? Hook { get; init; }
}

public sealed record InstallationDetails
{
    public required long Id { get; init; }
    public Account? Account { get; init; }
}

public sealed record RepositoryName
{
    public required string FullName { get; init; }
}

public sealed record InstallationPayload : WebhookPayload
{
    public new required InstallationDetails Installation { get; init; }
    public IReadOnlyList<RepositoryName>? Repositories { get; init; }
    public IReadOnlyList<RepositoryName>? RepositoriesAdded { get; init; }
    public IReadOnlyList<RepositoryName>? RepositoriesRemoved { get; init; }
}
