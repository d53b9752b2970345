namespace ReleaseGovernor.Core.Events;

/// <summary>
/// The stable on-disk name of every event type. Renaming a C# type never breaks stored rows:
/// the name here is what the <c>type</c> column holds.
/// </summary>
public static class EventTypes
{
    private static readonly (Type Type, string Name)[] Map =
    [
        (typeof(MainAdvanced), "main_advanced"),
        (typeof(WorkflowRunReceived), "workflow_run_received"),
        (typeof(PullRequestLabeled), "pull_request_labeled"),
        (typeof(IssueCommentCreated), "issue_comment_created"),
        (typeof(WebhookPinged), "webhook_pinged"),
        (typeof(InstallationChanged), "installation_changed"),
        (typeof(VerificationCompleted), "verification_completed"),
        (typeof(DeployDecided), "deploy_decided"),
        (typeof(DeployDispatchRequested), "deploy_dispatch_requested"),
        (typeof(DeployDispatched), "deploy_dispatched"),
        (typeof(DeployDispatchFailed), "deploy_dispatch_failed"),
        (typeof(DeployStarted), "deploy_started"),
        (typeof(DeploySucceeded), "deploy_succeeded"),
        (typeof(DeployFailed), "deploy_failed"),
        (typeof(DeployRunUnmatched), "deploy_run_unmatched"),
        (typeof(DeployStalled), "deploy_stalled"),
        (typeof(ApprovalGranted), "approval_granted"),
        (typeof(FailureIssueOpened), "failure_issue_opened"),
        (typeof(FailureIssueAppended), "failure_issue_appended"),
        (typeof(CommitStatusPosted), "commit_status_posted"),
        (typeof(HoldPlaced), "hold_placed"),
        (typeof(HoldLifted), "hold_lifted"),
        (typeof(VerificationIgnored), "verification_ignored"),
        (typeof(PullRequestUnlabeled), "pull_request_unlabeled"),
        (typeof(PullRequestSynchronized), "pull_request_synchronized"),
        (typeof(IssueCommentChanged), "issue_comment_changed"),
        (typeof(DeployDispatchCancelled), "deploy_dispatch_cancelled"),
        (typeof(ApprovalCommentBound), "approval_comment_bound"),
        (typeof(EmergencyStopped), "emergency_stopped"),
        (typeof(EmergencyResumed), "emergency_resumed"),
        (typeof(ShaSuperseded), "sha_superseded"),
        (typeof(OverrideGranted), "override_granted"),
        (typeof(OverrideUsed), "override_used"),
        (typeof(DeliverySweepCompleted), "delivery_sweep_completed"),
        (typeof(HealthWatchStarted), "health_watch_started"),
        (typeof(HealthCheckPassed), "health_check_passed"),
        (typeof(HealthCheckFailed), "health_check_failed"),
        (typeof(HealthCheckRefused), "health_check_refused"),
        (typeof(ProductionDegraded), "production_degraded"),
        (typeof(ProductionRecovered), "production_recovered"),
        (typeof(RollbackRequested), "rollback_requested"),
        (typeof(RollbackHeld), "rollback_held"),
        (typeof(DeploymentProtectionRuleReceived), "deployment_protection_rule_received"),
        (typeof(ProtectionRuleRequested), "protection_rule_requested"),
        (typeof(ProtectionRuleAnswerRequested), "protection_rule_answer_requested"),
        (typeof(ProtectionRuleApproved), "protection_rule_approved"),
        (typeof(ProtectionRuleRejected), "protection_rule_rejected"),
        (typeof(ProtectionRuleAnswerFailed), "protection_rule_answer_failed"),
    ];

    private static readonly Dictionary<Type, string> NamesByType = Map.ToDictionary(m => m.Type, m => m.Name);
    private static readonly Dictionary<string, Type> TypesByName = Map.ToDictionary(m => m.Name, m => m.Type);

    public static IEnumerable<string> AllNames => TypesByName.Keys;

    public static string NameOf(ReleaseEvent e) => NameOf(e.GetType());

    public static string NameOf(Type type) =>
        NamesByType.TryGetValue(type, out var name)
            ? name
            : throw new InvalidOperationException($"{type.Name} has no stored name; add it to {nameof(EventTypes)}.");

    public static Type? TypeOf(string name) => TypesByName.GetValueOrDefault(name);
}
