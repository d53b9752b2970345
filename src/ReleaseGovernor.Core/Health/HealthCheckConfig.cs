using System.Globalization;
using System.Text;

namespace ReleaseGovernor.Core.Health;

/// <summary>
/// The <c>release_governor.health_check</c> block: what to probe after a successful deploy and how often. A probe is
/// healthy when every target configured is: <see cref="Url"/> answers 2xx within <see cref="TimeoutSeconds"/>, and the
/// latest run of <see cref="WorkflowName"/> on the deployed sha concluded success.
/// </summary>
public sealed record HealthCheckConfig
{
    public static HealthCheckConfig Default { get; } = new();

    public string? Url { get; init; }
    public string? WorkflowName { get; init; }

    /// <summary>Consecutive healthy probes after a successful deploy that end the watch as healthy.</summary>
    public int Probes { get; init; } = 3;

    public int IntervalSeconds { get; init; } = 30;
    public int TimeoutSeconds { get; init; } = 10;

    /// <summary>Consecutive unhealthy probes that mark production degraded.</summary>
    public int FailuresToDegrade { get; init; } = 2;

    /// <summary>While degraded, production is probed again this often.</summary>
    public int RecheckMinutes { get; init; } = 5;

    /// <summary>Whether there is anything to probe: a url, a workflow, or both.</summary>
    public bool HasTarget => !string.IsNullOrWhiteSpace(Url) || !string.IsNullOrWhiteSpace(WorkflowName);

    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);
    public TimeSpan Recheck => TimeSpan.FromMinutes(RecheckMinutes);

    /// <summary>What is probed, in words: <c>GET https://…</c> and/or <c>workflow 'Verify production'</c>.</summary>
    public string Describe() => string.Join(" and ", new[]
    {
        string.IsNullOrWhiteSpace(Url) ? null : $"GET {Url}",
        string.IsNullOrWhiteSpace(WorkflowName) ? null : $"workflow '{WorkflowName}'",
    }.OfType<string>());

    /// <summary>Every sub-key as <c>name=value</c>, comma-separated, in a fixed order (part of the config fingerprint).</summary>
    public string ToCanonicalString()
    {
        var text = new StringBuilder();
        text.Append("url=").Append(Url ?? "").Append(",workflow_name=").Append(WorkflowName ?? "")
            .Append(",probes=").Append(Probes.ToString(CultureInfo.InvariantCulture))
            .Append(",interval_seconds=").Append(IntervalSeconds.ToString(CultureInfo.InvariantCulture))
            .Append(",timeout_seconds=").Append(TimeoutSeconds.ToString(CultureInfo.InvariantCulture))
            .Append(",failures_to_degrade=").Append(FailuresToDegrade.ToString(CultureInfo.InvariantCulture))
            .Append(",recheck_minutes=").Append(RecheckMinutes.ToString(CultureInfo.InvariantCulture));
        return text.ToString();
    }
}
