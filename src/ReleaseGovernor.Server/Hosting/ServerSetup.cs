using Npgsql;
using ReleaseGovernor.Core.Config;
using ReleaseGovernor.EventStore.Local;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.GitHub.Api;
using ReleaseGovernor.Processing;
using ReleaseGovernor.Processing.Recovery;
using ReleaseGovernor.Server.Api;
using ReleaseGovernor.Server.Observability;
using ReleaseGovernor.Server.Processing;
using ReleaseGovernor.Server.Webhooks;

namespace ReleaseGovernor.Server.Hosting;

/// <summary>A setting the server cannot start with; the message names it and says what to do.</summary>
public sealed class StartupConfigurationException(string message) : Exception(message);

public static class ServerSetup
{
    public const string ConnectionStringName = "ReleaseGovernor";

    /// <summary>
    /// Composes the service. The database is <c>ConnectionStrings:ReleaseGovernor</c>, or, when none is set,
    /// the local embedded cluster under <c>.data/postgres</c> (created and started here, reused next time).
    /// </summary>
    public static async Task<WebApplicationBuilder> AddReleaseGovernorAsync(this WebApplicationBuilder builder)
    {
        var environment = EnvironmentOverrides.Snapshot(Environment.GetEnvironmentVariables());
        var overrideErrors = EnvironmentOverrides.Validate(environment);
        if (overrideErrors.Count > 0)
            throw new StartupConfigurationException(string.Join(Environment.NewLine, overrideErrors));

        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        var localDefault = string.IsNullOrWhiteSpace(connectionString);
        if (localDefault)
        {
            var folder = LocalDatabase.DataFolder(builder.Configuration["ReleaseGovernor:DataFolder"]);
            Console.WriteLine($"No ConnectionStrings__ReleaseGovernor set: using the local PostgreSQL cluster in {folder}");
            var cluster = await LocalDatabase.StartClusterAsync(folder);
            connectionString = cluster.ConnectionString(LocalDatabase.DatabaseName);
            // Registered first, so it stops last: after the workers, the cluster it started goes with the server.
            builder.Services.AddHostedService(sp => new LocalDatabaseShutdown(cluster, sp.GetRequiredService<ILogger<LocalDatabaseShutdown>>()));
        }

        var settings = builder.Configuration.GetSection("Processing").Get<GovernorSettings>() ?? new GovernorSettings();
        settings.Environment = environment;

        var services = builder.Services;
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(DatabaseConnection.WithDefaults(connectionString!)).ConfigureTracing(DatabaseTracing.Configure).Build());
        services.AddSingleton<IEventStore>(sp => new MartenEventStore(sp.GetRequiredService<NpgsqlDataSource>()));
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower));
        });
        services.AddSingleton<Readiness>();
        services.AddSingleton(ApiAccess.From(builder.Configuration, localDefault));
        services.AddSingleton(SettingsCheck.From(builder.Configuration));
        services.AddSingleton(TimeProvider.System);
        services.Configure<WebhookOptions>(o => o.WebhookSecret = builder.Configuration["GitHub:WebhookSecret"]);
        services.AddSingleton(new UnverifiedBodyBudget(
            builder.Configuration.GetValue("Webhooks:MaxUnverifiedBytes", WebhookOptions.DefaultMaxUnverifiedBytes),
            builder.Configuration.GetValue("Webhooks:MaxUnverifiedWait", TimeSpan.FromSeconds(10))));
        services.AddGitHubClient(builder.Configuration.GetSection("GitHub"));
        services.AddSingleton(builder.Configuration.GetSection(DeliverySweepOptions.SectionName).Get<DeliverySweepOptions>() ?? new DeliverySweepOptions());
        services.AddSingleton(ReleaseGovernor.Processing.Health.HealthProbeSettings.From(builder.Configuration));
        services.AddGovernorProcessing(settings);
        services.AddSingleton<IStartupTask, RecoveryStartupTask>();
        services.AddHostedService<StartupWork>();
        services.AddHostedService<OutboxWorker>();
        services.AddHostedService<DeployPoller>();
        services.AddHostedService<DeliverySweepWorker>();
        builder.AddGovernorTelemetry();
        return builder;
    }
}
