using System.Net;
using System.Text.Json;
using Octokit;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>Turns a final failure into a typed exception whose message says what to do next.</summary>
internal static class GitHubErrors
{
    private const string UnknownOutcomeHint =
        " GitHub may have carried the request out; check its effect before sending it again.";

    /// <summary>
    /// Octokit's exception for a final non-success answer, as ours. Octokit's own messages and types
    /// (<c>RateLimitExceededException</c>, <c>SecondaryRateLimitExceededException</c>, ...) are not used: they miss
    /// <c>Retry-After</c>, treat a 429 as a plain error and say nothing about what to do next.
    /// </summary>
    public static GitHubApiException FromOctokit(ApiException e, GitHubCall call, DateTimeOffset now, TimeSpan maxRetryAfter)
    {
        var body = e.HttpResponse?.Body as string ?? "";
        var headers = e.HttpResponse?.Headers;
        string? Header(string name) =>
            headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        var limit = RateLimitSignal.Read(e.StatusCode, Header, body, now);
        return FromResponse(e.StatusCode, call.Method, call.Path, body, limit, Math.Max(1, call.Attempts), call.Idempotent, maxRetryAfter, e);
    }

    public static GitHubApiException FromResponse(
        HttpStatusCode status, string method, string path, string body, RateLimitSignal? rateLimit,
        int attempts, bool idempotent, TimeSpan maxRetryAfter, Exception? inner = null)
    {
        var gitHubMessage = MessageOf(body);
        var said = gitHubMessage is null ? "" : $": {gitHubMessage}";
        var code = (int)status;
        var head = $"GitHub answered {code} {status} to {method} {path}{said}.";

        if (rateLimit is not null)
        {
            var when = rateLimit.RetryAt is { } at ? $" Try again after {at:u}." : " Try again later.";
            var why = rateLimit.Wait is { } wait && wait > maxRetryAfter
                ? $" GitHub asks to wait {wait.TotalSeconds:0} s, longer than GitHub__MaxRetryAfter ({maxRetryAfter.TotalSeconds:0} s), so the call was not retried."
                : $" Still rate limited after {attempts} attempt(s).";
            return new GitHubRateLimitedException(
                head + why + when + " Sending more requests while limited can get the app banned.",
                status, method, path, gitHubMessage, attempts, rateLimit.Wait, rateLimit.RetryAt, inner);
        }

        var serverError = code >= 500;
        var hint = code switch
        {
            401 => " Check the credentials: GitHub__Token, or GitHub__AppId + GitHub__PrivateKeyPath and the installation id.",
            403 => " The token lacks a permission this call needs; check the app's (or token's) permissions.",
            404 => " Check the owner/repository, ref or id, and that the installation can see the repository (GitHub answers 404 for missing access too).",
            410 => " The feature is disabled on this repository (e.g. issues are turned off).",
            422 => " GitHub rejected the request values; fix them rather than retrying.",
            _ when serverError && !idempotent => UnknownOutcomeHint,
            _ when serverError => $" GitHub-side failure after {attempts} attempt(s); try again later.",
            _ => "",
        };
        return new GitHubApiException(head + hint, status, method, path, gitHubMessage, attempts,
            isRetryable: serverError, outcomeUnknown: serverError && !idempotent, inner);
    }

    public static GitHubTimeoutException Timeout(string method, string path, int attempts, TimeSpan timeout, bool idempotent, Exception inner) =>
        new($"No answer from GitHub to {method} {path} within {timeout.TotalSeconds:0.###} s on {attempts} attempt(s)."
            + (idempotent ? " GitHub may be slow or unreachable; try again later, or raise GitHub__Timeout." : UnknownOutcomeHint),
            method, path, attempts, outcomeUnknown: !idempotent, inner);

    public static GitHubApiException Network(string method, string path, int attempts, bool idempotent, HttpRequestException inner)
    {
        var unknown = !idempotent && !GitHubRetryRules.NeverSent(inner);
        return new GitHubApiException(
            $"Could not talk to GitHub for {method} {path} after {attempts} attempt(s): {inner.Message}."
            + (unknown ? UnknownOutcomeHint : " Check connectivity and GitHub__ApiBaseUrl, then try again."),
            statusCode: null, method, path, gitHubMessage: null, attempts, isRetryable: true, unknown, inner);
    }

    /// <summary>GitHub's error body is <c>{"message": "...", "errors": [...]}</c>; keep the message and the first detail.</summary>
    public static string? MessageOf(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return null;
            var message = doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            if (doc.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                var first = errors[0];
                var detail = first.ValueKind == JsonValueKind.String ? first.GetString()
                    : first.ValueKind == JsonValueKind.Object && first.TryGetProperty("message", out var em) ? em.GetString()
                    : first.ValueKind == JsonValueKind.Object ? first.GetRawText() : null;
                if (!string.IsNullOrEmpty(detail)) message = message is null ? detail : $"{message} ({detail})";
            }
            return message;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
