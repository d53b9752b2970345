using System.Net;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>GitHub refused the call because of a primary or secondary rate limit.</summary>
public sealed class GitHubRateLimitedException(
    string message,
    HttpStatusCode statusCode,
    string method,
    string path,
    string? gitHubMessage,
    int attempts,
    TimeSpan? retryAfter,
    DateTimeOffset? retryAt,
    Exception? innerException = null)
    : GitHubApiException(message, statusCode, method, path, gitHubMessage, attempts, isRetryable: true, innerException: innerException)
{
    /// <summary>The wait GitHub asked for, when it said.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>Earliest time worth trying again, when known.</summary>
    public DateTimeOffset? RetryAt { get; } = retryAt;
}
