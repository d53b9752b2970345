using System.Globalization;
using ReleaseGovernor.Core.Events;

namespace ReleaseGovernor.Core.Health;

/// <summary>How probes read in evidence, hints and history.</summary>
public static class HealthText
{
    /// <summary>"probe 2 at 2026-12-01T16:00:05Z: 503 in 12 ms (Service Unavailable)".</summary>
    public static string Evidence(HealthCheckFailed f) => $"probe {f.Probe} at {Time(f.At)}: {Outcome(f.StatusCode, f.Conclusion, f.LatencyMs, f.Detail)}";

    public static string Outcome(int? statusCode, string? conclusion, long latencyMs, string detail)
    {
        var parts = new List<string>();
        if (statusCode is { } code) parts.Add(code.ToString(CultureInfo.InvariantCulture));
        if (conclusion is { } c) parts.Add($"run {c}");
        var head = parts.Count == 0 ? "no answer" : string.Join(", ", parts);
        return $"{head} in {latencyMs} ms{(detail.Length == 0 ? "" : $" ({detail})")}";
    }

    /// <summary>The detail as stored: one line, at most <see cref="ProbeResult.MaxDetail"/> characters.</summary>
    public static string Clip(string text)
    {
        var line = Text.SafeText.Clean(text.ReplaceLineEndings(" ").Trim());
        return line.Length > ProbeResult.MaxDetail ? line[..(ProbeResult.MaxDetail - 1)] + "…" : line;
    }

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Short(string? sha) => sha is null ? "none" : sha.Length > 7 ? sha[..7] : sha;
}
