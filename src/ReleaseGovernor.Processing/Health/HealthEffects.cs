using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.Processing.Effects;
using ReleaseGovernor.Processing.Runs;

namespace ReleaseGovernor.Processing.Health;

/// <summary>The work health events ask for, enqueued in the transaction that records them.</summary>
public static class HealthEffects
{
    /// <summary>
    /// After a deploy succeeded: the item that starts its watch, due now (it reads the health_check at the sha; without one
    /// it records nothing). One per deploy run attempt.
    /// </summary>
    public static Task<bool> StartWatchAsync(EventSession session, RepoRef repo, long? installationId, string streamId, DeploySucceeded succeeded,
        EventMetadata metadata, DateTimeOffset now, CancellationToken ct) =>
        Effect.EnqueueAsync(session,
            new Effect.HealthProbe(streamId, repo, installationId, succeeded.Sha, 0, $"run{succeeded.RunId}.{succeeded.RunAttempt ?? 1}", now),
            metadata.CorrelationId, metadata.CausationId, ct);

    /// <summary>
    /// What recorded health and rollback events ask for: a rollback's dispatch (with its commit status) and its notice, and,
    /// when production recovers, another decision for the sha the degraded signal held.
    /// </summary>
    public static async Task EnqueueAsync(EventSession session, RepoRef repo, long? installationId, string streamId, ReleaseState before,
        IReadOnlyList<StoredEvent> recorded, CancellationToken ct)
    {
        var correlation = recorded.FirstOrDefault()?.Metadata.CorrelationId;
        var rollback = recorded.Select(e => e.Data).OfType<RollbackRequested>().FirstOrDefault();
        foreach (var e in recorded)
        {
            switch (e.Data)
            {
                case DeployDispatchRequested r when rollback is not null:
                    await Effect.EnqueueAsync(session, new Effect.Dispatch(streamId, repo, installationId, r,
                        CommitStatusText.Rollback(rollback.Sha, rollback.Actor, rollback.Reason)), correlation, e.Id.ToString(), ct);
                    break;
                case RollbackRequested rb:
                    await Effect.EnqueueAsync(session, new Effect.RollbackNotice(streamId, repo, installationId, rb), correlation, e.Id.ToString(), ct);
                    break;
                case ProductionRecovered when before.LastDecision is { Outcome: DecisionOutcome.Hold, Reason: ReasonCodes.DegradedHighRisk or ReasonCodes.DegradedMediumHold } held:
                    await RunClassifier.EnqueueEvaluationAsync(session, repo, installationId, streamId, held.Sha, "production recovered",
                        e.Metadata.CausedBy(e.Id.ToString()), ct);
                    break;
            }
        }
    }
}
