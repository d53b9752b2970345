using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// The GitHub REST calls ReleaseGovernor makes. Repository calls take the installation id the token is
/// for (ignored with a plain token). Failures throw <see cref="GitHubApiException"/> or a subclass;
/// missing credentials throw <see cref="GitHubConfigurationException"/>.
/// </summary>
public sealed partial class GitHubClient
{
    private readonly GitHubTransport _transport;
    private readonly IGitHubTokenSource _tokens;
    private readonly ILogger _logger;

    public GitHubClient(GitHubTransport transport, IGitHubTokenSource tokens, ILogger<GitHubClient>? logger = null)
    {
        _transport = transport;
        _tokens = tokens;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    private GitHubOptions Options => _transport.Options;

    private async Task<GitHubResponse> SendAsync(GitHubRequest request, long? installationId, CancellationToken ct)
    {
        var token = await _tokens.GetTokenAsync(installationId, ct).ConfigureAwait(false);
        return await _transport.SendAsync(request, token, ct).ConfigureAwait(false);
    }

    private async Task<T> GetAsync<T>(string path, long? installationId, CancellationToken ct) =>
        GitHubJson.Deserialize<T>(await SendAsync(GitHubRequest.Get(path), installationId, ct).ConfigureAwait(false));

    /// <summary>Follows <c>Link rel="next"</c> up to <see cref="GitHubOptions.MaxPages"/> pages.</summary>
    private async Task<IReadOnlyList<T>> GetAllPagesAsync<T>(string path, long? installationId, CancellationToken ct)
    {
        var items = new List<T>();
        string? next = path;
        for (var page = 0; next is not null; page++)
        {
            if (page == Math.Max(1, Options.MaxPages))
            {
                _logger.LogWarning("Stopped after {Pages} pages of {Path}; the list is incomplete", page, path);
                break;
            }
            var response = await SendAsync(GitHubRequest.Get(next), installationId, ct).ConfigureAwait(false);
            items.AddRange(GitHubJson.Deserialize<List<T>>(response));
            next = response.NextLink;
            if (next is not null && !_transport.IsSameOrigin(next))
            {
                _logger.LogWarning("Not following a next-page link of {Path} to another host", path);
                break;
            }
        }
        return items;
    }
}
