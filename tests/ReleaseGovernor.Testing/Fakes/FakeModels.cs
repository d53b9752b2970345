namespace ReleaseGovernor.Testing.Fakes;

public sealed record FakeChangedFile(string Filename, string Status = "modified", string? PreviousFilename = null);

public sealed record FakeCompare(string Status, int AheadBy, int BehindBy, IReadOnlyList<FakeChangedFile> Files);

public sealed record FakePullRequest(
    int Number,
    string HeadSha,
    string State = "closed",
    string AuthorLogin = "octocat",
    IReadOnlyList<string>? Labels = null,
    DateTimeOffset? MergedAt = null,
    string? MergeCommitSha = null);

public sealed record FakeComment(long Id, string Body, string Login, DateTimeOffset CreatedAt, string AuthorAssociation = "MEMBER");

public sealed record FakeIssue(int Number, string Title, string? Body, string State, IReadOnlyList<string> Labels, bool IsPullRequest = false);

/// <summary>A workflow run. <see cref="WorkflowFile"/> is the file name (deploy.yml); the path is derived.</summary>
public sealed record FakeRun(
    long Id,
    string WorkflowFile,
    string HeadSha,
    DateTimeOffset CreatedAt,
    string Event = "push",
    string? Name = "Deploy",
    string? DisplayTitle = null,
    string? HeadBranch = "main",
    string? Status = "completed",
    string? Conclusion = "success",
    int RunAttempt = 1)
{
    public string Path => $".github/workflows/{WorkflowFile}";
}

public sealed record FakeStatus(string Sha, string State, string? Description, string? TargetUrl, string? Context);

public sealed record FakeDispatch(string WorkflowFile, string Ref, IReadOnlyDictionary<string, string> Inputs, long? RunId);

public sealed record FakeInstallationToken(long InstallationId, string Token, DateTimeOffset ExpiresAt);

/// <summary>Claims of an app JWT the fake accepted.</summary>
public sealed record FakeAppJwt(string Issuer, string Algorithm, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

/// <summary>A review of a run's deployment protection rule: <see cref="State"/> null for a progress note.</summary>
public sealed record FakeProtectionReview(long RunId, string Environment, string? State, string? Comment);
