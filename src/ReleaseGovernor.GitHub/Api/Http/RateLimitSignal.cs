using System.Globalization;
using System.Net;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// What a 403/429 answer says about rate limiting. GitHub's rules: a primary limit has
/// <c>x-ratelimit-remaining: 0</c> (wait until <c>x-ratelimit-reset</c>, epoch seconds); a secondary limit
/// names itself in the message; <c>Retry-After</c> (seconds) wins when present; a secondary limit with
/// no hint means waiting at least a minute. A 403 with none of these is a permission problem, not a limit.
/// </summary>
internal sealed record RateLimitSignal(TimeSpan? Wait, DateTimeOffset? RetryAt, bool Secondary)
{
    public static readonly TimeSpan SecondaryLimitDefaultWait = TimeSpan.FromMinutes(1);

    public static async ValueTask<RateLimitSignal?> ReadAsync(HttpResponseMessage response, DateTimeOffset now)
    {
        var status = response.StatusCode;
        if (status != HttpStatusCode.Forbidden && status != HttpStatusCode.TooManyRequests) return null;

        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        var secondary = body.Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase);
        var remainingZero = Header(response, "x-ratelimit-remaining") == "0";
        var resetAt = long.TryParse(Header(response, "x-ratelimit-reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            ? DateTimeOffset.FromUnixTimeSeconds(epoch)
            : (DateTimeOffset?)null;
        var retryAfter = RetryAfter(response, now);

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

    private static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date) return date > now ? date - now : TimeSpan.Zero;
        return null;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()?.Trim() : null;
}
