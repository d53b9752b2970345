using Npgsql;
using ReleaseGovernor.EventStore.Local;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.Server.Processing;
using ReleaseGovernor.Server.Webhooks;

namespace ReleaseGovernor.Server.Hosting;

public static class ServerSetup
{
    public const string ConnectionStringName = "ReleaseGovernor";

    /// <summary>
    /// Composes the service. The database is <c>ConnectionStrings:ReleaseGovernor</c>, or, when none is set,
    /// the local embedded cluster under <c>.data/postgres</c> (created and started here, reused next time).
    /// </summary>
    public static async Task<WebApplicationBuilder> AddReleaseGovernorAsync(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var folder = LocalDatabase.DataFolder(builder.Configuration["ReleaseGovernor:DataFolder"]);
            Console.WriteLine($"No ConnectionStrings__ReleaseGovernor set: using the local PostgreSQL cluster in {folder}");
            connectionString = await LocalDatabase.StartAsync(folder);
        }

        var services = builder.Services;
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        services.AddSingleton<IEventStore>(sp => new PostgresEventStore(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<Readiness>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<WorkSignal>();
        services.AddSingleton<DeliveryIngestor>();
        services.Configure<WebhookOptions>(o => o.WebhookSecret = builder.Configuration["GitHub:WebhookSecret"]);
        services.AddHostedService<StartupWork>();
        return builder;
    }
}
