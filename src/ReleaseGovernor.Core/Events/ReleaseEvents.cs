using ReleaseGovernor.Core.Risk;
namespace ReleaseGovernor.Core.Events;

/// <summary>Every fact the governor stores. Past tense, immutable, stable on disk via <see cref="EventTypes"/>.</summary>
public abstract record ReleaseEvent
{
    private protected ReleaseEvent() { }

    /// <summary>When the fact happened (GitHub's time for webhook facts, the governor's clock for its own).</summary>
    public required DateTimeOffset At { get; init; }
}

// ---- What GitHub said: appended to repo/<owner>/<name> by ingestion ----

/// <summary>A push moved the repository's default branch.</summary>
public sealed record MainAdvanced(string Branch, string Before, string After, string? Pusher, int CommitCount, bool Forced) : ReleaseEvent;

/// <summary>
/// A workflow_run delivery, as received (any workflow, any action). <paramref name="RepositoryFullName"/> is the
/// repository the delivery is for; <paramref name="HeadRepositoryFullName"/> the one the run's code came from (a
/// fork's for a pull request from a fork; null when the payload has none). Events stored before these were read
/// have them null.
/// </summary>
public sealed record WorkflowRunReceived(
    string Action,
    string? WorkflowName,
    string? WorkflowPath,
    long RunId,
    int? RunAttempt,
    string HeadSha,
    string? HeadBranch,
    string? TriggerEvent,
    string? Status,
    string? Conclusion,
    string? DisplayTitle,
    string? HtmlUrl,
    string? DefaultBranch,
    string? RepositoryFullName = null,
    string? HeadRepositoryFullName = null,
    bool? HeadRepositoryFork = null) : ReleaseEvent;

/// <summary>A pull request was labeled (a possible label approval).</summary>
public sealed record PullRequestLabeled(int Number, string Label, string? LabeledBy, string? PullRequestAuthor, string? HeadSha, string? MergeCommitSha) : ReleaseEvent;

/// <summary>A label was removed from a pull request: it revokes a label approval given by that label.</summary>
public sealed record PullRequestUnlabeled(int Number, string Label, string? UnlabeledBy) : ReleaseEvent;

/// <summary>New commits moved a pull request's head: approvals given before it are for the old head only.</summary>
public sealed record PullRequestSynchronized(int Number, string? Before, string? After) : ReleaseEvent;

/// <summary>A comment was created on a pull request or issue (a possible comment approval).</summary>
public sealed record IssueCommentCreated(int Number, bool IsPullRequest, long CommentId, string Body, string? Author, string? AuthorAssociation, string? IssueAuthor) : ReleaseEvent;

/// <summary>
/// The head of the pull request when an approval command on it was processed, as GitHub answered: the approval binds to
/// that commit (and its merge commit), not to later pushes, even when a <c>synchronize</c> delivery was lost.
/// </summary>
public sealed record ApprovalCommentBound(int Number, long CommentId, string HeadSha) : ReleaseEvent;

/// <summary>A comment was edited (<paramref name="Body"/> is the new text) or deleted (null): an approval it gave no longer counts unless the new text is the command.</summary>
public sealed record IssueCommentChanged(int Number, long CommentId, string Action, string? Body, string? By) : ReleaseEvent;

/// <summary>GitHub pinged the webhook (App or hook created).</summary>
public sealed record WebhookPinged(long? HookId, long? AppId, string? Zen) : ReleaseEvent;

/// <summary>The App was installed, removed, suspended or had its repositories changed.</summary>
public sealed record InstallationChanged(string Action, long InstallationId, string? Account, IReadOnlyList<string> Repositories) : ReleaseEvent;

// ---- The governor's own story: appended to release/<owner>/<name>/<environment> ----

/// <summary>The verification workflow finished for a commit on the default branch.</summary>
public sealed record VerificationCompleted(string Sha, long RunId, int? RunAttempt, string Conclusion, string? HtmlUrl) : ReleaseEvent;

/// <summary>
/// A run that looks like the verification workflow but does not count (<paramref name="Reason"/>: fork, event,
/// branch, workflow_path): recorded so history shows it, and it decides nothing.
/// </summary>
public sealed record VerificationIgnored(string Sha, long RunId, int? RunAttempt, string Reason, string Detail, string? HtmlUrl) : ReleaseEvent;

public enum DecisionOutcome { Allow, Hold, Skip }

