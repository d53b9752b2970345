using System.Text.Json;
using System.Text.RegularExpressions;
using Octokit.Webhooks.Events;
using Octokit.Webhooks.Events.DeploymentProtectionRule;
using Octokit.Webhooks.Events.Installation;
using Octokit.Webhooks.Events.IssueComment;
using Octokit.Webhooks.Events.PullRequest;
using Octokit.Webhooks.Events.WorkflowRun;
using Octokit.Webhooks.Models;
using ReleaseGovernor.Core.Commits;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Text;
using ReleaseEvent = ReleaseGovernor.Core.Events.ReleaseEvent;
using RepoRef = ReleaseGovernor.Core.Releases.RepoRef;

namespace ReleaseGovernor.Processing.Ingestion;

/// <summary>
/// Routing is a table: (event, action) → the Octokit.Webhooks model the payload is read into and what to store.
/// Anything not in the table is "ignored" and stores nothing. Pure: bytes in, plan out.
/// </summary>
public static partial class DeliveryRouter
{
    public static readonly IReadOnlyList<string> HandledEvents = ["push", "workflow_run", "pull_request", "issue_comment", "ping", "installation", "deployment_protection_rule"];

    public static RouteResult Route(string gitHubEvent, ReadOnlySpan<byte> body, DateTimeOffset receivedAt)
    {
        if (!HandledEvents.Contains(gitHubEvent)) return new RouteResult.Ignored($"event '{gitHubEvent}' is not one the governor handles");
        if (PayloadProblems.NulCharacter(body) is { } nul) return nul;
        Type? model = null;
        try
        {
            var action = PayloadAction.Of(body);
            model = ModelOf(gitHubEvent, action);
            if (model is null) return new RouteResult.Ignored($"{gitHubEvent} '{action}' is not one the governor handles");
            return PayloadModels.Read(body, model) switch
            {
                PushEvent p => Push(p, receivedAt),
                WorkflowRunEvent p => WorkflowRun(p, receivedAt),
                PullRequestEvent p => PullRequest(p, receivedAt),
                IssueCommentEvent p => IssueComment(p, receivedAt),
                PingEvent p => Ping(p, receivedAt),
                InstallationEvent p => Installation(p, receivedAt),
                DeploymentProtectionRuleEvent p => ProtectionRule(p, receivedAt),
                _ => throw new InvalidOperationException($"no route reads {model.Name}"),
            };
        }
        catch (BadFieldException e)
        {
            return new RouteResult.BadPayload(e.Field, e.Problem);
        }
        catch (JsonException e)
        {
            return PayloadProblems.Describe(e, body, model is null ? null : PayloadModels.TypeInfo(model));
        }
    }

    /// <summary>
    /// The library's model for a route, or null for a route we do not handle. <c>workflow_run</c> and
    /// <c>installation</c> are stored for every action GitHub documents; the library has a model for each of them
    /// and for no other, so a run or installation with an undocumented (or no) action is ignored.
    /// </summary>
    private static Type? ModelOf(string gitHubEvent, string? action) => (gitHubEvent, action) switch
    {
        ("push", _) => typeof(PushEvent),
        ("ping", _) => typeof(PingEvent),
        ("workflow_run", "requested") => typeof(WorkflowRunRequestedEvent),
        ("workflow_run", "in_progress") => typeof(WorkflowRunInProgressEvent),
        ("workflow_run", "completed") => typeof(WorkflowRunCompletedEvent),
        ("pull_request", "labeled") => typeof(PullRequestLabeledEvent),
        ("pull_request", "unlabeled") => typeof(PullRequestUnlabeledEvent),
        ("pull_request", "synchronize") => typeof(PullRequestSynchronizeEvent),
        ("issue_comment", "created") => typeof(IssueCommentCreatedEvent),
        ("issue_comment", "edited") => typeof(IssueCommentEditedEvent),
        ("issue_comment", "deleted") => typeof(IssueCommentDeletedEvent),
        ("installation", "created") => typeof(InstallationCreatedEvent),
        ("installation", "deleted") => typeof(InstallationDeletedEvent),
        ("installation", "suspend") => typeof(InstallationSuspendEvent),
        ("installation", "unsuspend") => typeof(InstallationUnsuspendEvent),
        ("installation", "new_permissions_accepted") => typeof(InstallationNewPermissionsAcceptedEvent),
        ("deployment_protection_rule", "requested") => typeof(DeploymentProtectionRuleRequestedEvent),
        _ => null,
    };

