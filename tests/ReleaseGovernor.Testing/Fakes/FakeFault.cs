using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ReleaseGovernor.Testing.Fakes;

/// <summary>
/// A failure the fake serves instead of (or before) the normal answer. <see cref="ApplyAsync"/> returns true
/// when it produced the whole response.
/// </summary>
public abstract record FakeFault
{
    public static FakeFault Status(int statusCode, string message = "Server Error") => new StatusFault(statusCode, message, []);

    /// <summary>429 with <c>Retry-After</c> (omitted when null).</summary>
    public static FakeFault TooManyRequests(int? retryAfterSeconds = 1) =>
        new StatusFault(429, "Too Many Requests", RetryAfter(retryAfterSeconds));

    /// <summary>A secondary rate limit as GitHub words it (403 by default), with optional <c>Retry-After</c>.</summary>
    public static FakeFault SecondaryRateLimit(int? retryAfterSeconds = 0, int statusCode = 403) =>
        new StatusFault(statusCode, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
            RetryAfter(retryAfterSeconds));

    /// <summary>A primary rate limit: <c>x-ratelimit-remaining: 0</c> and <c>x-ratelimit-reset</c> at <paramref name="resetAt"/>.</summary>
    public static FakeFault PrimaryRateLimit(DateTimeOffset resetAt, int statusCode = 403) =>
        new StatusFault(statusCode, "API rate limit exceeded for installation.",
        [
            new("x-ratelimit-limit", "5000"),
            new("x-ratelimit-remaining", "0"),
            new("x-ratelimit-reset", resetAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        ]);

    /// <summary>Waits <paramref name="delay"/> (until the client gives up), then answers normally.</summary>
    public static FakeFault Slow(TimeSpan delay) => new DelayFault(ct => Task.Delay(delay, ct));

    /// <summary>Holds the request until <paramref name="release"/> completes, then answers normally.</summary>
    public static FakeFault Hold(Task release) => new DelayFault(release.WaitAsync);

    /// <summary>Aborts the connection without an answer.</summary>
    public static FakeFault ConnectionReset() => new ResetFault();

    public abstract Task<bool> ApplyAsync(HttpContext context, CancellationToken ct);

    private static KeyValuePair<string, string>[] RetryAfter(int? seconds) =>
        seconds is { } s ? [new("Retry-After", s.ToString(CultureInfo.InvariantCulture))] : [];

    private sealed record StatusFault(int Code, string Message, KeyValuePair<string, string>[] Headers) : FakeFault
    {
        public override async Task<bool> ApplyAsync(HttpContext context, CancellationToken ct)
        {
            context.Response.StatusCode = Code;
            foreach (var (name, value) in Headers) context.Response.Headers[name] = value;
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                message = Message,
                documentation_url = "https://docs.github.com/rest",
            }), ct);
            return true;
        }
    }

    private sealed record DelayFault(Func<CancellationToken, Task> Wait) : FakeFault
    {
        public override async Task<bool> ApplyAsync(HttpContext context, CancellationToken ct)
        {
            await Wait(ct);
            return false;
        }
    }

    private sealed record ResetFault : FakeFault
    {
        public override Task<bool> ApplyAsync(HttpContext context, CancellationToken ct)
        {
            context.Abort();
            return Task.FromResult(true);
        }
    }
}
