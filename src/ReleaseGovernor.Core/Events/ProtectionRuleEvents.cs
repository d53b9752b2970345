namespace ReleaseGovernor.Core.Events;

// ---- Custom deployment protection rules (trigger_mode: protection_rule) ----

/// <summary>
/// What GitHub said (repo stream): a job of run <paramref name="RunId"/> reached environment <paramref name="Environment"/>
/// and waits for the governor's answer about the deployment of <paramref name="Sha"/>. <paramref name="TriggerEvent"/> is
/// the event that started the run; <paramref name="Ref"/> the deployment's ref. The run id is read from
/// <paramref name="CallbackUrl"/>, which must name the same repository.
/// </summary>
public sealed record DeploymentProtectionRuleReceived(string Environment, string Sha, long RunId, string CallbackUrl, string? TriggerEvent,
    string? Ref, string? DefaultBranch, string? Sender) : ReleaseEvent;

/// <summary>The request, stored in the release stream of its environment: pending until answered.</summary>
public sealed record ProtectionRuleRequested(string Environment, string Sha, long RunId, string? TriggerEvent, string? Ref, string? DefaultBranch = null)
    : ReleaseEvent;

/// <summary>
/// The decision to answer the request of run <paramref name="RunId"/>: <paramref name="State"/> is <c>approved</c> or
/// <c>rejected</c>, <paramref name="Reason"/> the reason code, <paramref name="Comment"/> what GitHub shows with it.
/// An approval starts the deploy (the run is the deploy run, matched by its id).
/// </summary>
public sealed record ProtectionRuleAnswerRequested(string Environment, string Sha, long RunId, string State, string Reason, string Comment)
    : ReleaseEvent
{
    public const string Approved = "approved";
    public const string Rejected = "rejected";

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsApproval => State == Approved;
}

/// <summary>GitHub took the approval (204), or said the run was already reviewed (<paramref name="AlreadyReviewed"/>: a 422).</summary>
public sealed record ProtectionRuleApproved(string Environment, string Sha, long RunId, string Comment, bool AlreadyReviewed = false) : ReleaseEvent;

/// <summary>GitHub took the rejection (204), or said the run was already reviewed (<paramref name="AlreadyReviewed"/>: a 422).</summary>
public sealed record ProtectionRuleRejected(string Environment, string Sha, long RunId, string Reason, string Comment, bool AlreadyReviewed = false)
    : ReleaseEvent;

/// <summary>GitHub refused the answer for good (or the tries ran out): the run stays waiting on GitHub's side.</summary>
public sealed record ProtectionRuleAnswerFailed(string Environment, string Sha, long RunId, string State, string Error) : ReleaseEvent;
