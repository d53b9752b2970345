using ReleaseGovernor.Core.Health;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.GitHub.Api;

namespace ReleaseGovernor.Processing.Health;

/// <summary>
/// One probe of the deployed sha: the URL (<see cref="UrlProber"/>) and/or the latest run of the health workflow on the
/// sha. Healthy only when every configured target is; a refused URL makes the probe refused. A workflow run not yet
/// completed (or not yet started) counts as unhealthy with a detail that says so: production is not known healthy.
/// </summary>
public sealed class HealthProber(UrlProber urls, GitHubClient github)
{
    public async Task<ProbeResult> ProbeAsync(RepoRef repo, long? installationId, string sha, HealthCheckConfig config, CancellationToken ct)
    {
        ProbeResult? url = string.IsNullOrWhiteSpace(config.Url)
            ? null
            : await urls.ProbeAsync(config.Url, TimeSpan.FromSeconds(config.TimeoutSeconds), ct);
        if (url is { Verdict: ProbeVerdict.Refused } || string.IsNullOrWhiteSpace(config.WorkflowName)) return url!;

        var started = System.Diagnostics.Stopwatch.StartNew();
        var run = (await github.ListRunsForCommitAsync(repo, installationId, sha, ct))
            .Where(r => string.Equals(r.Name, config.WorkflowName, StringComparison.Ordinal))
            .MaxBy(r => (r.CreatedAt, r.RunAttempt ?? 1));
        var conclusion = run is null ? "not_found" : run.Conclusion ?? run.Status ?? "unknown";
        var healthy = run?.Conclusion == "success";
        var detail = run is null ? $"no run of '{config.WorkflowName}' on {sha[..Math.Min(7, sha.Length)]} yet"
            : run.Conclusion is null ? $"'{config.WorkflowName}' run {run.Id} is {run.Status}"
            : $"'{config.WorkflowName}' run {run.Id}";
        if (url is null)
            return new ProbeResult(healthy ? ProbeVerdict.Healthy : ProbeVerdict.Unhealthy, null, conclusion, started.ElapsedMilliseconds, detail);
        var both = url.Verdict == ProbeVerdict.Healthy && healthy;
        return new ProbeResult(both ? ProbeVerdict.Healthy : ProbeVerdict.Unhealthy, url.StatusCode, conclusion, url.LatencyMs,
            $"{(url.Detail.Length == 0 ? "" : url.Detail + "; ")}{detail}");
    }
}
