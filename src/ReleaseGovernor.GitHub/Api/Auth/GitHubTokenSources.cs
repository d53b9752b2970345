using Microsoft.Extensions.Logging;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>Chooses the credentials from the options: a token wins; else the GitHub App; else none (every call fails clearly).</summary>
public static partial class GitHubTokenSources
{
    public static IGitHubTokenSource FromOptions(GitHubOptions options, GitHubTransport transport, TimeProvider timeProvider,
        ILoggerFactory? loggerFactory = null)
    {
        if (!string.IsNullOrWhiteSpace(options.Token)) return new StaticTokenSource(options.Token);
        if (string.IsNullOrWhiteSpace(options.AppId)) return new UnconfiguredTokenSource();
        try
        {
            return new AppInstallationTokenSource(AppJwtFactory.FromOptions(options), transport, timeProvider,
                loggerFactory?.CreateLogger<AppInstallationTokenSource>());
        }
        catch (GitHubConfigurationException e)
        {
            if (loggerFactory is not null) CredentialsUnusable(loggerFactory.CreateLogger(typeof(GitHubTokenSources)), e.Message);
            return new UnconfiguredTokenSource(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "GitHub App credentials unusable: {Reason}")]
    private static partial void CredentialsUnusable(ILogger logger, string reason);
}
