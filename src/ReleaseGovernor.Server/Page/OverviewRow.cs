using System.Globalization;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Health;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Stops;

namespace ReleaseGovernor.Server.Page;

/// <summary>One governed repository environment on the overview: what is in production, in flight, waiting, and why.</summary>
public sealed record OverviewRow(RepoRef Repo, string Environment, ReleaseState State, ActiveStop? Stop)
{
    public LastDecision? LastDecision => State.LastDecision;

    /// <summary>What stands in the way of deploys now: an emergency stop, an operator hold, a freeze window that held the last decision.</summary>
    public IReadOnlyList<string> Blocks =>
    [
        .. Stop is { } s ? [$"emergency stop by {s.Actor}: {s.Reason}"] : Array.Empty<string>(),
        .. State.Hold is { } h ? [$"hold by {h.Actor}: {h.Reason}"] : Array.Empty<string>(),
        .. State.FrozenShas.Count > 0 ? [$"freeze window: {State.FrozenShas.Count} sha(s) waiting"] : Array.Empty<string>(),
        .. State.Health is { Status: HealthStatus.Degraded } degraded
            ? [$"production degraded (HIGH and MEDIUM held): {degraded.Failing.LastOrDefault() ?? "failing probes"}"] : Array.Empty<string>(),
        .. State.RolledBack.Select(r => $"{r.Sha[..7]} rolled back to {r.To[..7]} ({r.Reason}): held until approved again"),
    ];

    /// <summary>Production's health when a health_check watches it (healthy, degraded since …), else how the last deploy ended.</summary>
    public string Health => State.Health switch
    {
        { Status: HealthStatus.Healthy } => "healthy",
        { Status: HealthStatus.Degraded, DegradedSince: { } since } => $"degraded since {since.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC",
        { Status: HealthStatus.Degraded } => "degraded",
        _ => State.LastDeployResult switch
        {
            DeployResult.Success => "deployed (health not watched)",
            DeployResult.Failure => "last deploy failed",
            _ when State.ProductionShaCurrent is null => "nothing deployed yet",
            _ => "deploy pending",
        },
    };

    public static string Verdict(DecisionOutcome o) => o.ToString().ToUpperInvariant();
}