    private static RouteResult Push(PushEvent p, DateTimeOffset at)
    {
        var repo = RequireRepo(p.Repository);
        var branch = DefaultBranch(repo);
        if (branch is null) return new RouteResult.BadPayload("repository.default_branch", "is required to tell a push to the default branch");
        if (!Sha.TryParse(p.After, out var after)) return new RouteResult.BadPayload("after", $"must be a 40-character hex sha, got {SafeText.Quote(p.After)}");
        if (!Sha.TryParse(p.Before, out var before)) return new RouteResult.BadPayload("before", $"must be a 40-character hex sha, got {SafeText.Quote(p.Before)}");
        // A pusher has a name and an email, no login.
        var actor = p.Pusher?.Name ?? Display(p.Sender);
        if (p.Deleted || p.Ref != $"refs/heads/{branch}")
            return Planned(IngestPlan.Acknowledge(repo.FullName, p.Installation?.Id, actor,
                p.Deleted ? $"{p.Ref} was deleted" : $"{p.Ref} is not the default branch {branch}"));
        var e = new MainAdvanced(branch, before.Value, after.Value, actor, p.Commits?.Count ?? 0, p.Forced) { At = at };
        return Planned(new IngestPlan(repo.FullName, p.Installation?.Id, actor, [new(RepoStream(repo), e, false)], null));
    }

    private static RouteResult WorkflowRun(WorkflowRunEvent p, DateTimeOffset at)
    {
        var repo = RequireRepo(p.Repository);
        var run = p.WorkflowRun;
        if (!Sha.TryParse(run.HeadSha, out var head)) return new RouteResult.BadPayload("workflow_run.head_sha", $"must be a 40-character hex sha, got {SafeText.Quote(run.HeadSha)}");
        var e = new WorkflowRunReceived(p.Action!, run.Name ?? p.Workflow?.Name, run.Path ?? p.Workflow?.Path, run.Id, RunAttempt(run),
            head.Value, run.HeadBranch, run.Event, run.Status?.StringValue, run.Conclusion?.StringValue, run.DisplayTitle, run.HtmlUrl,
            DefaultBranch(repo), repo.FullName, run.HeadRepository?.FullName, run.HeadRepository?.Fork) { At = at };
        return Planned(new IngestPlan(repo.FullName, p.Installation?.Id, Display(p.Sender), [new(RepoStream(repo), e, true)], null));
    }

    private static RouteResult PullRequest(PullRequestEvent p, DateTimeOffset at)
    {
        var repo = RequireRepo(p.Repository);
        var pr = p.PullRequest;
        var number = Whole(pr.Number, "pull_request.number");
        ReleaseEvent e = p switch
        {
            PullRequestSynchronizeEvent s => new PullRequestSynchronized(number, Commit(s.Before, "before"), Commit(s.After ?? pr.Head?.Sha, "after")) { At = at },
            PullRequestLabeledEvent { Label: { } label } => new PullRequestLabeled(number, label.Name, Display(p.Sender), Display(pr.User), Commit(pr.Head?.Sha, "pull_request.head.sha"), Commit(pr.MergeCommitSha, "pull_request.merge_commit_sha")) { At = at },
            PullRequestUnlabeledEvent { Label: { } label } => new PullRequestUnlabeled(number, label.Name, Display(p.Sender)) { At = at },
            _ => throw new BadFieldException("label", $"is required on a {p.Action} pull_request"),
        };
        return Planned(new IngestPlan(repo.FullName, p.Installation?.Id, Display(p.Sender), [new(RepoStream(repo), e, true)], null));
    }

    private static RouteResult IssueComment(IssueCommentEvent p, DateTimeOffset at)
    {
        var repo = RequireRepo(p.Repository);
        var number = Whole(p.Issue.Number, "issue.number");
        var comment = p.Comment;
        ReleaseEvent e = p is IssueCommentCreatedEvent
            ? new IssueCommentCreated(number, p.Issue.PullRequest is not null, comment.Id, comment.Body,
                Display(comment.User), comment.AuthorAssociation?.StringValue, Display(p.Issue.User)) { At = at }
            : new IssueCommentChanged(number, comment.Id, p.Action!, p is IssueCommentDeletedEvent ? null : comment.Body, Display(p.Sender)) { At = at };
        return Planned(new IngestPlan(repo.FullName, p.Installation?.Id, Display(p.Sender), [new(RepoStream(repo), e, true)], null));
    }

