using System.Net;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>A buffered answer: status, body text, the <c>Link rel="next"</c> URL if any, and attempts used.</summary>
internal sealed record GitHubResponse(HttpStatusCode StatusCode, string Body, string? NextLink, string Method, string Path, int Attempts)
{
    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    public string Describe() => $"{(int)StatusCode} for {Method} {Path}";
}
