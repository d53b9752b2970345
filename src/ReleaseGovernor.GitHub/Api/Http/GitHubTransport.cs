using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// Sends REST calls to GitHub with the standard headers, a per-attempt timeout and bounded retries
/// (exponential backoff with jitter; GitHub's Retry-After / x-ratelimit-reset honoured up to
/// <see cref="GitHubOptions.MaxRetryAfter"/>). Failures end as <see cref="GitHubApiException"/> and subclasses.
/// Never logs headers or bodies, so tokens stay out of logs.
/// </summary>
public sealed class GitHubTransport
{
    private readonly HttpClient _http;
    private readonly GitHubOptions _options;
    private readonly Uri _baseUri;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _idempotentPipeline;
    private readonly ResiliencePipeline<HttpResponseMessage> _unsafePipeline;

    /// <param name="http">Used as is; its own Timeout should be infinite, the per-attempt timeout comes from options.</param>
    /// <param name="timeProvider">Clock for retry delays and timeouts; tests pass a manual one.</param>
    public GitHubTransport(HttpClient http, GitHubOptions options, TimeProvider? timeProvider = null, ILogger<GitHubTransport>? logger = null)
    {
        _http = http;
        _options = options;
        _baseUri = options.BaseUri();
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _idempotentPipeline = BuildPipeline(idempotent: true);
        _unsafePipeline = BuildPipeline(idempotent: false);
    }

    internal GitHubOptions Options => _options;

    internal async Task<GitHubResponse> SendAsync(GitHubRequest request, string token, CancellationToken ct)
    {
        var uri = Resolve(request.Target);
        var method = request.Method.Method;
        var path = uri.PathAndQuery;
        var attempt = new Attempt(this, request, uri, token, GitHubCallContext.CorrelationId,
            request.Body is null ? null : JsonSerializer.SerializeToUtf8Bytes(request.Body, GitHubJson.Options));
        var pipeline = request.Idempotent ? _idempotentPipeline : _unsafePipeline;

        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(
                static (a, attemptCt) => a.SendAsync(attemptCt), attempt, ct).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException e)
        {
            throw GitHubErrors.Timeout(method, path, attempt.Count, _options.Timeout, request.Idempotent, e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            // HttpClient.Timeout of a caller-supplied client, or a timeout inside the handler.
            throw GitHubErrors.Timeout(method, path, attempt.Count, _options.Timeout, request.Idempotent, e);
        }
        catch (HttpRequestException e)
        {
            throw GitHubErrors.Network(method, path, attempt.Count, request.Idempotent, e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (request.Accepts(response.StatusCode))
                return new GitHubResponse(response.StatusCode, body, LinkHeader.Next(response.Headers), method, path, attempt.Count);

            var limit = await RateLimitSignal.ReadAsync(response, _time.GetUtcNow()).ConfigureAwait(false);
            throw GitHubErrors.FromResponse(response.StatusCode, method, path, body, limit, attempt.Count,
                request.Idempotent, _options.MaxRetryAfter);
        }
    }

    /// <summary>Whether <paramref name="link"/> (from a Link header) points at the configured API host.</summary>
    internal bool IsSameOrigin(string link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri)
        && Uri.Compare(uri, _baseUri, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private Uri Resolve(string target)
    {
        if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            // Only ever follow links back to the API host: the token must not travel anywhere else.
            if (!IsSameOrigin(target))
                throw new InvalidOperationException($"Refusing to send GitHub credentials to '{new Uri(target).GetLeftPart(UriPartial.Authority)}'.");
            return new Uri(target);
        }
        return new Uri(_baseUri.AbsoluteUri.TrimEnd('/') + target);
    }

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline(bool idempotent) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(0, _options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.BaseDelay,
                MaxDelay = _options.MaxDelay,
                ShouldHandle = args => GitHubRetryRules.ShouldRetryAsync(args.Outcome, idempotent, _time.GetUtcNow(), _options.MaxRetryAfter),
                DelayGenerator = async args =>
                    args.Outcome.Result is { } response
                    && await RateLimitSignal.ReadAsync(response, _time.GetUtcNow()).ConfigureAwait(false) is { Wait: { } wait }
                        ? wait
                        : null,
                OnRetry = args =>
                {
                    _logger.LogWarning(
                        "GitHub call failed on attempt {Attempt} ({Reason}); retrying in {DelayMs} ms",
                        args.AttemptNumber + 1, GitHubRetryRules.Describe(args.Outcome), (long)args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(_options.Timeout)
            .Build();

    /// <summary>State of one logical call across its attempts; builds a fresh message each time.</summary>
    private sealed class Attempt(GitHubTransport owner, GitHubRequest request, Uri uri, string token, string? correlationId, byte[]? body)
    {
        public int Count;

        public async ValueTask<HttpResponseMessage> SendAsync(CancellationToken ct)
        {
            Interlocked.Increment(ref Count);
            using var message = new HttpRequestMessage(request.Method, uri);
            var options = owner._options;
            message.Headers.TryAddWithoutValidation("User-Agent", options.UserAgent);
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
            message.Headers.TryAddWithoutValidation("X-GitHub-Api-Version", options.ApiVersion);
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (!string.IsNullOrEmpty(correlationId))
                message.Headers.TryAddWithoutValidation(GitHubCallContext.HeaderName, correlationId);
            if (body is not null)
            {
                message.Content = new ByteArrayContent(body);
                message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            }
            return await owner._http.SendAsync(message, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        }
    }
}
