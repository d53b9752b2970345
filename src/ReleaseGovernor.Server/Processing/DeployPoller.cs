using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.Processing;
using ReleaseGovernor.Processing.Recovery;
using ReleaseGovernor.Server.Hosting;

namespace ReleaseGovernor.Server.Processing;

/// <summary>
/// On a slow beat, apart from the outbox worker so it never holds up claims: asks GitHub about every deploy still
/// in flight (a lost delivery must not leave one waiting for ever) and prunes completed outbox items.
/// </summary>
public sealed partial class DeployPoller(
    DeployReconciler reconciler,
    OutboxStore outbox,
    Readiness readiness,
    GovernorSettings settings,
    TimeProvider clock,
    ILogger<DeployPoller> log) : BackgroundService
{
    private static readonly TimeSpan KeepCompleted = TimeSpan.FromDays(7);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WhenReady.WaitAsync(stoppingToken);
        using var beat = new PeriodicTimer(settings.ReconcileInterval, clock);
        while (await beat.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await reconciler.ReconcileAsync(stoppingToken);
                await outbox.PruneCompletedAsync(KeepCompleted, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                PollFailed(e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling in-flight deploys failed: {Error}; trying again on the next beat")]
    private partial void PollFailed(string error);
}
