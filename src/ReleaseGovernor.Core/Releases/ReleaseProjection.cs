using ReleaseGovernor.Core.Commits;
using ReleaseGovernor.Core.Events;

namespace ReleaseGovernor.Core.Releases;

/// <summary>
/// Evolve: how each event moves the release state. Pure, total and order-safe: a late or repeated
/// delivery never moves the state backwards.
/// </summary>
public static class ReleaseProjection
{
    private static readonly TimeSpan RecentWindow = TimeSpan.FromHours(2);

    public static ReleaseState Fold(IEnumerable<StoredEvent> events) =>
        events.Aggregate(ReleaseState.Initial, (state, e) => Apply(state, e.Data) with { Version = e.Version });

    public static ReleaseState Apply(ReleaseState state, ReleaseEvent e) => Health.HealthProjection.Apply(state, Track(Evolve(state, e), e), e);

    /// <summary>Remembers the run ids of the governor's deploy runs (and of unmatched ones), whatever the state did with the event.</summary>
    private static ReleaseState Track(ReleaseState state, ReleaseEvent e) => e switch
    {
        DeployDispatched { RunId: { } id } d => Remember(state, new KnownRun(id, d.Sha, null)),
        DeployStarted s => Remember(state, new KnownRun(s.RunId, s.Sha, null)),
        DeploySucceeded s => Remember(state, new KnownRun(s.RunId, s.Sha, s.RunAttempt ?? 1)),
        DeployFailed f => Remember(state, new KnownRun(f.RunId, f.Sha, f.RunAttempt ?? 1)),
        DeployRunUnmatched u => Remember(state, new KnownRun(u.RunId, null, null, u.Conclusion)),
        ProtectionRuleAnswerRequested { IsApproval: true } a => Remember(state, new KnownRun(a.RunId, a.Sha, null)),
        _ => state,
    };

    private static ReleaseState Remember(ReleaseState state, KnownRun run)
    {
        var earlier = state.RecentRuns.LastOrDefault(r => r.RunId == run.RunId);
        var merged = earlier is null ? run : run with
        {
            Sha = run.Sha ?? earlier.Sha,
            EndedAttempt = Math.Max(run.EndedAttempt ?? 0, earlier.EndedAttempt ?? 0) is var a and > 0 ? a : null,
            UnmatchedConclusion = run.UnmatchedConclusion ?? earlier.UnmatchedConclusion,
        };
        return state with { RecentRuns = [.. state.RecentRuns.Where(r => r.RunId != run.RunId).TakeLast(ReleaseState.RunWindow - 1), merged] };
    }