    /// <summary>
    /// A job waits at an environment for the governor's answer. The environment names the release stream, so it is
    /// checked like every environment name, and it must be the deployment's own; the run id comes from the callback URL,
    /// which must be the review endpoint of a run of this same repository (the answer is sent to the path the governor
    /// builds from the repository and run id, never to the URL as given).
    /// </summary>
    private static RouteResult ProtectionRule(DeploymentProtectionRuleEvent p, DateTimeOffset at)
    {
        var repo = RequireRepo(p.Repository);
        if (Core.Config.EnvironmentNames.Problem(p.Environment) is { } problem)
            return new RouteResult.BadPayload("environment", $"{problem}, got {SafeText.Quote(p.Environment)}");
        if (p.Deployment?.Environment is { } named && !string.Equals(named, p.Environment, StringComparison.OrdinalIgnoreCase))
            return new RouteResult.BadPayload("deployment.environment", $"must be the environment the rule is asked for ({SafeText.Quote(p.Environment)}), got {SafeText.Quote(named)}");
        // GitHub's schema puts the sha and ref in the deployment; captured payloads also carry them at the top level, which
        // the library's model has no member for (extension data). Either will do; two that differ are refused.
        var topSha = TopLevelText(p, "sha");
        var sha = p.Deployment?.Sha ?? topSha;
        if (sha is null) return new RouteResult.BadPayload("deployment.sha", "is required and missing");
        if (!Sha.TryParse(sha, out var commit)) return new RouteResult.BadPayload("deployment.sha", $"must be a 40-character hex sha, got {SafeText.Quote(sha)}");
        if (topSha is not null && !(Sha.TryParse(topSha, out var top) && top == commit))
            return new RouteResult.BadPayload("sha", $"must be the deployment's sha {sha}, got {SafeText.Quote(topSha)}");
        var match = CallbackPattern().Match(p.DeploymentCallbackUrl);
        if (!match.Success || !string.Equals($"{match.Groups["owner"].Value}/{match.Groups["name"].Value}", repo.FullName, StringComparison.OrdinalIgnoreCase)
            || !long.TryParse(match.Groups["run"].Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var runId)
            || runId <= 0)
            return new RouteResult.BadPayload("deployment_callback_url",
                $"must be https://<api host>/repos/{repo.FullName}/actions/runs/<run id>/deployment_protection_rule, got {SafeText.Quote(p.DeploymentCallbackUrl)}");
        if (TopLevelRunId(p) is { } namedRun && namedRun != runId)
            return new RouteResult.BadPayload("workflow_run.id", $"must be the run of deployment_callback_url ({runId}), got {namedRun}");
        var e = new DeploymentProtectionRuleReceived(p.Environment, commit.Value, runId, p.DeploymentCallbackUrl, p.Event,
            p.Deployment?.Ref ?? TopLevelText(p, "ref"), DefaultBranch(repo), Display(p.Sender)) { At = at };
        return Planned(new IngestPlan(repo.FullName, p.Installation?.Id, Display(p.Sender), [new(RepoStream(repo), e, true)], null));
    }

    private static RouteResult Ping(PingEvent p, DateTimeOffset at)
    {
        // The library reads an absent hook_id or hook.id as 0; GitHub's ids start at 1.
        var hookId = p.HookId != 0 ? p.HookId : p.Hook?.Id is { } id and not 0 ? id : (long?)null;
        var stream = p.Installation?.Id is { } installation ? StreamIds.Installation(installation) : StreamIds.Hook(hookId);
        var e = new WebhookPinged(hookId, p.Hook?.AppId, p.Zen) { At = at };
        return Planned(new IngestPlan(p.Repository?.FullName, p.Installation?.Id, Display(p.Sender), [new(stream, e, false)], null));
    }

    private static RouteResult Installation(InstallationEvent p, DateTimeOffset at)
    {
        var installation = p.Installation;
        var repos = (p.Repositories ?? []).Select(r => r.FullName).Concat(RepositoriesAdded(p)).ToList();
        var e = new InstallationChanged(p.Action!, installation.Id, Display(installation.Account), repos) { At = at };
        return Planned(new IngestPlan(null, installation.Id, Display(p.Sender), [new(StreamIds.Installation(installation.Id), e, false)], null));
    }

