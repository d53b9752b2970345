using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using ReleaseGovernor.Core.Observability;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// How GitHub answers: <c>releasegovernor.github.requests</c> (every attempt, by method, endpoint template and status
/// class) and <c>releasegovernor.github.ratelimit.remaining</c> (the primary rate limit GitHub reported last, per
/// installation). Recorded by <see cref="GitHubMetricsHandler"/>.
/// </summary>
public sealed class GitHubMetrics
{
    /// <summary>The installation label of app-level calls (JWT) and of calls with a plain token.</summary>
    public const string NoInstallation = "none";

    private readonly Counter<long> _requests;
    private readonly ConcurrentDictionary<string, long> _remaining = new(StringComparer.Ordinal);

    public GitHubMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(GovernorTelemetry.MeterName);
        _requests = meter.CreateCounter<long>("releasegovernor.github.requests", "{request}",
            "Requests sent to the GitHub API, retries included, by method, endpoint template and status class (2xx … 5xx, or error when no answer came).");
        meter.CreateObservableGauge("releasegovernor.github.ratelimit.remaining", ObserveRemaining, "{request}",
            "Requests left in the primary rate limit window, as GitHub reported on its last answer, per installation.");
    }

    internal void Request(string method, string endpoint, string statusClass) =>
        _requests.Add(1, new TagList { { "method", method }, { "endpoint", endpoint }, { "status_class", statusClass } });

    internal void RateLimitRemaining(long? installationId, long remaining) =>
        _remaining[installationId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? NoInstallation] = remaining;

    private IEnumerable<Measurement<long>> ObserveRemaining() =>
        _remaining.Select(kv => new Measurement<long>(kv.Value, new KeyValuePair<string, object?>("installation", kv.Key)));

    /// <summary><c>2xx</c> … <c>5xx</c>.</summary>
    internal static string StatusClass(int status) => status is >= 100 and < 600 ? $"{status / 100}xx" : "other";
}
