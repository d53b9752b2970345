namespace ReleaseGovernor.Core.Events;

// ---- Production health after a deploy: appended to the release stream, actor system (or the operator for a rollback by hand) ----

/// <summary>The watch of <paramref name="Sha"/> began after its deploy succeeded: <paramref name="Target"/> is what is probed, in words.</summary>
public sealed record HealthWatchStarted(string Sha, string Target, int Probes, int IntervalSeconds, int FailuresToDegrade) : ReleaseEvent;

/// <summary>
/// Probe <paramref name="Probe"/> of the deployed sha was healthy. <paramref name="StatusCode"/> is the URL's answer,
/// <paramref name="Conclusion"/> the workflow run's; <paramref name="Detail"/> (at most 200 characters) never holds the body.
/// </summary>
public sealed record HealthCheckPassed(string Sha, int Probe, int? StatusCode, string? Conclusion, long LatencyMs, string Detail) : ReleaseEvent;

/// <summary>Probe <paramref name="Probe"/> was unhealthy: a non-2xx answer, a timeout, a connection error, or a run that did not succeed.</summary>
public sealed record HealthCheckFailed(string Sha, int Probe, int? StatusCode, string? Conclusion, long LatencyMs, string Detail) : ReleaseEvent;

/// <summary>
/// The probe was not sent: the URL leads somewhere the server does not probe (not https, a private address, a redirect
/// to such a host). <paramref name="Reason"/> says what to change. It says nothing about production, and the watch ends.
/// </summary>
public sealed record HealthCheckRefused(string Sha, int Probe, string Reason) : ReleaseEvent;

/// <summary>Consecutive failed probes of <paramref name="Sha"/> reached failures_to_degrade: production is degraded.</summary>
public sealed record ProductionDegraded(string Sha, int FailedProbes, IReadOnlyList<string> Evidence) : ReleaseEvent;

/// <summary>A probe of <paramref name="Sha"/> was healthy again after production was degraded since <paramref name="DegradedSince"/>.</summary>
public sealed record ProductionRecovered(string Sha, int Probe, DateTimeOffset DegradedSince) : ReleaseEvent;

/// <summary>
/// <paramref name="Sha"/> is taken out of production: <paramref name="To"/> is dispatched instead. <paramref name="Reason"/>
/// is <c>rollback_unhealthy</c> (actor system, the failing probes as <paramref name="Evidence"/>) or
/// <c>rollback_operator</c> (the operator's reason). The sha is held (<c>rolled_back</c>) until an operator approves it again.
/// </summary>
public sealed record RollbackRequested(string Sha, string To, string Reason, string Actor, string Why, IReadOnlyList<string> Evidence) : ReleaseEvent;

/// <summary>Production is degraded and <c>rollback_on_unhealthy</c> is on, but the rollback of <paramref name="Sha"/> waits or cannot happen.</summary>
public sealed record RollbackHeld(string Sha, string? To, string Reason, string Unblock) : ReleaseEvent;
