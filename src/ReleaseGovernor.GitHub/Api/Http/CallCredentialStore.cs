using Octokit;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// Octokit asks its credential store before every request; ours answers with the bearer token of the call in
/// flight (<see cref="GitHubCall.Token"/>), so one Octokit connection serves the app JWT and every installation.
/// </summary>
internal sealed class CallCredentialStore : ICredentialStore
{
    public Task<Credentials> GetCredentials() =>
        Task.FromResult(GitHubCall.Current?.Token is { Length: > 0 } token
            ? new Credentials(token, AuthenticationType.Bearer)
            : Credentials.Anonymous);
}
