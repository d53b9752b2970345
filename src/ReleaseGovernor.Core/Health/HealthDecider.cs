using ReleaseGovernor.Core.Commits;
using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.Core.Health;

/// <summary>
/// What a rollback needs besides the state: the config that names the deploy workflow (and whether
/// <c>rollback_on_unhealthy</c> is on), the emergency stop in force, and the attempt number of the target's next
/// dispatch (from its sha record, which may be older than the state's window).
/// </summary>
public sealed record RollbackInput(GovernorConfig Config, Stops.ActiveStop? Stop, int TargetAttempt);

/// <summary>
/// The watch of production after a deploy, as pure decisions: when it starts, what each probe means (passed, failed,
/// degraded, recovered) and, with <c>rollback_on_unhealthy</c>, the rollback. An operator hold or emergency stop
/// blocks a rollback; freeze windows, cooldown and the hourly limit do not (a rollback ships nothing new).
/// </summary>
public static class HealthDecider
{
    /// <summary>The watch of the sha just deployed; nothing when the sha is not production or is watched already.</summary>
    public static IReadOnlyList<ReleaseEvent> Start(ReleaseState state, string sha, HealthCheckConfig config, DateTimeOffset now) =>
        !Sha.Same(state.ProductionShaCurrent, sha) || !config.HasTarget || (state.Health.Watching && Sha.Same(state.Health.Sha, sha))
            ? []
            : [new HealthWatchStarted(sha, config.Describe(), config.Probes, config.IntervalSeconds, config.FailuresToDegrade) { At = now }];

    /// <summary>Whether probe <paramref name="probe"/> of <paramref name="sha"/> is the one the watch waits for (a stale item probes nothing).</summary>
    public static bool IsDue(ReleaseState state, string sha, int probe) =>
        state.Health.Watching && Sha.Same(state.Health.Sha, sha) && state.Health.NextProbe == probe && Sha.Same(state.ProductionShaCurrent, sha);

    /// <summary>When the next probe of the watch is due (the interval, or recheck_minutes while degraded); null when the watch is over.</summary>
    public static (int Probe, DateTimeOffset DueAt)? Next(ReleaseState state, HealthCheckConfig config, DateTimeOffset now) =>
        state.Health is { Watching: true, Sha: not null } h && Sha.Same(state.ProductionShaCurrent, h.Sha)
            ? (h.NextProbe, now + (h.Status == HealthStatus.Degraded && h.ConsecutiveFailures >= h.FailuresToDegrade ? config.Recheck : config.Interval))
            : null;

    /// <summary>The events one probe result records; with production degraded, the rollback decision too.</summary>
    public static IReadOnlyList<ReleaseEvent> Record(ReleaseState state, string sha, int probe, ProbeResult result, RollbackInput rollback,
        DateTimeOffset now)
    {
        if (!IsDue(state, sha, probe)) return [];
        var h = state.Health;
        var detail = HealthText.Clip(result.Detail);
        switch (result.Verdict)
        {
            case ProbeVerdict.Refused:
                return [new HealthCheckRefused(sha, probe, detail) { At = now }];
            case ProbeVerdict.Healthy:
                ReleaseEvent passed = new HealthCheckPassed(sha, probe, result.StatusCode, result.Conclusion, result.LatencyMs, detail) { At = now };
                return h.Status == HealthStatus.Degraded
                    ? [passed, new ProductionRecovered(sha, probe, h.DegradedSince ?? now) { At = now }]
                    : [passed];
        }

        var failed = new HealthCheckFailed(sha, probe, result.StatusCode, result.Conclusion, result.LatencyMs, detail) { At = now };
        var failures = h.ConsecutiveFailures + 1;
        if (failures < h.FailuresToDegrade) return [failed];
        var evidence = (IReadOnlyList<string>)[.. h.Failing.TakeLast(ProductionHealth.EvidenceWindow - 1), HealthText.Evidence(failed)];
        var events = new List<ReleaseEvent> { failed };
        if (h.Status != HealthStatus.Degraded) events.Add(new ProductionDegraded(sha, failures, evidence) { At = now });
        if (rollback.Config.RollbackOnUnhealthy)
            events.AddRange(Rollback(state, sha, ReasonCodes.RollbackUnhealthy, "system",
                $"production degraded after the deploy of {HealthText.Short(sha)}: {failures} failed probes", evidence, rollback, now));
        return events;
    }

    /// <summary>
    /// Takes <paramref name="sha"/> out of production by dispatching production_sha_previous: the decision (ALLOW
    /// <paramref name="reason"/>), the rollback record and the dispatch. When it cannot happen now, one
    /// <see cref="RollbackHeld"/> per reason (a recheck asks again, so a lifted hold lets the next one roll back).
    /// </summary>
    public static IReadOnlyList<ReleaseEvent> Rollback(ReleaseState state, string sha, string reason, string actor, string why,
        IReadOnlyList<string> evidence, RollbackInput input, DateTimeOffset now, string? to = null)
    {
        if (HealthProjection.RolledBackOf(state, sha) is not null && reason == ReasonCodes.RollbackUnhealthy) return [];
        var target = to ?? state.ProductionShaPrevious;
        var (code, unblock) = Blocked(state, sha, target, input, now, automatic: reason == ReasonCodes.RollbackUnhealthy);
        if (code is not null)
            return state.Health.RollbackHeldReason == code && reason == ReasonCodes.RollbackUnhealthy
                ? []
                : [new RollbackHeld(sha, target, code, unblock!) { At = now }];

        var config = input.Config;
        return
        [
            new DeployDecided(target!, DecisionOutcome.Allow, reason, null, null, [], config.Fingerprint(), [],
                $"rollback of {HealthText.Short(sha)} by {actor}") { At = now },
            new RollbackRequested(sha, target!, reason, actor, why, evidence) { At = now },
            new DeployDispatchRequested(target!, config.DeployWorkflowName, config.DeployWorkflowRef,
                new Dictionary<string, string> { ["sha"] = target! }, input.TargetAttempt) { At = now },
        ];
    }

    /// <summary>What stands in the way of the rollback now. Only an automatic one refuses to roll back a rollback (an operator may go further back).</summary>
    private static (string? Code, string? Unblock) Blocked(ReleaseState state, string sha, string? target, RollbackInput input, DateTimeOffset now,
        bool automatic)
    {
        if (target is null)
            return (ReasonCodes.RollbackUnavailable, $"fix forward: there is no earlier production sha to roll {HealthText.Short(sha)} back to");
        if (automatic && state.RolledBack.LastOrDefault(b => Sha.Same(b.To, sha)) is { } earlier && Sha.Same(state.ProductionShaCurrent, sha))
            return (ReasonCodes.RollbackUnavailable,
                $"fix forward: {HealthText.Short(sha)} is itself the rollback of {HealthText.Short(earlier.Sha)} (at {HealthText.Time(earlier.At)}), rolling back again would ship it");
        if (input.Stop is { } stop)
            return (ReasonCodes.EmergencyStop, UnblockHints.EmergencyStop(stop));
        if (state.Hold is { } hold && (hold.Until is null || hold.Until > now))
            return (ReasonCodes.Frozen, UnblockHints.Frozen(hold));
        if (state.InFlight is { } inFlight)
            return (ReasonCodes.DeployInProgress,
                $"automatic: the deploy of {HealthText.Short(inFlight.Sha)} in flight replaces production, and its health is watched when it succeeds");
        if (string.IsNullOrWhiteSpace(input.Config.DeployWorkflowName))
            return (ReasonCodes.DeployNotConfigured, UnblockHints.DeployNotConfigured());
        return (null, null);
    }

}
