using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Risk;

namespace ReleaseGovernor.Core.Replay;

/// <summary>
/// What-if of a config change (<c>booty governor replay</c>): every recorded decision in range is decided again by the
/// pure <see cref="Decider"/> with the proposed config, on the state the stream had just before it and on what it saw
/// (<see cref="DecisionSeen"/>). History is not rewritten: later decisions are judged on the state that really followed
/// (a deploy that would have been held still counts as dispatched for the rate limit). Reads only; appends nothing.
/// </summary>
public static class DecisionReplay
{
    /// <param name="streams">Release streams, each with its events in stream order.</param>
    /// <param name="proposed">The proposed config, loaded as the server would (file and RELEASE_GOVERNOR_* overrides).</param>
    /// <param name="since">Decisions at or after this instant are replayed.</param>
    public static ReplayReport Run(IEnumerable<(string StreamId, IReadOnlyList<StoredEvent> Events)> streams, ConfigLoadResult proposed,
        DateTimeOffset since)
    {
        var changes = new List<ReplayChange>();
        int replayed = 0, notRecorded = 0;
        foreach (var (streamId, events) in streams)
        {
            var state = ReleaseState.Initial;
            foreach (var e in events)
            {
                if (e.Data is DeployDecided d && d.At >= since)
                {
                    if (d.Seen is { } seen)
                    {
                        replayed++;
                        if (Replay(streamId, e, d, seen, state, proposed) is { } change) changes.Add(change);
                    }
                    else
                    {
                        notRecorded++;
                    }
                }
                state = ReleaseProjection.Apply(state, e.Data);
            }
        }
        changes.Sort((a, b) => b.At.CompareTo(a.At));
        var summary = new ReplaySummary(
            replayed, notRecorded, changes.Count,
            changes.Count(c => c is { WasOutcome: DecisionOutcome.Allow, WouldOutcome: DecisionOutcome.Hold }),
            changes.Count(c => c is { WasOutcome: DecisionOutcome.Hold, WouldOutcome: DecisionOutcome.Allow }),
            changes.Count(c => c.WasOutcome == c.WouldOutcome),
            changes.Count(c => c is { WouldOutcome: DecisionOutcome.Skip } && c.WasOutcome != DecisionOutcome.Skip),
            proposed is ConfigLoadResult.Loaded { Config: var config } ? config.Fingerprint() : null);
        return new ReplayReport(changes, summary);
    }

    /// <summary>The input the decision saw, with the proposed config and the risk of the same paths under it.</summary>
    public static DecisionInput InputFor(string streamId, DeployDecided decided, DecisionSeen seen, ConfigLoadResult proposed)
    {
        var risk = proposed is ConfigLoadResult.Loaded { Config: var config }
            ? PolicyChangeRisk.Escalate(RiskClassifier.Classify(seen.ChangedPaths, seen.DiffTruncated, config), seen.PolicyKeysChanged)
            : new RiskAssessment(decided.Risk ?? RiskClass.Low, decided.Evidence, seen.DiffTruncated);
        var recorded = ShaRecord.New(streamId, decided.Sha) with
        {
            Verification = seen.Verification,
            Dispatches = seen.RecordedDispatches,
            Retryable = seen.RecordedRetryable,
        };
        return new DecisionInput(decided.Sha, seen.Verification, proposed, seen.Compare, risk, seen.Approvals, seen.Degraded, seen.Clock,
            seen.DefaultBranch, decided.JudgedBy, recorded, seen.Stop)
        {
            ChangedPaths = seen.ChangedPaths,
            PolicyKeysChanged = seen.PolicyKeysChanged,
            ApprovalsGathered = seen.ApprovalsGathered,
        };
    }

    private static ReplayChange? Replay(string streamId, StoredEvent stored, DeployDecided was, DecisionSeen seen, ReleaseState before,
        ConfigLoadResult proposed)
    {
        var input = InputFor(streamId, was, seen, proposed);
        // The state as the decision found it: the decision's own event is not folded yet, so "already dispatched" means before it.
        var would = Decider.Decide(before, input).Decision;
        if (would.Outcome == was.Outcome && would.Reason == was.Reason) return null;

        var wasEvidence = was.Evidence.Select(Key).ToHashSet();
        var wouldEvidence = (would.Risk is null ? [] : input.Risk.Evidence).ToList();
        var wouldKeys = wouldEvidence.Select(Key).ToHashSet();
        var (repo, environment) = StreamIds.ParseRelease(streamId);
        return new ReplayChange(
            repo.ToString(), environment, was.Sha, was.At, stored.Sequence, stored.Metadata.DeliveryId,
            was.Outcome, was.Reason, was.Risk, would.Outcome, would.Reason, would.Risk, would.Unblock,
            [.. wouldEvidence.Where(x => !wasEvidence.Contains(Key(x)))],
            [.. was.Evidence.Where(x => !wouldKeys.Contains(Key(x)))],
            seen.PathsTruncated,
            !seen.ApprovalsGathered && would.Reason is ReasonCodes.HighRiskNoApproval or ReasonCodes.FirstDeployRequired);
    }

    private static (string, string, RiskClass) Key(RiskEvidence e) => (e.Path, e.Pattern, e.Class);
}
