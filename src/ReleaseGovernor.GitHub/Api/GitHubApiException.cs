using System.Net;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// A GitHub call failed for good: a non-retryable answer, or retries used up.
/// <see cref="StatusCode"/> is null when no answer came back (network error).
/// </summary>
public class GitHubApiException : Exception
{
    public GitHubApiException(
        string message,
        HttpStatusCode? statusCode,
        string method,
        string path,
        string? gitHubMessage,
        int attempts,
        bool isRetryable,
        bool outcomeUnknown = false,
        Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Method = method;
        Path = path;
        GitHubMessage = gitHubMessage;
        Attempts = attempts;
        IsRetryable = isRetryable;
        OutcomeUnknown = outcomeUnknown;
    }

    public HttpStatusCode? StatusCode { get; }

    public string Method { get; }

    /// <summary>Path and query of the request, without host.</summary>
    public string Path { get; }

    /// <summary>The <c>message</c> field of GitHub's error body, when there was one.</summary>
    public string? GitHubMessage { get; }

    /// <summary>Requests sent, retries included.</summary>
    public int Attempts { get; }

    /// <summary>True when trying the same call later may succeed (5xx, timeouts, network, rate limits).</summary>
    public bool IsRetryable { get; }

    /// <summary>
    /// True when a non-idempotent request (e.g. a workflow dispatch) may have been carried out by GitHub
    /// even though no success answer arrived. Check before repeating it.
    /// </summary>
    public bool OutcomeUnknown { get; }
}
