namespace ReleaseGovernor.GitHub.Api;

/// <summary>Octokit's response models as ours: only the fields ReleaseGovernor reads, enums as GitHub's strings.</summary>
internal static class OctokitModels
{
    public static Label Label(Octokit.Label label) => new(label.Name);

    public static GitHubUser? User(Octokit.User? user) => user is null ? null : new GitHubUser(user.Login);

    public static IssueComment Comment(Octokit.IssueComment comment) =>
        new(comment.Id, comment.Body, User(comment.User), comment.AuthorAssociation.StringValue, comment.CreatedAt);

    public static Issue Issue(Octokit.Issue issue) =>
        new(issue.Number, issue.HtmlUrl, issue.Title, issue.State.StringValue, Labels(issue.Labels), IsPullRequest: issue.PullRequest is not null);

    public static PullRequest PullRequest(Octokit.PullRequest pull) =>
        new(pull.Number, pull.State.StringValue, User(pull.User), Labels(pull.Labels), pull.MergedAt,
            new PullRequestHead(pull.Head?.Sha ?? "", pull.Head?.Ref), pull.MergeCommitSha);

    public static WorkflowRun Run(Octokit.WorkflowRun run) =>
        new(run.Id, run.Name, run.DisplayTitle, run.HeadSha, run.HeadBranch, run.Status.StringValue, run.Conclusion?.StringValue,
            run.HtmlUrl, run.Path, run.Event, run.RunAttempt > 0 ? (int)run.RunAttempt : null, run.CreatedAt);

    public static IReadOnlyList<ChangedFile> Files(IReadOnlyList<Octokit.GitHubCommitFile>? files) =>
        (files ?? []).Select(f => new ChangedFile(f.Filename, f.Status, f.PreviousFileName)).ToList();

    private static IReadOnlyList<Label> Labels(IReadOnlyList<Octokit.Label>? labels) => (labels ?? []).Select(Label).ToList();
}
