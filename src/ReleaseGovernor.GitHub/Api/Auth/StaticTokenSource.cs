namespace ReleaseGovernor.GitHub.Api;

/// <summary>One fixed token (<c>GitHub__Token</c>) for every call; the installation id is ignored.</summary>
public sealed class StaticTokenSource : IGitHubTokenSource
{
    private readonly string _token;

    public StaticTokenSource(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        _token = token;
    }

    public Task<string> GetTokenAsync(long? installationId, CancellationToken ct) => Task.FromResult(_token);

    public override string ToString() => "StaticTokenSource(***)";
}
