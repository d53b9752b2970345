using System.Globalization;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// Counts every attempt a GitHub call makes and keeps the rate-limit budget each answer reports. Sits below
/// <see cref="GitHubResilienceHandler"/>, so a retried call counts once per attempt; reads headers only, never bodies.
/// </summary>
internal sealed class GitHubMetricsHandler(GitHubMetrics metrics, string apiRootPath) : DelegatingHandler
{
    public const string NoAnswer = "error";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = request.Method.Method;
        var endpoint = GitHubEndpointTemplate.Of(request.RequestUri?.AbsolutePath ?? "", apiRootPath);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            metrics.Request(method, endpoint, NoAnswer);
            throw;
        }
        metrics.Request(method, endpoint, GitHubMetrics.StatusClass((int)response.StatusCode));
        if (response.Headers.TryGetValues("x-ratelimit-remaining", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var remaining))
            metrics.RateLimitRemaining(GitHubCall.Current?.InstallationId, remaining);
        return response;
    }
}
