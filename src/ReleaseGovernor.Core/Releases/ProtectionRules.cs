using ReleaseGovernor.Core.Commits;
using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;

namespace ReleaseGovernor.Core.Releases;

/// <summary>
/// Custom deployment protection rules (<c>trigger_mode: protection_rule</c>), pure: which pending requests of a release
/// stream a decision answers, and how. The rules are the decider's; this only turns its verdict into answers. An ALLOW
/// approves the newest pending request of the sha instead of dispatching; a HOLD that can clear (approval, freeze, rate
/// limit, cooldown, deploy in progress, stop, hold) leaves it pending; a HOLD that cannot clear for this sha rejects it.
/// A request never gets a second answer: only requests without one are answered.
/// </summary>
public static class ProtectionRules
{
    /// <summary>GitHub's limit on the comment of a review.</summary>
    public const int MaxCommentLength = 1024;

    /// <summary>Verdicts (HOLD or skip) no approval, thaw or finished deploy can change for this sha: the request is rejected.</summary>
    public static readonly IReadOnlyList<string> Unclearable =
    [
        ReasonCodes.VerificationFailed, ReasonCodes.NotAheadOfProduction, ReasonCodes.NotOnDefaultBranch,
        ReasonCodes.DeployNotConfigured, ReasonCodes.ConfigInvalid, ReasonCodes.AlreadyDispatched, ReasonCodes.Disabled,
    ];

    /// <summary>
    /// A request received: stored pending (once per run), and older undecided requests of the environment for another sha
    /// are rejected as superseded by it. Nothing when the run's request is known already (a redelivery).
    /// </summary>
    public static IReadOnlyList<ReleaseEvent> Receive(ReleaseState state, ProtectionRuleRequested request)
    {
        if (state.KnowsProtectionRun(request.RunId)) return [];
        var superseded = state.ProtectionRequests
            .Where(p => p.Answer is null && !Sha.Same(p.Sha, request.Sha))
            .Select(p => Answer(p, ProtectionRuleAnswerRequested.Rejected, ReasonCodes.Superseded,
                $"ReleaseGovernor: REJECTED {ReasonCodes.Superseded}: run {request.RunId} asked to deploy {Short(request.Sha)} to this environment after this run; that newer request is the one decided.",
                request.At));
        return NotFromTheDefaultBranch(request) is { } why
            ? [request, .. superseded, Answer(Pending(request), ProtectionRuleAnswerRequested.Rejected, ReasonCodes.NotOnDefaultBranch,
                $"ReleaseGovernor: REJECTED {ReasonCodes.NotOnDefaultBranch}: {why}; only a run of a commit on the default branch deploys. Merge the change, then let the push to the default branch deploy it.",
                request.At)]
            : [request, .. superseded];
    }

    /// <summary>
    /// Why a request can never be approved, told by the request alone: a run started by a pull request (a fork's code, or
    /// code not merged), or a deployment of another branch than the default branch.
    /// </summary>
    public static string? NotFromTheDefaultBranch(ProtectionRuleRequested request) =>
        request.TriggerEvent is { } e && e.StartsWith("pull_request", StringComparison.Ordinal)
            ? $"the run was started by a {e} event"
            : request.Ref is { } r && request.DefaultBranch is { } branch && DeployRuns.BranchName(r) != branch
                ? $"the deployment is of ref '{r}', not the default branch '{branch}'"
                : null;

    private static ProtectionRequest Pending(ProtectionRuleRequested r) => new(r.RunId, r.Sha, r.Environment, r.At, r.TriggerEvent);

