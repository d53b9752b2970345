using System.Net;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// One REST call. <paramref name="Target"/> is a path and query below the API root ("/repos/o/r/..."),
/// or an absolute URL taken from a <c>Link</c> header.
/// </summary>
internal sealed record GitHubRequest(HttpMethod Method, string Target, object? Body = null)
{
    /// <summary>
    /// False for calls that must not run twice (workflow dispatch, creating issues or comments): those are
    /// retried only when GitHub surely did not act on them (rate limited, connection never made).
    /// </summary>
    public bool Idempotent { get; init; } = true;

    /// <summary>Treat 404 as an answer instead of an error.</summary>
    public bool AllowNotFound { get; init; }

    public bool Accepts(HttpStatusCode status) =>
        (int)status is >= 200 and < 300 || (AllowNotFound && status == HttpStatusCode.NotFound);

    public static GitHubRequest Get(string target) => new(HttpMethod.Get, target);

    public static GitHubRequest Post(string target, object? body) => new(HttpMethod.Post, target, body);
}
