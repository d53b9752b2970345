using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Octokit;
using Octokit.Internal;
using Polly.Timeout;
using OctokitClient = Octokit.GitHubClient;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// Octokit's <see cref="OctokitClient"/> over an explicit <see cref="Connection"/> to
/// <see cref="GitHubOptions.ApiBaseUrl"/> (an explicit connection keeps the address as configured; Octokit's
/// own constructor would append <c>/api/v3</c> to any host but github.com). Its <see cref="HttpClientAdapter"/>
/// sends through <see cref="GitHubHeadersHandler"/>, <see cref="GitHubResilienceHandler"/> (retries, timeouts,
/// rate limits) and <see cref="GitHubMetricsHandler"/> (per-attempt metrics) into the given handler, the one <c>IHttpClientFactory</c> builds in the host.
/// <see cref="SendAsync{T}"/> runs one call and turns every failure into <see cref="GitHubApiException"/> or a subclass.
/// </summary>
public sealed class GitHubTransport
{
    private readonly GitHubOptions _options;
    private readonly Uri _baseUri;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Connection _connection;

    /// <param name="handler">Innermost handler (e.g. from <c>IHttpMessageHandlerFactory</c>); kept for the transport's life.</param>
    /// <param name="timeProvider">Clock for retry delays and timeouts; tests pass a manual one.</param>
    /// <param name="metrics">Where each attempt and rate-limit budget is counted; none when null.</param>
    public GitHubTransport(HttpMessageHandler handler, GitHubOptions options, TimeProvider? timeProvider = null,
        ILogger<GitHubTransport>? logger = null, GitHubMetrics? metrics = null)
    {
        _options = options;
        _baseUri = options.BaseUri();
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var chain = new GitHubHeadersHandler(options)
        {
            InnerHandler = new GitHubResilienceHandler(options, _time, _logger)
            {
                InnerHandler = metrics is null ? handler : new GitHubMetricsHandler(metrics, _baseUri.AbsolutePath) { InnerHandler = handler },
            },
        };
        var http = new HttpClientAdapter(() => chain);
        // GitHubHeadersHandler sends GitHubOptions.UserAgent as is; Octokit's product name must be a bare token.
        _connection = new Connection(new ProductHeaderValue("ReleaseGovernor"), WithTrailingSlash(_baseUri),
            new CallCredentialStore(), http, new SimpleJsonSerializer());
        // Per-attempt timeouts come from GitHubOptions.Timeout. Octokit still bounds each call, retries included,
        // by its request timeout (100 s) for the calls that take a CancellationToken; it cannot be changed there.
        _connection.SetRequestTimeout(System.Threading.Timeout.InfiniteTimeSpan);
        Client = new OctokitClient(_connection);
    }

    internal GitHubOptions Options => _options;

    internal IGitHubClient Client { get; }

    /// <summary>The primary rate limit GitHub reported on the last answer (Octokit's <c>GetLastApiInfo()</c>), when it sent one.</summary>
    public GitHubRateBudget? LastRateBudget =>
        _connection.GetLastApiInfo()?.RateLimit is { Limit: > 0 } limit
            ? new GitHubRateBudget(limit.Limit, limit.Remaining, limit.Reset)
            : null;

    /// <summary>
    /// Runs <paramref name="send"/> (one Octokit call) with <paramref name="token"/> as bearer.
    /// <paramref name="call"/> names the request for errors until the first attempt is sent.
    /// </summary>
    internal async Task<T> SendAsync<T>(GitHubCall call, string token, Func<IGitHubClient, Task<T>> send, CancellationToken ct)
    {
        var scoped = new GitHubCall(call.Method, call.Path, call.Idempotent) { Token = token, InstallationId = call.InstallationId };
        GitHubCall.Current = scoped; // restored when this async method returns
        try
        {
            return await send(Client).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            throw GitHubErrors.FromOctokit(e, scoped, _time.GetUtcNow(), _options.MaxRetryAfter);
        }
        catch (TimeoutRejectedException e)
        {
            throw GitHubErrors.Timeout(scoped.Method, scoped.Path, scoped.Attempts, _options.Timeout, scoped.Idempotent, e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            // Octokit's whole-call timeout, or a timeout inside the handler.
            throw GitHubErrors.Timeout(scoped.Method, scoped.Path, scoped.Attempts, _options.Timeout, scoped.Idempotent, e);
        }
        catch (HttpRequestException e)
        {
            throw GitHubErrors.Network(scoped.Method, scoped.Path, Math.Max(1, scoped.Attempts), scoped.Idempotent, e);
        }
    }

    /// <summary>
    /// <paramref name="target"/> as Octokit wants it: a path below the API root ("/repos/o/r/...") becomes relative
    /// to it; an absolute URL (from a <c>Link</c> header) must point at the API host, so the token never travels elsewhere.
    /// </summary>
    internal Uri Resolve(string target)
    {
        if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!IsSameOrigin(target))
                throw new InvalidOperationException($"Refusing to send GitHub credentials to '{new Uri(target).GetLeftPart(UriPartial.Authority)}'.");
            return new Uri(target);
        }
        return new Uri(target.TrimStart('/'), UriKind.Relative);
    }

    /// <summary>Whether <paramref name="link"/> (from a Link header) points at the configured API host.</summary>
    internal bool IsSameOrigin(string link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri)
        && Uri.Compare(uri, _baseUri, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