    private static ReleaseState Evolve(ReleaseState state, ReleaseEvent e) => e switch
    {
        VerificationCompleted v when v.Conclusion == "success" => state with { LastVerifiedSha = v.Sha },

        DeployDecided d => state with
        {
            LastDecision = new LastDecision(d.Sha, d.Outcome, d.Reason, d.Risk, d.Unblock, d.At, d.JudgedBy),
            WaitingSha = d.Reason == ReasonCodes.DeployInProgress ? d.Sha
                : string.Equals(state.WaitingSha, d.Sha, StringComparison.Ordinal) ? null
                : state.WaitingSha,
            FrozenShas = d.Reason == ReasonCodes.FreezeWindow
                ? [.. Without(state.FrozenShas, d.Sha).TakeLast(ReleaseState.FrozenWindow - 1), d.Sha]
                : Without(state.FrozenShas, d.Sha),
        },

        OverrideGranted o => state with
        {
            Overrides = [.. state.Overrides.Where(g => !Sha.Same(g.Sha, o.Sha)).TakeLast(ReleaseState.OverrideWindow - 1),
                new GrantedOverride(o.Sha, o.Reason, o.Actor, o.At, o.Until, o.IncludeApproval)],
        },

        OverrideUsed u => state with { Overrides = [.. state.Overrides.Where(g => !Sha.Same(g.Sha, u.Sha))] },

        ShaSuperseded s => state with { FrozenShas = Without(state.FrozenShas, s.Sha) },

        DeployDispatchRequested r when !state.AlreadyDispatched(r.Sha) && state.DispatchCount(r.Sha) < (r.Attempt ?? 1) => state with
        {
            DispatchedShas = [.. state.DispatchedShas.TakeLast(ReleaseState.DispatchWindow - 1), r.Sha],
            RetryableShas = [.. Without(state.RetryableShas, r.Sha).Where(s => state.DispatchedShas.TakeLast(ReleaseState.DispatchWindow - 1)
                .Contains(s, StringComparer.Ordinal))],
            RecentDispatches = [.. state.RecentDispatches.Where(t => t > r.At - RecentWindow), r.At],
            LastDeployAttemptSha = r.Sha,
            LastDeployTime = r.At,
            LastDeployResult = DeployResult.Pending,
            InFlight = new InFlightDeploy(r.Sha, r.At, null, null, false),
            DeployHistory = Prepend(state.DeployHistory, new DeployHistoryEntry(r.Sha, r.At, "pending", null, null)),
        },

        DeployDispatched d when IsInFlight(state, d.Sha) => state with
        {
            InFlight = state.InFlight! with { RunId = d.RunId ?? state.InFlight.RunId, HtmlUrl = d.HtmlUrl ?? state.InFlight.HtmlUrl },
            DeployHistory = UpdateHistory(state.DeployHistory, d.Sha, h => h with { RunId = d.RunId ?? h.RunId, HtmlUrl = d.HtmlUrl ?? h.HtmlUrl }),
        },

        DeployDispatchFailed f when IsInFlight(state, f.Sha) => Ended(state, f.Sha, f.At, DeployResult.Failure, "dispatch_failed", null, null),

        DeployStarted s when IsInFlight(state, s.Sha) => state with
        {
            InFlight = state.InFlight! with { RunId = s.RunId, HtmlUrl = s.HtmlUrl ?? state.InFlight.HtmlUrl, Started = true },
        },

        DeploySucceeded s when IsInFlight(state, s.Sha) => Ended(state, s.Sha, s.At, DeployResult.Success, "success", s.RunId, s.HtmlUrl) with
        {
            ProductionShaPrevious = state.ProductionShaCurrent,
            ProductionShaCurrent = s.Sha,
            LastHealthCheck = s.At,
        },

        // A re-run of the governor's own deploy run of an earlier sha deploys that sha again, and a deploy marked stalled
        // that succeeds after all did deploy it: production says so.
        DeploySucceeded s when state.DispatchCount(s.Sha) > 0 && (s.RunAttempt > 1 || LastResultOf(state, s.Sha) == "stalled") => state with
        {
            RetryableShas = Without(state.RetryableShas, s.Sha),
            ProductionShaPrevious = string.Equals(state.ProductionShaCurrent, s.Sha, StringComparison.Ordinal)
                ? state.ProductionShaPrevious : state.ProductionShaCurrent,
            ProductionShaCurrent = s.Sha,
            LastDeployResult = DeployResult.Success,
            LastDeployTime = s.At,
            LastHealthCheck = s.At,
            DeployHistory = UpdateHistory(state.DeployHistory, s.Sha, h => h with { Result = "success", At = s.At, RunId = s.RunId, HtmlUrl = s.HtmlUrl ?? h.HtmlUrl }),
        },

        DeployFailed f when IsInFlight(state, f.Sha) => Ended(state, f.Sha, f.At, DeployResult.Failure, f.Conclusion, f.RunId, f.HtmlUrl),

        DeployDispatchCancelled c when IsInFlight(state, c.Sha) => state with
        {
            InFlight = null,
            RetryableShas = [.. Without(state.RetryableShas, c.Sha), c.Sha],
            DeployHistory = UpdateHistory(state.DeployHistory, c.Sha, h => h with { Result = "cancelled", At = c.At }),
        },

        DeployStalled s when IsInFlight(state, s.Sha) => Ended(state, s.Sha, s.At, DeployResult.Failure, "stalled", state.InFlight!.RunId, state.InFlight.HtmlUrl),

        ApprovalGranted a => state with { Approvals = [.. state.Approvals.TakeLast(ReleaseState.ApprovalWindow - 1), new Approval(a.Sha, a.Via, a.Actor, a.At)] },

        HoldPlaced h => state with { Hold = new ActiveHold(h.Reason, h.Actor, h.At, h.Until) },

        HoldLifted => state with { Hold = null },

        ProtectionRuleRequested r when !state.KnowsProtectionRun(r.RunId) => state with
        {
            ProtectionRequests = [.. state.ProtectionRequests.TakeLast(ReleaseState.ProtectionWindow - 1),
                new ProtectionRequest(r.RunId, r.Sha, r.Environment, r.At, r.TriggerEvent)],
        },

        // An approval is this environment's deploy of the sha: counted like a dispatch, in flight with the run's id.
        ProtectionRuleAnswerRequested a when Pending(state, a.RunId) is { Answer: null } => Approving(Answering(state, a), a),

        ProtectionRuleApproved a => Answered(state, a.RunId),
        ProtectionRuleRejected r => Answered(state, r.RunId),
        ProtectionRuleAnswerFailed f when Pending(state, f.RunId) is { Answer: ProtectionRuleAnswerRequested.Approved } && IsInFlight(state, f.Sha) =>
            Answered(Ended(state, f.Sha, f.At, DeployResult.Failure, "answer_failed", f.RunId, null), f.RunId),
        ProtectionRuleAnswerFailed f => Answered(state, f.RunId),

        _ => state,
    };

