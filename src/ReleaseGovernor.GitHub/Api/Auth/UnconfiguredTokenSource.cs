namespace ReleaseGovernor.GitHub.Api;

/// <summary>Used when no credentials are configured: every call fails with a message naming the settings.</summary>
public sealed class UnconfiguredTokenSource(string reason) : IGitHubTokenSource
{
    public const string DefaultReason =
        "GitHub credentials are not configured. Set GitHub__Token (a token, for a single repository), "
        + "or GitHub__AppId and GitHub__PrivateKeyPath (a GitHub App).";

    public UnconfiguredTokenSource() : this(DefaultReason) { }

    public Task<string> GetTokenAsync(long? installationId, CancellationToken ct) =>
        Task.FromException<string>(new GitHubConfigurationException(reason));
}
