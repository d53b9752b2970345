using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using ReleaseGovernor.Core.Text;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Server.Webhooks.Payloads;

namespace ReleaseGovernor.Server.Webhooks;

/// <summary>
/// Routing is a table: (event, action) → what to store. Anything not in the table is "ignored" and
/// stores nothing. Pure: bytes in, plan out.
/// </summary>
public static partial class DeliveryRouter
{
    public static readonly IReadOnlyList<string> HandledEvents = ["push", "workflow_run", "pull_request", "issue_comment", "ping", "installation"];

    public static RouteResult Route(string gitHubEvent, ReadOnlySpan<byte> body, DateTimeOffset receivedAt)
    {
        if (HandledEvents.Contains(gitHubEvent) && PayloadProblems.NulCharacter(body) is { } nul) return nul;
        try
        {
            return gitHubEvent switch
            {
                "push" => Push(Parse(body, WebhookJsonContext.Default.PushPayload), receivedAt),
                "workflow_run" => WorkflowRun(Parse(body, WebhookJsonContext.Default.WorkflowRunPayload), receivedAt),
                "pull_request" => PullRequest(Parse(body, WebhookJsonContext.Default.PullRequestPayload), receivedAt),
                "issue_comment" => IssueComment(Parse(body, WebhookJsonContext.Default.IssueCommentPayload), receivedAt),
                "ping" => Ping(Parse(body, WebhookJsonContext.Default.PingPayload), receivedAt),
                "installation" => Installation(Parse(body, WebhookJsonContext.Default.InstallationPayload), receivedAt),
                _ => new RouteResult.Ignored($"event '{gitHubEvent}' is not one the governor handles"),
            };
        }
        catch (BadFieldException e)
        {
            return new RouteResult.BadPayload(e.Field, e.Problem);
        }
        catch (JsonException e)
        {
            return PayloadProblems.Describe(e, body, RootType(gitHubEvent));
        }
    }

    private static JsonTypeInfo RootType(string gitHubEvent) => gitHubEvent switch
    {
        "push" => WebhookJsonContext.Default.PushPayload,
        "workflow_run" => WebhookJsonContext.Default.WorkflowRunPayload,
        "pull_request" => WebhookJsonContext.Default.PullRequestPayload,
        "issue_comment" => WebhookJsonContext.Default.IssueCommentPayload,
        "ping" => WebhookJsonContext.Default.PingPayload,
        _ => WebhookJsonContext.Default.InstallationPayload,
    };

    private static RouteResult Push(PushPayload p, DateTimeOffset at)
    {
        var repo = RequireRepo(p);
        var branch = repo.EffectiveDefaultBranch;
        if (branch is null) return new RouteResult.BadPayload("repository.default_branch", "is required to tell a push to the default branch");
        if (!ShaPattern().IsMatch(p.After)) return new RouteResult.BadPayload("after", $"must be a 40-character hex sha, got {SafeText.Quote(p.After)}");
        if (!ShaPattern().IsMatch(p.Before)) return new RouteResult.BadPayload("before", $"must be a 40-character hex sha, got {SafeText.Quote(p.Before)}");
        var actor = p.Pusher?.Display ?? p.Sender?.Display;
        if (p.Deleted || p.Ref != $"refs/heads/{branch}")
            return Planned(IngestPlan.Acknowledge(repo.FullName, p.Installation?.Id, actor,
                p.Deleted ? $"{p.Ref} was deleted" : $"{p.Ref} is not the default branch {branch}"));
        var e = new MainAdvanced(branch, p.Before, p.After, actor, p.Commits?.Count ?? 0, p.Forced) { At = at };
        return Planned(new IngestPlan(repo.FullName, p.Installation?.Id, actor, [new(RepoStream(repo), e, false)], null));
    }

    private static RouteResult WorkflowRun(WorkflowRunPayload p, DateTimeOffset at)
    {
        var repo = RequireRepo(p);
        var run = p.WorkflowRun;
        if (!ShaPattern().IsMatch(run.HeadSha)) return new RouteResult.BadPayload("workflow_run.head_sha", $"must be a 40-character hex sha, got {SafeText.Quote(run.HeadSha)}");
        var e = new WorkflowRunReceived(p.Action ?? "unknown", run.Name ?? p.Workflow?.Name, run.Path ?? p.Workflow?.Path, run.Id, run.RunAttempt,
            run.HeadSha.ToLowerInvariant(), run.HeadBranch, run.Event, run.Status, run.Conclusion, run.DisplayTitle, run.HtmlUrl,
            repo.EffectiveDefaultBranch, repo.FullName, run.HeadRepository?.FullName, run.HeadRepository?.Fork) { At = at };
        return Planned(new IngestPlan(repo.FullName, p.Installation?.Id, p.Sender?.Display, [new(RepoStream(repo), e, true)], null));
    }

