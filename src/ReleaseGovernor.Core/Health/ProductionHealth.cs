namespace ReleaseGovernor.Core.Health;

public enum HealthStatus { Unknown, Healthy, Degraded }

/// <summary>
/// What the release stream knows about production's health: the verdict, and the watch of the deployed sha that
/// produced it. <see cref="Watching"/> is true while probes are still to come (<see cref="NextProbe"/> is the next one).
/// </summary>
public sealed record ProductionHealth
{
    /// <summary>How many failing probes the state keeps as evidence.</summary>
    public const int EvidenceWindow = 5;

    public static ProductionHealth Unknown { get; } = new();

    public HealthStatus Status { get; init; } = HealthStatus.Unknown;

    /// <summary>The sha the last watch follows.</summary>
    public string? Sha { get; init; }

    public bool Watching { get; init; }
    public int NextProbe { get; init; } = 1;
    public int Probes { get; init; } = HealthCheckConfig.Default.Probes;
    public int FailuresToDegrade { get; init; } = HealthCheckConfig.Default.FailuresToDegrade;
    public int ConsecutivePasses { get; init; }
    public int ConsecutiveFailures { get; init; }
    public DateTimeOffset? DegradedSince { get; init; }

    /// <summary>The failing probes since the last healthy one, oldest first, as shown in hints and status.</summary>
    public IReadOnlyList<string> Failing { get; init; } = [];

    /// <summary>Why the last probe was refused (the watch ended then), or null.</summary>
    public string? Refused { get; init; }

    /// <summary>The reason the rollback of the watched sha last waited for, so a recheck records it once.</summary>
    public string? RollbackHeldReason { get; init; }

    /// <summary>The degraded signal the rules read: true degraded, false healthy, null unknown (derived, not stored).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool? DegradedSignal => Status switch
    {
        HealthStatus.Degraded => true,
        HealthStatus.Healthy => false,
        _ => null,
    };
}

/// <summary>A sha taken out of production by a rollback to <paramref name="To"/>; held (<c>rolled_back</c>) until approved again.</summary>
public sealed record RolledBackSha(string Sha, string To, DateTimeOffset At, string Reason, string Actor);

/// <summary>The outcome of one probe as the prober saw it.</summary>
public enum ProbeVerdict { Healthy, Unhealthy, Refused }

/// <summary>
/// One probe of the deployed sha: the verdict, the URL's status code and/or the workflow run's conclusion, how long it
/// took, and a short detail (never the response body).
/// </summary>
public sealed record ProbeResult(ProbeVerdict Verdict, int? StatusCode, string? Conclusion, long LatencyMs, string Detail)
{
    public const int MaxDetail = 200;

    public static ProbeResult Refused(string reason) => new(ProbeVerdict.Refused, null, null, 0, reason);
}
