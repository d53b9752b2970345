using Polly;
using Polly.Timeout;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// Which outcomes are worth another attempt. Idempotent calls retry on 5xx, timeouts, network errors and
/// rate limits. Non-idempotent calls retry only when GitHub surely did nothing: a rate-limit refusal, or a
/// connection that was never made.
/// </summary>
internal static class GitHubRetryRules
{
    public static async ValueTask<bool> ShouldRetryAsync(
        Outcome<HttpResponseMessage> outcome, bool idempotent, DateTimeOffset now, TimeSpan maxRetryAfter)
    {
        switch (outcome.Exception)
        {
            case HttpRequestException e:
                return idempotent || NeverSent(e);
            case TimeoutRejectedException:
                return idempotent;
            case not null:
                return false;
        }

        var response = outcome.Result!;
        if (await RateLimitSignal.ReadAsync(response, now).ConfigureAwait(false) is { } limit)
            return limit.Wait is not { } wait || wait <= maxRetryAfter;
        return idempotent && (int)response.StatusCode >= 500;
    }

    /// <summary>The failure happened before the request could reach GitHub.</summary>
    public static bool NeverSent(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
            or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError;

    public static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } e ? e.GetType().Name
        : outcome.Result is { } r ? $"{(int)r.StatusCode} {r.StatusCode}"
        : "no result";
}