    /// <summary>
    /// The decider's result for <paramref name="input"/>'s sha with the pending requests of the sha answered;
    /// <paramref name="state"/> is the state it was decided on. Unchanged when nothing is pending and the mode is dispatch.
    /// </summary>
    public static DecisionResult Apply(ReleaseState state, DecisionInput input, DecisionResult result)
    {
        var pending = state.ProtectionRequests.Where(p => p.Answer is null && Sha.Same(p.Sha, input.Sha)).ToList();
        var mode = input.Config is ConfigLoadResult.Loaded { Config: var config } ? config.TriggerMode : (TriggerMode?)null;
        if (mode == TriggerMode.Dispatch)
            return pending.Count == 0 ? result : result with { Events = [.. result.Events, .. InDispatchMode(state, pending, input.Now)] };
        if (mode is null && pending.Count == 0) return result;

        // Verification still running: nothing decided yet; the verification's completion decides the request.
        if (result.Decision.Reason == ReasonCodes.VerificationFailed && input.VerificationConclusion == UnblockHints.NotRecorded)
            return new DecisionResult([], new Decision(DecisionOutcome.Skip, ReasonCodes.AwaitingVerification,
                $"waiting for the verification of {Short(input.Sha)} to finish; the request is answered then", result.Decision.Risk));

        var decided = result.Events.OfType<DeployDecided>().SingleOrDefault();
        switch (result.Decision.Outcome)
        {
            case DecisionOutcome.Allow when pending.Count > 0:
            {
                var newest = pending[^1];
                var approve = Answer(newest, ProtectionRuleAnswerRequested.Approved, result.Decision.Reason, ApprovalComment(result.Decision, decided), input.Now);
                return result with
                {
                    Events = [.. result.Events.Where(e => e is not DeployDispatchRequested), .. SupersededBy(pending.SkipLast(1), newest, input.Now), approve],
                };
            }
            case DecisionOutcome.Allow:
                // No request waits for this sha: nothing deploys it now. The override stays unspent.
                return result with { Events = [.. result.Events.Where(e => e is not (DeployDispatchRequested or OverrideUsed))] };
            case DecisionOutcome.Hold or DecisionOutcome.Skip when Unclearable.Contains(result.Decision.Reason):
                return result with
                {
                    Events = [.. result.Events, .. pending.Select(p => Answer(p, ProtectionRuleAnswerRequested.Rejected, result.Decision.Reason,
                        RejectionComment(result.Decision), input.Now))],
                };
            default:
                return result;
        }
    }

    /// <summary>
    /// With <c>trigger_mode: dispatch</c> the governor deploys by dispatch: the run it dispatched itself is approved when its
    /// job reaches an environment with the rule; a run of the sha whose dispatch GitHub has not confirmed yet waits (the
    /// dispatch's record decides it again); any other run is rejected and told how to turn the mode on.
    /// </summary>
    private static IEnumerable<ReleaseEvent> InDispatchMode(ReleaseState state, IReadOnlyList<ProtectionRequest> pending, DateTimeOffset now)
    {
        foreach (var p in pending)
        {
            if (state.RecentRuns.Any(r => r.RunId == p.RunId && r.Sha is { } sha && Sha.Same(sha, p.Sha)))
                yield return Answer(p, ProtectionRuleAnswerRequested.Approved, ReasonCodes.DispatchedByGovernor,
                    $"ReleaseGovernor: ALLOW {ReasonCodes.DispatchedByGovernor}: run {p.RunId} is the governor's own dispatch of {Short(p.Sha)}, decided when it was dispatched.", now);
            else if (state.InFlight is { RunId: null } f && Sha.Same(f.Sha, p.Sha))
                continue;
            else
                yield return Answer(p, ProtectionRuleAnswerRequested.Rejected, ReasonCodes.TriggerModeDispatch,
                    $"ReleaseGovernor: REJECTED {ReasonCodes.TriggerModeDispatch}: the release_governor block judging {Short(p.Sha)} says trigger_mode: dispatch, so the governor deploys by dispatching the deploy workflow. Set trigger_mode: protection_rule, or remove the rule from this environment.",
                    now);
        }
    }

    /// <summary>What GitHub shows with an approval: the reason code, the risk, the approvals that counted and which config judged.</summary>
    public static string ApprovalComment(Decision decision, DeployDecided? decided)
    {
        var risk = decision.Risk is { } r ? r.ToString().ToUpperInvariant() : "unknown";
        var approvals = decided is { ApprovalsSeen.Count: > 0 } ? string.Join(", ", decided.ApprovalsSeen) : "none needed";
        var judged = decided?.JudgedBy is { } by ? $" Judged by {by}." : "";
        return Truncate($"ReleaseGovernor: ALLOW {decision.Reason} (risk {risk}). Approvals: {approvals}.{judged}");
    }

    /// <summary>What GitHub shows with a rejection: the reason code and what to do.</summary>
    public static string RejectionComment(Decision decision) =>
        Truncate($"ReleaseGovernor: REJECTED {decision.Reason}{(decision.Unblock is { Length: > 0 } u ? $": {u}" : "")}");

    private static IEnumerable<ReleaseEvent> SupersededBy(IEnumerable<ProtectionRequest> older, ProtectionRequest newest, DateTimeOffset now) =>
        older.Select(p => Answer(p, ProtectionRuleAnswerRequested.Rejected, ReasonCodes.Superseded,
            $"ReleaseGovernor: REJECTED {ReasonCodes.Superseded}: run {newest.RunId} deploys the same sha to this environment.", now));

    private static ProtectionRuleAnswerRequested Answer(ProtectionRequest p, string state, string reason, string comment, DateTimeOffset at) =>
        new(p.Environment, p.Sha, p.RunId, state, reason, Truncate(comment)) { At = at };

    private static string Truncate(string text) =>
        text.Length <= MaxCommentLength ? text : string.Concat(text.AsSpan(0, MaxCommentLength - 1), "…");


    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;
}
