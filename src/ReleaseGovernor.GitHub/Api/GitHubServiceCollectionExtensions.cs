using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReleaseGovernor.GitHub.Api;

public static class GitHubServiceCollectionExtensions
{
    /// <summary>Key of the <see cref="HttpClient"/> the GitHub transport uses.</summary>
    public const string HttpClientKey = "ReleaseGovernor.GitHub";

    /// <summary>
    /// Registers <see cref="GitHubClient"/>, <see cref="GitHubTransport"/> and the <see cref="IGitHubTokenSource"/>
    /// chosen from <paramref name="section"/> (the <c>GitHub</c> section: ApiBaseUrl, AppId, PrivateKeyPath,
    /// PrivateKeyPem, Token, ApiVersion, retry settings). A registered <see cref="TimeProvider"/> is used if present.
    /// </summary>
    public static IServiceCollection AddGitHubClient(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<GitHubOptions>().Bind(section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton(HttpClientKey, (_, _) => new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5), // pick up DNS changes
        })
        {
            Timeout = Timeout.InfiniteTimeSpan, // per-attempt timeouts come from GitHubOptions.Timeout
        });
        services.TryAddSingleton(sp => new GitHubTransport(
            sp.GetRequiredKeyedService<HttpClient>(HttpClientKey),
            sp.GetRequiredService<IOptions<GitHubOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<GitHubTransport>>()));
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
