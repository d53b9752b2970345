using ReleaseGovernor.Core.Text;
using ReleaseGovernor.Processing.Recovery;
using ReleaseGovernor.Server.Hosting;

namespace ReleaseGovernor.Server.Processing;

/// <summary>
/// Runs the delivery sweep once when the service is ready (after startup recovery) and then every
/// <c>ReleaseGovernor__Recovery__DeliveriesInterval</c>. Beside the webhook route, never in its way: a failing sweep
/// is logged and tried again on the next beat.
/// </summary>
public sealed class DeliverySweepWorker(
    DeliverySweep sweep,
    DeliverySweepOptions options,
    Readiness readiness,
    TimeProvider clock,
    ILogger<DeliverySweepWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WhenReady.WaitAsync(stoppingToken);
        if (!await RunAsync("startup", stoppingToken)) return;
        using var beat = new PeriodicTimer(options.DeliveriesInterval, clock);
        while (await beat.WaitForNextTickAsync(stoppingToken))
            if (!await RunAsync("interval", stoppingToken)) return;
    }

    /// <summary>False when there is no delivery log to read: then the worker stops.</summary>
    private async Task<bool> RunAsync(string trigger, CancellationToken ct)
    {
        try
        {
            switch (await sweep.SweepAsync(trigger, ct))
            {
                case SweepResult.NotConfigured off:
                    log.LogInformation("Delivery recovery is off: {Reason}", off.Reason);
                    return false;
                case SweepResult.Busy:
                    log.LogDebug("Delivery sweep skipped: another replica is sweeping");
                    break;
                case SweepResult.Waiting waiting:
                    log.LogInformation("Delivery sweep skipped: GitHub asked to wait until {NotBefore:u}", waiting.NotBefore);
                    break;
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning("Delivery sweep failed: {Error}; trying again in {Interval}", SafeText.Clean(e.Message), options.DeliveriesInterval);
        }
        return true;
    }
}