    /// <summary>
    /// <c>repositories_added</c>, read as before when an installation payload carries it: the library's installation
    /// model has no such member (GitHub sends it on <c>installation_repositories</c>), so it is in the extension data.
    /// </summary>
    private static IEnumerable<string> RepositoriesAdded(InstallationEvent p)
    {
        if (p.AdditionalProperties?.TryGetValue("repositories_added", out var added) != true || added.ValueKind == JsonValueKind.Null) return [];
        if (added.ValueKind != JsonValueKind.Array) throw new BadFieldException("repositories_added", "must be an array");
        return added.EnumerateArray().Select((r, i) =>
            r.ValueKind == JsonValueKind.Object && r.TryGetProperty("full_name", out var name) && name.ValueKind == JsonValueKind.String
                ? name.GetString()!
                : throw new BadFieldException($"repositories_added[{i}].full_name", "is required and missing")).ToList();
    }

    /// <summary>A top-level string the library's model has no member for; a value of another type is refused.</summary>
    private static string? TopLevelText(DeploymentProtectionRuleEvent p, string name) =>
        p.AdditionalProperties?.TryGetValue(name, out var value) != true || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new BadFieldException(name, "must be a string");

    /// <summary><c>workflow_run.id</c> when a payload carries it (extension data: the library's model has no such member).</summary>
    private static long? TopLevelRunId(DeploymentProtectionRuleEvent p) =>
        p.AdditionalProperties?.TryGetValue("workflow_run", out var run) != true || run.ValueKind == JsonValueKind.Null ? null
        : run.ValueKind == JsonValueKind.Object && run.TryGetProperty("id", out var id) && id.TryGetInt64(out var value) ? value
        : throw new BadFieldException("workflow_run.id", "must be a whole number");

    private static RouteResult Planned(IngestPlan plan) => new RouteResult.Planned(plan);

    /// <summary>Old payloads (2016) carry only name/email on owners and pushers.</summary>
    private static string? Display(User? user) => user?.Login ?? user?.Name;

    /// <summary>The default branch as the payload names it (old payloads call it master_branch).</summary>
    private static string? DefaultBranch(Repository repo) => repo.DefaultBranch ?? repo.MasterBranch;

    /// <summary>
    /// The run's attempt, or null when the payload has none: the library reads an absent <c>run_attempt</c> (2021
    /// payloads) as 0, and GitHub counts attempts from 1.
    /// </summary>
    private static int? RunAttempt(WorkflowRun run) => run.RunAttempt == 0 ? null : Whole(run.RunAttempt, "workflow_run.run_attempt");

    /// <summary>The library reads numbers as 64-bit; the events store pull request and issue numbers as 32-bit.</summary>
    private static int Whole(long value, string field) =>
        value is >= int.MinValue and <= int.MaxValue ? (int)value : throw new BadFieldException(field, "must be a whole number, got a number out of range");

    private static Repository RequireRepo(Repository? repo)
    {
        if (repo is null) throw new BadFieldException("repository", "is required and missing");
        return RepositoryNames.IsValid(repo.FullName) ? repo : throw BadFullName(repo.FullName);
    }

    private static string RepoStream(Repository repo) =>
        RepoRef.TryParse(repo.FullName, out var r) ? StreamIds.Repo(r) : throw BadFullName(repo.FullName);

    private static BadFieldException BadFullName(string fullName) =>
        new("repository.full_name", $"must be owner/name (letters, digits, '-', '_' or '.' on each side of one '/'), got {SafeText.Quote(fullName)}");

    /// <summary>An optional sha of the payload in its one spelling; one that is not a sha is a bad payload naming the field.</summary>
    private static string? Commit(string? text, string field) =>
        text is null ? null : Sha.TryParse(text, out var sha) ? sha.Value : throw new BadFieldException(field, $"must be a 40-character hex sha, got {SafeText.Quote(text)}");

    [GeneratedRegex(@"^https://[^/?#\s]+(?:/api/v3)?/repos/(?<owner>[^/?#\s]+)/(?<name>[^/?#\s]+)/actions/runs/(?<run>[0-9]{1,19})/deployment_protection_rule$",
        RegexOptions.CultureInvariant)]
    private static partial Regex CallbackPattern();
}