    private static RouteResult PullRequest(PullRequestPayload p, DateTimeOffset at)
    {
        if (p.Action is not ("labeled" or "unlabeled" or "synchronize"))
            return new RouteResult.Ignored($"pull_request '{p.Action}' is not one the governor handles");
        var repo = RequireRepo(p);
        var pr = p.PullRequest;
        ReleaseEvent e;
        if (p.Action == "synchronize")
            e = new PullRequestSynchronized(pr.Number, p.Before, p.After ?? pr.Head?.Sha) { At = at };
        else if (p.Label is null)
            return new RouteResult.BadPayload("label", $"is required on a {p.Action} pull_request");
        else if (p.Action == "labeled")
            e = new PullRequestLabeled(pr.Number, p.Label.Name, p.Sender?.Display, pr.User?.Display, pr.Head?.Sha, pr.MergeCommitSha) { At = at };
        else
            e = new PullRequestUnlabeled(pr.Number, p.Label.Name, p.Sender?.Display) { At = at };
        return Planned(new IngestPlan(repo.FullName, p.Installation?.Id, p.Sender?.Display, [new(RepoStream(repo), e, true)], null));
    }

    private static RouteResult IssueComment(IssueCommentPayload p, DateTimeOffset at)
    {
        if (p.Action is not ("created" or "edited" or "deleted"))
            return new RouteResult.Ignored($"issue_comment '{p.Action}' is not one the governor handles");
        var repo = RequireRepo(p);
        ReleaseEvent e = p.Action == "created"
            ? new IssueCommentCreated(p.Issue.Number, p.Issue.PullRequest is not null, p.Comment.Id, p.Comment.Body,
                p.Comment.User?.Display, p.Comment.AuthorAssociation, p.Issue.User?.Display) { At = at }
            : new IssueCommentChanged(p.Issue.Number, p.Comment.Id, p.Action, p.Action == "deleted" ? null : p.Comment.Body, p.Sender?.Display) { At = at };
        return Planned(new IngestPlan(repo.FullName, p.Installation?.Id, p.Sender?.Display, [new(RepoStream(repo), e, true)], null));
    }

    private static RouteResult Ping(PingPayload p, DateTimeOffset at)
    {
        var hookId = p.HookId ?? p.Hook?.Id;
        var stream = p.Installation?.Id is { } id ? StreamIds.Installation(id) : StreamIds.Hook(hookId);
        var e = new WebhookPinged(hookId, p.Hook?.AppId, p.Zen) { At = at };
        return Planned(new IngestPlan(p.Repository?.FullName, p.Installation?.Id, p.Sender?.Display, [new(stream, e, false)], null));
    }

    private static RouteResult Installation(InstallationPayload p, DateTimeOffset at)
    {
        var repos = (p.Repositories ?? []).Concat(p.RepositoriesAdded ?? []).Select(r => r.FullName).ToList();
        var e = new InstallationChanged(p.Action ?? "unknown", p.Installation.Id, p.Installation.Account?.Display, repos) { At = at };
        return Planned(new IngestPlan(null, p.Installation.Id, p.Sender?.Display, [new(StreamIds.Installation(p.Installation.Id), e, false)], null));
    }

    private static RouteResult Planned(IngestPlan plan) => new RouteResult.Planned(plan);

    private static Repository RequireRepo(WebhookPayload p)
    {
        var repo = p.Repository ?? throw new BadFieldException("repository", "is required and missing");
        return RepositoryNames.IsValid(repo.FullName) ? repo : throw BadFullName(repo.FullName);
    }

    private static string RepoStream(Repository repo) =>
        RepoRef.TryParse(repo.FullName, out var r) ? StreamIds.Repo(r) : throw BadFullName(repo.FullName);

    private static BadFieldException BadFullName(string fullName) =>
        new("repository.full_name", $"must be owner/name (letters, digits, '-', '_' or '.' on each side of one '/'), got {SafeText.Quote(fullName)}");

    private static T Parse<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(body, type) ?? throw new JsonException("The body is JSON null; expected an object.");

    [GeneratedRegex("^[0-9a-fA-F]{40}$", RegexOptions.CultureInvariant)]
    private static partial Regex ShaPattern();
}
