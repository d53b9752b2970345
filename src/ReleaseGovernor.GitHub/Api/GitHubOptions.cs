namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// Settings of the GitHub REST client, bound from the <c>GitHub</c> configuration section
/// (environment variables <c>GitHub__ApiBaseUrl</c>, <c>GitHub__AppId</c>, <c>GitHub__PrivateKeyPath</c>,
/// <c>GitHub__Token</c>, ...).
/// </summary>
public sealed class GitHubOptions
{
    public const string SectionName = "GitHub";

    /// <summary>REST root. GitHub Enterprise Server uses <c>https://HOST/api/v3</c>; tests use a local fake.</summary>
    public string ApiBaseUrl { get; set; } = "https://api.github.com";

    /// <summary>GitHub App id (or client id); used as the JWT issuer.</summary>
    public string? AppId { get; set; }

    /// <summary>Path of the app's PEM private key.</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>The app's PEM private key itself, instead of <see cref="PrivateKeyPath"/>.</summary>
    public string? PrivateKeyPem { get; set; }

    /// <summary>A token for single-repository setups; when set, it wins over the app settings.</summary>
    public string? Token { get; set; }

    /// <summary>
    /// Id of the repository webhook whose delivery log the delivery sweep reads in token mode (with
    /// <see cref="HookRepository"/>); the App's own webhook log (<c>/app/hook/deliveries</c>) needs neither.
    /// </summary>
    public long? HookId { get; set; }

    /// <summary>The repository (<c>owner/name</c>) holding the webhook <see cref="HookId"/>.</summary>
    public string? HookRepository { get; set; }

    /// <summary>Sent as <c>X-GitHub-Api-Version</c>.</summary>
    public string ApiVersion { get; set; } = "2022-11-28";

    public string UserAgent { get; set; } = "ReleaseGovernor";

    /// <summary>
    /// Retries after the first attempt (so at most MaxRetries + 1 requests). Octokit ends a whole call, retries and
    /// waits included, after 100 s (its request timeout, which its connection's cancellable calls cannot change);
    /// that ends as <see cref="GitHubTimeoutException"/>.
    /// </summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>First backoff delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of one backoff delay (not of a wait GitHub asks for).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed for one attempt, body included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Longest wait we accept when GitHub asks us to wait (Retry-After, x-ratelimit-reset).
    /// A longer wait fails the call at once with <see cref="GitHubRateLimitedException"/>.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Bound on pages followed through <c>Link: rel="next"</c> by the "list all" methods.</summary>
    public int MaxPages { get; set; } = 10;

    internal Uri BaseUri()
    {
        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new InvalidOperationException(
                $"GitHub__ApiBaseUrl '{ApiBaseUrl}' is not an absolute http(s) URL; use e.g. https://api.github.com.");
        return uri;
    }
}
