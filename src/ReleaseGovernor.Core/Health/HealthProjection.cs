using ReleaseGovernor.Core.Commits;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.Core.Health;

/// <summary>How the health events (and the deploys and approvals that end a rollback's hold) move the release state. Pure.</summary>
public static class HealthProjection
{
    public static ReleaseState Apply(ReleaseState before, ReleaseState after, ReleaseEvent e) => e switch
    {
        HealthWatchStarted w => after with
        {
            Health = after.Health with
            {
                Sha = w.Sha, Watching = true, NextProbe = 1, Probes = w.Probes, FailuresToDegrade = w.FailuresToDegrade,
                ConsecutivePasses = 0, ConsecutiveFailures = 0, Failing = [], Refused = null, RollbackHeldReason = null,
                // A new deploy is not known healthy until probed; production degraded stays so until a probe passes.
                Status = after.Health.Status == HealthStatus.Degraded ? HealthStatus.Degraded : HealthStatus.Unknown,
            },
        },
        HealthCheckPassed p when Watched(after, p.Sha) => after with
        {
            LastHealthCheck = p.At,
            Health = after.Health with
            {
                NextProbe = p.Probe + 1, ConsecutivePasses = after.Health.ConsecutivePasses + 1, ConsecutiveFailures = 0, Failing = [],
                Watching = after.Health.ConsecutivePasses + 1 < after.Health.Probes,
                Status = after.Health.Status == HealthStatus.Degraded ? HealthStatus.Degraded : HealthStatus.Healthy,
            },
        },
        HealthCheckFailed f when Watched(after, f.Sha) => after with
        {
            LastHealthCheck = f.At,
            Health = after.Health with
            {
                NextProbe = f.Probe + 1, ConsecutivePasses = 0, ConsecutiveFailures = after.Health.ConsecutiveFailures + 1,
                Failing = [.. after.Health.Failing.TakeLast(ProductionHealth.EvidenceWindow - 1), HealthText.Evidence(f)],
            },
        },
        HealthCheckRefused r when Watched(after, r.Sha) => after with
        {
            LastHealthCheck = r.At,
            Health = after.Health with { Watching = false, Refused = r.Reason },
        },
        ProductionDegraded d => after with
        {
            Health = after.Health with { Status = HealthStatus.Degraded, DegradedSince = after.Health.DegradedSince ?? d.At },
        },
        ProductionRecovered => after with
        {
            Health = after.Health with { Status = HealthStatus.Healthy, DegradedSince = null, Failing = [], ConsecutiveFailures = 0 },
        },
        RollbackHeld h => after with { Health = after.Health with { RollbackHeldReason = h.Reason } },
        RollbackRequested r => after with
        {
            RolledBack = [.. after.RolledBack.Where(b => !Sha.Same(b.Sha, r.Sha)).TakeLast(ReleaseState.RolledBackWindow - 1),
                new RolledBackSha(r.Sha, r.To, r.At, r.Reason, r.Actor)],
            // Both may be dispatched again: the target now, the rolled-back sha once approved again.
            RetryableShas = [.. after.RetryableShas.Where(s => !Sha.Same(s, r.Sha) && !Sha.Same(s, r.To)), r.Sha, r.To],
            Health = after.Health with { Watching = false },
        },
        // A deploy of anything but a rollback's target puts a newer sha in production: the rollbacks before it are history.
        DeploySucceeded s when !Sha.Same(before.ProductionShaCurrent, after.ProductionShaCurrent) && Sha.Same(after.ProductionShaCurrent, s.Sha) =>
            after with { RolledBack = [.. after.RolledBack.Where(b => Sha.Same(b.To, s.Sha))] },
        ApprovalGranted a => after with { RolledBack = [.. after.RolledBack.Where(b => !(Sha.Same(b.Sha, a.Sha) && a.At >= b.At))] },
        _ => after,
    };

    /// <summary>The rollback that holds <paramref name="sha"/>, if any.</summary>
    public static RolledBackSha? RolledBackOf(ReleaseState state, string sha) => state.RolledBack.LastOrDefault(b => Sha.Same(b.Sha, sha));

    private static bool Watched(ReleaseState state, string sha) => state.Health.Watching && Sha.Same(state.Health.Sha, sha);

}
