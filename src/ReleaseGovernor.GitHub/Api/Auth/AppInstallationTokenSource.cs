using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// GitHub App credentials: the app JWT for app-level calls, and installation tokens
/// (<c>POST /app/installations/{id}/access_tokens</c>) for everything else. A token is kept per installation
/// until <see cref="RefreshBeforeExpiry"/> before its <c>expires_at</c>; concurrent callers for the same
/// installation share one request.
/// </summary>
public sealed partial class AppInstallationTokenSource : IGitHubTokenSource
{
    public static readonly TimeSpan RefreshBeforeExpiry = TimeSpan.FromMinutes(5);

    private readonly AppJwtFactory _jwt;
    private readonly GitHubTransport _transport;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<long, Task<InstallationToken>> _tokens = [];

    public AppInstallationTokenSource(AppJwtFactory jwt, GitHubTransport transport, TimeProvider? timeProvider = null,
        ILogger<AppInstallationTokenSource>? logger = null)
    {
        _jwt = jwt;
        _transport = transport;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public async Task<string> GetTokenAsync(long? installationId, CancellationToken ct)
    {
        if (installationId is not { } id) return _jwt.Create(_time.GetUtcNow());

        Task<InstallationToken> shared;
        lock (_gate)
        {
            if (!_tokens.TryGetValue(id, out shared!) || IsStale(shared))
            {
                // Not tied to one caller's token: others may be waiting on the same request.
                shared = Task.Run(() => FetchAsync(id), CancellationToken.None);
                _tokens[id] = shared;
            }
        }
        var token = await shared.WaitAsync(ct).ConfigureAwait(false);
        return token.Token;
    }

    private bool IsStale(Task<InstallationToken> task) =>
        task.IsFaulted || task.IsCanceled
        || (task.IsCompletedSuccessfully && _time.GetUtcNow() >= task.Result.ExpiresAt - RefreshBeforeExpiry);

    /// <summary>Octokit's <c>GitHubApps.CreateInstallationToken</c>, presenting the JWT we sign (Octokit signs none).</summary>
    private async Task<InstallationToken> FetchAsync(long installationId)
    {
        var jwt = _jwt.Create(_time.GetUtcNow());
        var path = $"/app/installations/{installationId.ToString(CultureInfo.InvariantCulture)}/access_tokens";
        var issued = await _transport.SendAsync(GitHubCall.Write(path, idempotent: true), jwt,
            octokit => octokit.GitHubApps.CreateInstallationToken(installationId), CancellationToken.None).ConfigureAwait(false);
        if (string.IsNullOrEmpty(issued?.Token))
            throw new GitHubApiException($"GitHub answered POST {path} without a token.",
                HttpStatusCode.Created, "POST", path, null, attempts: 1, isRetryable: true);
        TokenIssued(_logger, installationId, issued.ExpiresAt);
        return new InstallationToken(issued.Token, issued.ExpiresAt);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Got an installation token for installation {InstallationId}, valid until {ExpiresAt:u}")]
    private static partial void TokenIssued(ILogger logger, long installationId, DateTimeOffset expiresAt);

    private sealed record InstallationToken(string Token, DateTimeOffset ExpiresAt)
    {
        public override string ToString() => $"InstallationToken(***, {ExpiresAt:u})";
    }
}
