using ReleaseGovernor.EventStore.Local;

namespace ReleaseGovernor.Server.Hosting;

/// <summary>
/// With the local embedded database: when the server shuts down, it stops the PostgreSQL cluster it started
/// (<c>pg_ctl stop -m fast</c>). A cluster that was already running (started by <c>booty</c>, or by hand) is left running.
/// </summary>
public sealed class LocalDatabaseShutdown(LocalPostgresCluster cluster, ILogger<LocalDatabaseShutdown> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!cluster.StartedHere)
        {
            log.LogInformation("The local PostgreSQL cluster in {Folder} was running before the server started; it keeps running " +
                               "(stop it with: pg_ctl -D {Folder} stop)", cluster.DataFolder, cluster.DataFolder);
            return;
        }
        await cluster.StopAsync("fast", CancellationToken.None);
        log.LogInformation("Stopped the local PostgreSQL cluster in {Folder}", cluster.DataFolder);
    }
}
