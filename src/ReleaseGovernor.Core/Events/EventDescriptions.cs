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
        HealthWatchStarted w => w.Sha,
        HealthCheckPassed p => p.Sha,
        HealthCheckFailed f => f.Sha,
        HealthCheckRefused r => r.Sha,
        ProductionDegraded d => d.Sha,
        ProductionRecovered r => r.Sha,
        RollbackRequested r => r.Sha,
        RollbackHeld h => h.Sha,
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
        HealthWatchStarted w => $"watching production health: {w.Target}, {w.Probes} healthy probe(s) every {w.IntervalSeconds}s, degraded after {w.FailuresToDegrade} failure(s)",
        HealthCheckPassed p => $"health probe {p.Probe} passed: {Health.HealthText.Outcome(p.StatusCode, p.Conclusion, p.LatencyMs, p.Detail)}",
        HealthCheckFailed f => $"health probe {f.Probe} failed: {Health.HealthText.Outcome(f.StatusCode, f.Conclusion, f.LatencyMs, f.Detail)}",
        HealthCheckRefused r => $"health probe {r.Probe} refused, not sent (the watch ends): {r.Reason}",
        ProductionDegraded d => $"production degraded: {d.FailedProbes} consecutive failed probes (last: {d.Evidence.LastOrDefault()})",
        ProductionRecovered r => $"production recovered: probe {r.Probe} healthy after being degraded since {r.DegradedSince:u}",
        RollbackRequested r => $"rolled back to {Short(r.To)} by {r.Actor} ({r.Reason}): {r.Why}; {Short(r.Sha)} is held (rolled_back) until approved again",
        RollbackHeld h => $"rollback{(h.To is { } t ? $" to {Short(t)}" : "")} not dispatched ({h.Reason}): {h.Unblock}",
        _ => EventTypes.NameOf(e),
    };

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;
}
