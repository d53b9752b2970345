using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Octokit;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// The GitHub REST calls ReleaseGovernor makes, sent by Octokit (<see cref="GitHubTransport"/>) and answered in
/// our own models. Repository calls take the installation id the token is for (ignored with a plain token).
/// Failures throw <see cref="GitHubApiException"/> or a subclass; missing credentials throw
/// <see cref="GitHubConfigurationException"/>.
/// <para>
/// Calls go through Octokit's <see cref="IConnection"/> with Octokit's response models rather than its
/// repository clients: those take no <see cref="CancellationToken"/>, page on their own terms and build some
/// paths and queries differently (per_page, compare, dispatch). The connection still does the serialization,
/// credentials, error detection and rate-limit bookkeeping.
/// </para>
/// </summary>
public sealed partial class GitHubClient
{
    /// <summary>GitHub's recommended media type; Octokit would send <c>application/vnd.github.v3+json</c>.</summary>
    private const string Accept = "application/vnd.github+json";

    private readonly GitHubTransport _transport;
    private readonly IGitHubTokenSource _tokens;
    private readonly ILogger _logger;

    public GitHubClient(GitHubTransport transport, IGitHubTokenSource tokens, ILogger<GitHubClient>? logger = null)
    {
        _transport = transport;
        _tokens = tokens;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The primary rate limit GitHub reported on the last answer, when it sent one.</summary>
    public GitHubRateBudget? LastRateBudget => _transport.LastRateBudget;

    private GitHubOptions Options => _transport.Options;

    private async Task<IApiResponse<T>> GetAsync<T>(string target, long? installationId, CancellationToken ct)
    {
        var token = await _tokens.GetTokenAsync(installationId, ct).ConfigureAwait(false);
        var uri = _transport.Resolve(target);
        return await _transport.SendAsync(GitHubCall.Read(target, installationId), token,
            octokit => octokit.Connection.Get<T>(uri, null, Accept, ct), ct).ConfigureAwait(false);
    }

    private async Task<T> GetBodyAsync<T>(string target, long? installationId, CancellationToken ct) =>
        BodyOf(await GetAsync<T>(target, installationId, ct).ConfigureAwait(false), "GET", target);

    /// <summary>The answer's body, or null when GitHub answers 404 (not retried).</summary>
    private async Task<T?> GetOrNullAsync<T>(string target, long? installationId, CancellationToken ct) where T : class
    {
        try
        {
            return await GetBodyAsync<T>(target, installationId, ct).ConfigureAwait(false);
        }
        catch (GitHubApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <param name="idempotent">False when running it twice would do it twice (see <see cref="GitHubCall.Idempotent"/>).</param>
    private async Task<IApiResponse<T>> PostAsync<T>(string path, object body, bool idempotent, long? installationId, CancellationToken ct)
    {
        var token = await _tokens.GetTokenAsync(installationId, ct).ConfigureAwait(false);
        var uri = _transport.Resolve(path);
        var json = GitHubJson.Serialize(body);
        return await _transport.SendAsync(GitHubCall.Write(path, idempotent, installationId), token,
            octokit => octokit.Connection.Post<T>(uri, json, Accept, GitHubJson.MediaType, parameters: null, ct), ct).ConfigureAwait(false);
    }

    /// <summary>Follows <c>Link rel="next"</c> up to <see cref="GitHubOptions.MaxPages"/> pages, on the API host only.</summary>
    private async Task<IReadOnlyList<TResult>> GetAllPagesAsync<TOctokit, TResult>(string path, long? installationId,
        Func<TOctokit, TResult> map, CancellationToken ct)
    {
        var items = new List<TResult>();
        string? next = path;
        for (var page = 0; next is not null; page++)
        {
            if (page == Math.Max(1, Options.MaxPages))
            {
                StoppedPaging(_logger, page, path);
                break;
            }
            var response = await GetAsync<List<TOctokit>>(next, installationId, ct).ConfigureAwait(false);
            items.AddRange((response.Body ?? []).Select(map));
            next = LinkHeader.Next(response.HttpResponse.Headers);
            if (next is not null && !_transport.IsSameOrigin(next))
            {
                NotFollowingLink(_logger, path);
                break;
            }
        }
        return items;
    }

    private static T BodyOf<T>(IApiResponse<T> response, string method, string target) =>
        response.Body ?? throw new JsonException(
            $"GitHub answered {(int)response.HttpResponse.StatusCode} for {method} {target} with an empty JSON body.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped after {Pages} pages of {Path}; the list is incomplete")]
    private static partial void StoppedPaging(ILogger logger, int pages, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not following a next-page link of {Path} to another host")]
    private static partial void NotFollowingLink(ILogger logger, string path);
}
