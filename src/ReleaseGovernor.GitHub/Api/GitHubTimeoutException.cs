namespace ReleaseGovernor.GitHub.Api;

/// <summary>No answer within the per-attempt timeout, on every attempt.</summary>
public sealed class GitHubTimeoutException(
    string message, string method, string path, int attempts, bool outcomeUnknown, Exception? innerException)
    : GitHubApiException(message, statusCode: null, method, path, gitHubMessage: null, attempts,
        isRetryable: true, outcomeUnknown, innerException);
