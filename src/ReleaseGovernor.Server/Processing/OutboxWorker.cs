using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.Processing;
using ReleaseGovernor.Processing.Outbox;
using ReleaseGovernor.Processing.Recovery;
using ReleaseGovernor.Server.Hosting;

namespace ReleaseGovernor.Server.Processing;

/// <summary>
/// Claims outbox items (FOR UPDATE SKIP LOCKED, with a lease, so replicas share the work without doing any item
/// twice) and runs them; woken at once by this process's deliveries, polling for the others'. Also polls
/// in-flight deploys on a slower beat.
/// </summary>
public sealed class OutboxWorker(
    OutboxStore outbox,
    OutboxProcessor processor,
    DeployReconciler reconciler,
    WorkSignal signal,
    Readiness readiness,
    GovernorSettings settings,
    TimeProvider clock,
    ILogger<OutboxWorker> log) : BackgroundService
{
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WhenReady.WaitAsync(stoppingToken);
        var nextReconcile = clock.GetUtcNow() + settings.ReconcileInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var items = await outbox.ClaimAsync(_owner, settings.Concurrency, settings.Lease, stoppingToken);
                if (items.Count > 0)
                {
                    await Task.WhenAll(items.Select(item => processor.RunAsync(item, _owner, stoppingToken)));
                    continue;
                }
                if (clock.GetUtcNow() >= nextReconcile)
                {
                    await reconciler.ReconcileAsync(stoppingToken);
                    nextReconcile = clock.GetUtcNow() + settings.ReconcileInterval;
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning("Outbox worker: {Error}; trying again shortly", e.Message);
            }
            try { await signal.WaitAsync(settings.PollInterval, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }
}
