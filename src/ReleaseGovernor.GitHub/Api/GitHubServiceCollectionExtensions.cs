using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReleaseGovernor.GitHub.Api;

public static class GitHubServiceCollectionExtensions
{
    /// <summary>Name of the <c>IHttpClientFactory</c> client whose handler chain the GitHub transport sends through.</summary>
    public const string HttpClientKey = "ReleaseGovernor.GitHub";

    /// <summary>
    /// Registers <see cref="GitHubClient"/>, <see cref="GitHubTransport"/> and the <see cref="IGitHubTokenSource"/>
    /// chosen from <paramref name="section"/> (the <c>GitHub</c> section: ApiBaseUrl, AppId, PrivateKeyPath,
    /// PrivateKeyPem, Token, ApiVersion, retry settings). A registered <see cref="TimeProvider"/> is used if present.
    /// The transport's innermost handler is the named client <see cref="HttpClientKey"/> of <c>IHttpClientFactory</c>
    /// (add handlers to it with <c>AddHttpClient(HttpClientKey)</c>); Octokit keeps that handler for the process's
    /// life, so its lifetime is infinite and <see cref="SocketsHttpHandler.PooledConnectionLifetime"/> picks up DNS changes.
    /// </summary>
    public static IServiceCollection AddGitHubClient(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<GitHubOptions>().Bind(section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<GitHubMetrics>();
        services.AddHttpClient(HttpClientKey)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.TryAddSingleton(sp => new GitHubTransport(
            sp.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(HttpClientKey),
            sp.GetRequiredService<IOptions<GitHubOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<GitHubTransport>>(),
            sp.GetRequiredService<GitHubMetrics>()));
        services.TryAddSingleton(sp => GitHubTokenSources.FromOptions(
            sp.GetRequiredService<IOptions<GitHubOptions>>().Value,
            sp.GetRequiredService<GitHubTransport>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton(sp => new GitHubClient(
            sp.GetRequiredService<GitHubTransport>(),
            sp.GetRequiredService<IGitHubTokenSource>(),
            sp.GetService<ILogger<GitHubClient>>()));
        return services;
    }
}
