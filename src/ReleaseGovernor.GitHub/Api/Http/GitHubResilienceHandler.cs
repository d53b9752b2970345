using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// Bounded retries and a per-attempt timeout under Octokit, which retries nothing itself: exponential backoff
/// with jitter, GitHub's <c>Retry-After</c> / <c>x-ratelimit-reset</c> honoured up to
/// <see cref="GitHubOptions.MaxRetryAfter"/> (<see cref="GitHubRetryRules"/> says what is retried). Each attempt
/// sends a fresh copy of the request and reads the whole body within its timeout. Attempts are counted on
/// <see cref="GitHubCall.Current"/>. Never logs headers or bodies, so tokens stay out of logs.
/// </summary>
internal sealed partial class GitHubResilienceHandler : DelegatingHandler
{
    private readonly GitHubOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _idempotent;
    private readonly ResiliencePipeline<HttpResponseMessage> _unsafe;

    public GitHubResilienceHandler(GitHubOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _idempotent = BuildPipeline(idempotent: true);
        _unsafe = BuildPipeline(idempotent: false);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = GitHubCall.Current;
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var pipeline = call?.Idempotent == false ? _unsafe : _idempotent;
        var attempt = new Attempt(this, request, body, call);
        var response = await pipeline.ExecuteAsync(static (a, ct) => a.SendAsync(ct), attempt, cancellationToken).ConfigureAwait(false);
        response.RequestMessage = request; // Octokit reads what it put on its own message
        return response;
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
                    Retrying(_logger, args.AttemptNumber + 1, GitHubRetryRules.Describe(args.Outcome), (long)args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(_options.Timeout)
            .Build();

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub call failed on attempt {Attempt} ({Reason}); retrying in {DelayMs} ms")]
    private static partial void Retrying(ILogger logger, int attempt, string reason, long delayMs);

    private Task<HttpResponseMessage> SendInnerAsync(HttpRequestMessage request, CancellationToken ct) => base.SendAsync(request, ct);

    /// <summary>One logical request across its attempts; each attempt sends a copy, as a message is sent only once.</summary>
    private sealed class Attempt(GitHubResilienceHandler owner, HttpRequestMessage original, byte[]? body, GitHubCall? call)
    {
        public async ValueTask<HttpResponseMessage> SendAsync(CancellationToken ct)
        {
            var copy = Copy();
            call?.RecordAttempt(copy);
            var response = await owner.SendInnerAsync(copy, ct).ConfigureAwait(false);
            await response.Content.LoadIntoBufferAsync(ct).ConfigureAwait(false);
            return response;
        }

        private HttpRequestMessage Copy()
        {
            var copy = new HttpRequestMessage(original.Method, original.RequestUri) { Version = original.Version };
            foreach (var header in original.Headers) copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            if (body is not null)
            {
                copy.Content = new ByteArrayContent(body);
                foreach (var header in original.Content!.Headers) copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            return copy;
        }
    }
}
