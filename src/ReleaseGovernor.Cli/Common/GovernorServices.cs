using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using ReleaseGovernor.Core.Config;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.GitHub.Api;
using ReleaseGovernor.Processing;
using ReleaseGovernor.Processing.Recovery;

namespace ReleaseGovernor.Cli;

/// <summary>
/// The same processing services the server runs, for commands that decide (simulate, trigger, reevaluate):
/// GitHub settings come from the environment (GitHub__Token, or GitHub__AppId + GitHub__PrivateKeyPath; GitHub__ApiBaseUrl;
/// GitHub__HookId + GitHub__HookRepository for a repository webhook's delivery log), the sweep's from ReleaseGovernor__Recovery__*.
/// </summary>
public static class GovernorServices
{
    public static ServiceProvider Build(NpgsqlDataSource db, IReadOnlyDictionary<string, string?> env)
    {
        var overrideErrors = EnvironmentOverrides.Validate(env);
        if (overrideErrors.Count > 0)
            throw new CliException(string.Join("; ", overrideErrors));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(env.Where(e => e.Key.StartsWith("GitHub__", StringComparison.Ordinal) || e.Key.StartsWith("ReleaseGovernor__Recovery__", StringComparison.Ordinal))
                .Select(e => new KeyValuePair<string, string?>(e.Key.Replace("__", ":"), e.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(db);
        services.AddSingleton<IEventStore>(new MartenEventStore(db));
        services.AddSingleton(TimeProvider.System);
        services.AddGitHubClient(configuration.GetSection("GitHub"));
        services.AddSingleton(configuration.GetSection(DeliverySweepOptions.SectionName).Get<DeliverySweepOptions>() ?? new DeliverySweepOptions());
        services.AddGovernorProcessing(new GovernorSettings { Environment = env });
        return services.BuildServiceProvider();
    }

    /// <summary>Runs a GitHub-backed step, turning GitHub failures into one actionable line.</summary>
    public static async Task<T> GitHubAsync<T>(Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (GitHubConfigurationException e)
        {
            throw new CliException($"GitHub is not configured: {e.Message}");
        }
        catch (GitHubApiException e)
        {
            throw new CliException($"GitHub refused {e.Method} {e.Path}: {e.Message}");
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"GitHub could not be reached ({e.Message}): check GitHub__ApiBaseUrl and the network.");
        }
    }
}
