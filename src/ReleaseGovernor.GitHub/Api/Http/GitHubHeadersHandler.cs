namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// Headers Octokit does not send as we want them: our <c>User-Agent</c> (Octokit appends its own version, OS
/// and culture), <c>X-GitHub-Api-Version</c> (Octokit 14 sends none) and the correlation id of
/// <see cref="GitHubCallContext"/>.
/// </summary>
internal sealed class GitHubHeadersHandler(GitHubOptions options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers;
        headers.Remove("User-Agent");
        headers.TryAddWithoutValidation("User-Agent", options.UserAgent);
        headers.Remove("X-GitHub-Api-Version");
        headers.TryAddWithoutValidation("X-GitHub-Api-Version", options.ApiVersion);
        headers.Remove(GitHubCallContext.HeaderName);
        if (GitHubCallContext.CorrelationId is { Length: > 0 } correlationId)
            headers.TryAddWithoutValidation(GitHubCallContext.HeaderName, correlationId);
        return base.SendAsync(request, cancellationToken);
    }
}