    private static ProtectionRequest? Pending(ReleaseState state, long runId) => state.ProtectionRequests.FirstOrDefault(p => p.RunId == runId);

    private static ReleaseState Answering(ReleaseState state, ProtectionRuleAnswerRequested a) => state with
    {
        ProtectionRequests = [.. state.ProtectionRequests.Select(p => p.RunId == a.RunId ? p with { Answer = a.State, Reason = a.Reason } : p)],
    };

    private static ReleaseState Approving(ReleaseState state, ProtectionRuleAnswerRequested a)
    {
        if (!a.IsApproval) return state;
        var attempt = state.DispatchCount(a.Sha) + 1;
        var requested = Evolve(state, new DeployDispatchRequested(a.Sha, "", "", new Dictionary<string, string>(), attempt) { At = a.At });
        return ReferenceEquals(requested, state) ? state : Evolve(requested, new DeployDispatched(a.Sha, attempt, a.RunId, null, null) { At = a.At });
    }

    private static ReleaseState Answered(ReleaseState state, long runId) => state with
    {
        ProtectionRequests = [.. state.ProtectionRequests.Where(p => p.RunId != runId)],
        AnsweredRuns = state.AnsweredRuns.Contains(runId) ? state.AnsweredRuns : [.. state.AnsweredRuns.TakeLast(ReleaseState.ProtectionWindow - 1), runId],
    };


    private static bool IsInFlight(ReleaseState state, string sha) =>
        state.InFlight is { } f && string.Equals(f.Sha, sha, StringComparison.Ordinal);

    private static ReleaseState Ended(ReleaseState state, string sha, DateTimeOffset at, DeployResult result, string label, long? runId, string? url) =>
        state with
        {
            InFlight = null,
            LastDeployResult = result,
            LastDeployTime = at,
            RecentFailures = result == DeployResult.Failure
                ? [.. state.RecentFailures.Where(f => f.At > at - TimeSpan.FromDays(1)), new Failure(sha, at)]
                : state.RecentFailures,
            RetryableShas = result == DeployResult.Failure ? [.. Without(state.RetryableShas, sha), sha] : state.RetryableShas,
            DeployHistory = UpdateHistory(state.DeployHistory, sha, h => h with { Result = label, At = at, RunId = runId ?? h.RunId, HtmlUrl = url ?? h.HtmlUrl }),
        };

    private static string? LastResultOf(ReleaseState state, string sha) =>
        state.DeployHistory.FirstOrDefault(h => string.Equals(h.Sha, sha, StringComparison.Ordinal))?.Result;

    private static IReadOnlyList<string> Without(IReadOnlyList<string> shas, string sha) =>
        [.. shas.Where(s => !string.Equals(s, sha, StringComparison.Ordinal))];

    private static IReadOnlyList<DeployHistoryEntry> Prepend(IReadOnlyList<DeployHistoryEntry> history, DeployHistoryEntry entry) =>
        [entry, .. history.Take(ReleaseState.HistoryLimit - 1)];

    private static IReadOnlyList<DeployHistoryEntry> UpdateHistory(
        IReadOnlyList<DeployHistoryEntry> history, string sha, Func<DeployHistoryEntry, DeployHistoryEntry> change)
    {
        var index = history.ToList().FindIndex(h => string.Equals(h.Sha, sha, StringComparison.Ordinal));
        if (index < 0) return history;
        var copy = history.ToList();
        copy[index] = change(copy[index]);
        return copy;
    }
}
