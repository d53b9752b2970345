using Npgsql;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.Server.Hosting;

/// <summary>
/// Migrates the schema (retrying while the database is unreachable), runs the startup tasks, then marks
/// the service ready.
/// </summary>
public sealed class StartupWork(
    NpgsqlDataSource dataSource,
    IEnumerable<IStartupTask> tasks,
    Readiness readiness,
    SettingsCheck settings,
    Api.ApiAccess api,
    ILogger<StartupWork> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var missing in settings.Missing)
            log.LogWarning("Setting missing: {Missing}", missing.ToString());
        log.LogInformation("Release API: {Access}", api.Describe());

        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                readiness.Report("migrating");
                await SchemaMigrator.MigrateAsync(dataSource, stoppingToken);
                break;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                log.LogWarning("Database not reachable yet ({Error}); retrying in {Delay} ms", e.Message, delay.TotalMilliseconds);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }

        foreach (var task in tasks)
        {
            readiness.Report(task.Name);
            log.LogInformation("Startup: {Task}", task.Name);
            await task.RunAsync(stoppingToken);
        }
        readiness.MarkReady();
        log.LogInformation("Ready");
    }
}
