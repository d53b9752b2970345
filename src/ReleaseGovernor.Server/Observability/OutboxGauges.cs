using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.Processing.Observability;
using ReleaseGovernor.Server.Hosting;

namespace ReleaseGovernor.Server.Observability;

/// <summary>
/// Samples the outbox for <c>releasegovernor.outbox.depth</c> and <c>releasegovernor.outbox.lag</c> every
/// <see cref="TelemetrySetup.OutboxSampleIntervalSetting"/> (15 s by default): a scrape reads the last sample and never
/// waits on the database. Every replica reports the same table, so aggregate them with max, not sum.
/// </summary>
public sealed partial class OutboxGauges(OutboxStore outbox, GovernorMetrics metrics, Readiness readiness, IConfiguration configuration,
    TimeProvider clock, ILogger<OutboxGauges> log) : BackgroundService
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue(TelemetrySetup.OutboxSampleIntervalSetting, DefaultInterval);
        if (interval <= TimeSpan.Zero) interval = DefaultInterval;
        try
        {
            await readiness.WhenReady.WaitAsync(stoppingToken);
            using var timer = new PeriodicTimer(interval, clock);
            do
            {
                try
                {
                    metrics.Backlog(await outbox.BacklogAsync(stoppingToken));
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    SampleFailed(e.Message);
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not sample the outbox for its gauges: {Error}; the last sample stays")]
    private partial void SampleFailed(string error);
}
