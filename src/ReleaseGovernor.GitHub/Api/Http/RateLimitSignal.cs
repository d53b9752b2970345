using System.Globalization;
using System.Net;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// What a 403/429 answer says about rate limiting. GitHub's rules: a primary limit has
/// <c>x-ratelimit-remaining: 0</c> (wait until <c>x-ratelimit-reset</c>, epoch seconds); a secondary limit
/// names itself in the message; <c>Retry-After</c> (seconds) wins when present; a secondary limit with
/// no hint means waiting at least a minute. A 403 with none of these is a permission problem, not a limit.
/// Read from the raw answer, inside our retry handler and when mapping Octokit's exception: Octokit's
/// <c>RateLimitExceededException</c> knows no <c>Retry-After</c>, and a 429 is a plain <c>ApiException</c>.
/// </summary>
internal sealed record RateLimitSignal(TimeSpan? Wait, DateTimeOffset? RetryAt, bool Secondary)
{
    public static readonly TimeSpan SecondaryLimitDefaultWait = TimeSpan.FromMinutes(1);

    /// <param name="header">Value of a response header by name (any case), or null.</param>
    public static RateLimitSignal? Read(HttpStatusCode status, Func<string, string?> header, string? body, DateTimeOffset now)
    {
        if (status != HttpStatusCode.Forbidden && status != HttpStatusCode.TooManyRequests) return null;

        var secondary = body?.Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase) == true;
        var remainingZero = header("x-ratelimit-remaining")?.Trim() == "0";
        var resetAt = long.TryParse(header("x-ratelimit-reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            ? DateTimeOffset.FromUnixTimeSeconds(epoch)
            : (DateTimeOffset?)null;
        var retryAfter = RetryAfter(header("Retry-After"), now);

        if (status == HttpStatusCode.Forbidden && retryAfter is null && !remainingZero && !secondary) return null;

        if (retryAfter is { } wait) return new(wait, now + wait, secondary);
        if (remainingZero && resetAt is { } reset)
        {
            var untilReset = reset > now ? reset - now : TimeSpan.Zero;
            return new(untilReset, reset, secondary);
        }
        if (secondary) return new(SecondaryLimitDefaultWait, now + SecondaryLimitDefaultWait, secondary);
        return new(null, null, secondary); // a bare 429: plain exponential backoff
    }

    public static async ValueTask<RateLimitSignal?> ReadAsync(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.StatusCode != HttpStatusCode.Forbidden && response.StatusCode != HttpStatusCode.TooManyRequests) return null;
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return Read(response.StatusCode,
            name => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null, body, now);
    }

    /// <summary><c>Retry-After</c> is delay seconds or an HTTP date.</summary>
    private static TimeSpan? RetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        value = value.Trim();
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return TimeSpan.FromSeconds(seconds);
        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            return date > now ? date - now : TimeSpan.Zero;
        return null;
    }
}
