namespace ReleaseGovernor.GitHub.Api;

/// <summary>Supplies the bearer token for a GitHub call.</summary>
public interface IGitHubTokenSource
{
    /// <summary>
    /// A token for calls on behalf of <paramref name="installationId"/>, or, when it is null, for app-level
    /// calls (<c>/app/...</c>: the app JWT in app mode; the configured token in token mode).
    /// </summary>
    Task<string> GetTokenAsync(long? installationId, CancellationToken ct);
}
