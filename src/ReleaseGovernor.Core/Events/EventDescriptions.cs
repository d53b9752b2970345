namespace ReleaseGovernor.Core.Events;

/// <summary>One-line descriptions of events for history listings.</summary>
public static class EventDescriptions
{
    /// <summary>The commit an event is about, when it is about one.</summary>
    public static string? ShaOf(ReleaseEvent e) => e switch
    {
        MainAdvanced m => m.After,
        WorkflowRunReceived w => w.HeadSha,
        PullRequestLabeled p => p.HeadSha,
        VerificationCompleted v => v.Sha,
        VerificationIgnored v => v.Sha,
        DeployDispatchCancelled c => c.Sha,
        DeployDecided d => d.Sha,
        DeployDispatchRequested r => r.Sha,
        DeployDispatched d => d.Sha,
        DeployDispatchFailed f => f.Sha,
        DeployStarted s => s.Sha,
        DeploySucceeded s => s.Sha,
        DeployFailed f => f.Sha,
        DeployRunUnmatched u => u.HeadSha,
        DeployStalled s => s.Sha,
        ApprovalGranted a => a.Sha,
        FailureIssueOpened o => o.Sha,
        FailureIssueAppended a => a.Sha,
        CommitStatusPosted c => c.Sha,
        DeploymentProtectionRuleReceived p => p.Sha,
        ProtectionRuleRequested p => p.Sha,
        ProtectionRuleAnswerRequested p => p.Sha,
        ProtectionRuleApproved p => p.Sha,
        ProtectionRuleRejected p => p.Sha,
        ProtectionRuleAnswerFailed p => p.Sha,
        _ => null,
    };

    public static string Summarize(ReleaseEvent e) => e switch
    {
        MainAdvanced m => $"{m.Branch} moved {Short(m.Before)}..{Short(m.After)} ({m.CommitCount} commit(s){(m.Forced ? ", forced" : "")})",
        WorkflowRunReceived w => $"workflow run {w.RunId} '{w.WorkflowName}' {w.Action} {w.Conclusion ?? w.Status}",
        PullRequestLabeled p => $"PR #{p.Number} labeled '{p.Label}' by {p.LabeledBy}",
        IssueCommentCreated c => $"comment on #{c.Number} by {c.Author} ({c.AuthorAssociation})",
        WebhookPinged p => $"ping (hook {p.HookId})",
        InstallationChanged i => $"installation {i.InstallationId} {i.Action}",
        DeliverySweepCompleted d => $"delivery sweep ({d.Trigger}): {d.Recovered} recovered, {d.Failed} failed, {d.Missing} missing of {d.Guids} deliveries",
        VerificationCompleted v => $"verification run {v.RunId} {v.Conclusion}",
        VerificationIgnored v => $"run {v.RunId} ignored as verification ({v.Reason}): {v.Detail}",
        PullRequestUnlabeled p => $"PR #{p.Number} unlabeled '{p.Label}' by {p.UnlabeledBy}",
        PullRequestSynchronized p => $"PR #{p.Number} head moved to {(p.After is { } a ? Short(a) : "?")}",
        ApprovalCommentBound b => $"approval comment {b.CommentId} on #{b.Number} bound to head {Short(b.HeadSha)}",
        IssueCommentChanged c => $"comment {c.CommentId} on #{c.Number} {c.Action} by {c.By}",
        DeployDispatchCancelled c => $"dispatch cancelled: {c.Reason}{(c.HeldBy is { } by ? $" (hold by {by})" : "")}",
        DeployDecided d => $"{d.Outcome.ToString().ToUpperInvariant()} {d.Reason}{(d.Risk is { } r ? $" risk {r.ToString().ToUpperInvariant()}" : "")}"
                           + (d.JudgedBy is { } by ? $", judged by {by}" : ""),
        DeployDispatchRequested r => $"dispatch {r.Workflow} at {r.Ref}",
        DeployDispatched d => $"dispatched{(d.RunId is { } id ? $" run {id}" : "")} after {d.Attempts} attempt(s)",
        DeployDispatchFailed f => $"dispatch failed after {f.Attempts} attempt(s): {f.Error}",
        DeployStarted s => $"deploy run {s.RunId} started",
        DeploySucceeded s => $"deploy run {s.RunId} succeeded",
        DeployFailed f => $"deploy run {f.RunId} {f.Conclusion}",
        DeployRunUnmatched u => $"deploy run {u.RunId} matches no dispatch ('{u.DisplayTitle}')",
        DeployStalled s => $"no outcome for {s.WithoutOutcomeFor.TotalMinutes:0} min",
        ApprovalGranted a => $"approved via {a.Via} by {a.Actor}{(a.Via == "cli" ? " (an operator with database access)" : "")}",
        FailureIssueOpened o => $"failure issue #{o.IssueNumber} opened",
        FailureIssueAppended a => $"failure issue #{a.IssueNumber} appended",
        CommitStatusPosted c => $"commit status {c.State}: {c.Description}",
        HoldPlaced h => $"hold placed by {h.Actor}: {h.Reason}{(h.Until is { } u ? $" until {u:u}" : "")}",
        HoldLifted h => $"hold lifted by {h.Actor}",
        EmergencyStopped s => $"emergency stop of {s.Scope} by {s.Actor}: {s.Reason}",
        EmergencyResumed r => $"emergency stop of {r.Scope} lifted by {r.Actor}",
        ShaSuperseded s => $"superseded by {Short(s.By)} when the freeze window ended at {s.WindowEnd:u}",
        OverrideGranted o => $"override by {o.Actor}: {o.Reason}{(o.IncludeApproval ? " (includes the approval)" : "")}{(o.Until is { } u ? $" until {u:u}" : "")}",
        OverrideUsed u => $"override by {u.Actor} bypassed {string.Join(", ", u.Bypassed)}: {u.Reason}",
        DeploymentProtectionRuleReceived p => $"run {p.RunId} waits at environment '{p.Environment}' (protection rule, {p.TriggerEvent ?? "unknown event"})",
        ProtectionRuleRequested p => $"protection rule request of run {p.RunId} for '{p.Environment}' pending",
        ProtectionRuleAnswerRequested p => $"answering run {p.RunId} for '{p.Environment}': {p.State} ({p.Reason})",
        ProtectionRuleApproved p => $"run {p.RunId} approved for '{p.Environment}'{(p.AlreadyReviewed ? " (GitHub had it reviewed already)" : "")}",
        ProtectionRuleRejected p => $"run {p.RunId} rejected for '{p.Environment}': {p.Reason}{(p.AlreadyReviewed ? " (GitHub had it reviewed already)" : "")}",
        ProtectionRuleAnswerFailed p => $"answer to run {p.RunId} for '{p.Environment}' failed: {p.Error}",
        _ => EventTypes.NameOf(e),
    };

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;
}