/// <summary>
/// The decider's verdict for one verified sha, with everything that drove it. <paramref name="Seen"/> is what it was
/// based on (for replay); null in decisions stored before it was recorded.
/// </summary>
public sealed record DeployDecided(
    string Sha,
    DecisionOutcome Outcome,
    string Reason,
    string? Unblock,
    RiskClass? Risk,
    IReadOnlyList<RiskEvidence> Evidence,
    string? ConfigFingerprint,
    IReadOnlyList<string> ApprovalsSeen,
    string? JudgedBy = null,
    string? OnDefaultBranchBy = null,
    Releases.DecisionSeen? Seen = null) : ReleaseEvent;

/// <summary>
/// ALLOW: the deploy workflow must be dispatched for this sha, once per <paramref name="Attempt"/> (1 unless an earlier
/// deploy of the sha failed or was cancelled; null in events stored before attempts were counted means 1).
/// </summary>
public sealed record DeployDispatchRequested(string Sha, string Workflow, string Ref, IReadOnlyDictionary<string, string> Inputs, int? Attempt = null)
    : ReleaseEvent;

public sealed record DeployDispatched(string Sha, int Attempts, long? RunId, string? RunUrl, string? HtmlUrl) : ReleaseEvent;

public sealed record DeployDispatchFailed(string Sha, int Attempts, string Error) : ReleaseEvent;

/// <summary>A dispatch not yet confirmed by GitHub was not sent because a hold came into force after the decision.</summary>
public sealed record DeployDispatchCancelled(string Sha, string Reason, string? HeldBy) : ReleaseEvent;

public sealed record DeployStarted(string Sha, long RunId, string? HtmlUrl) : ReleaseEvent;

/// <summary>The governor's deploy run of the sha succeeded; <paramref name="RunAttempt"/> &gt; 1 is a re-run of that run.</summary>
public sealed record DeploySucceeded(string Sha, long RunId, string? HtmlUrl, int? RunAttempt = null) : ReleaseEvent;

public sealed record DeployFailed(string Sha, long RunId, string Conclusion, string? HtmlUrl, int? RunAttempt = null) : ReleaseEvent;

/// <summary>A deploy run that matched no dispatch of the governor: recorded, never guessed.</summary>
public sealed record DeployRunUnmatched(long RunId, string HeadSha, string? DisplayTitle, string? Conclusion, string? HtmlUrl) : ReleaseEvent;

public sealed record DeployStalled(string Sha, TimeSpan WithoutOutcomeFor) : ReleaseEvent;

public sealed record ApprovalGranted(string Sha, string Via, string Actor) : ReleaseEvent;

public sealed record FailureIssueOpened(string Sha, int IssueNumber, string? RunUrl) : ReleaseEvent;

public sealed record FailureIssueAppended(string Sha, int IssueNumber, string? RunUrl) : ReleaseEvent;

public sealed record CommitStatusPosted(string Sha, string State, string Description, string? TargetUrl) : ReleaseEvent;

public sealed record HoldPlaced(string Reason, string Actor, DateTimeOffset? Until) : ReleaseEvent;

public sealed record HoldLifted(string Actor) : ReleaseEvent;

// ---- Emergency stops: appended to governor/stops ----

/// <summary>Every decision of <paramref name="Scope"/> (<c>all</c> or <c>owner/name</c>) is HOLD <c>emergency_stop</c> until resumed.</summary>
public sealed record EmergencyStopped(string Scope, string Reason, string Actor) : ReleaseEvent;

public sealed record EmergencyResumed(string Scope, string Actor) : ReleaseEvent;

// ---- Freeze windows: appended to the release stream ----

/// <summary>
/// When a freeze window closed, a sha that waited in it was not considered: <paramref name="By"/>, verified later in the
/// window, was. <paramref name="WindowEnd"/> is the end of the window it waited for.
/// </summary>
public sealed record ShaSuperseded(string Sha, string By, DateTimeOffset WindowEnd) : ReleaseEvent;

// ---- Break-glass overrides: appended to the release stream ----

/// <summary>
/// <paramref name="Actor"/> lets one deploy of <paramref name="Sha"/> bypass the soft rules (freeze_window, rate_limit,
/// cooldown, and with <paramref name="IncludeApproval"/> the approval for HIGH risk) until <paramref name="Until"/>.
/// </summary>
public sealed record OverrideGranted(string Sha, string Reason, string Actor, DateTimeOffset? Until, bool IncludeApproval) : ReleaseEvent;

/// <summary>The override was spent on this ALLOW; <paramref name="Bypassed"/> are the reason codes that would have held it.</summary>
public sealed record OverrideUsed(string Sha, string Reason, string Actor, IReadOnlyList<string> Bypassed) : ReleaseEvent;
