using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.Processing;
using ReleaseGovernor.Processing.Outbox;
using ReleaseGovernor.Server.Hosting;

namespace ReleaseGovernor.Server.Processing;

/// <summary>
/// Claims outbox items (FOR UPDATE SKIP LOCKED, with a lease, so replicas share the work without doing any item
/// twice; in turns by installation and repository, at most <see cref="GovernorSettings.MaxInFlightPerRepository"/>
/// of one repository in flight) and runs up to <see cref="GovernorSettings.Concurrency"/> at once, claiming more as
/// soon as one finishes; woken at once by this process's deliveries, polling for the others'. While a backlog waits
/// (the last claim filled every free slot), it claims in batches of half its slots: a claim ranks every pending lane,
/// so it costs about the same for one item as for several.
/// </summary>
public sealed partial class OutboxWorker(
    OutboxStore outbox,
    OutboxProcessor processor,
    WorkSignal signal,
    Readiness readiness,
    GovernorSettings settings,
    ILogger<OutboxWorker> log) : BackgroundService
{
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WhenReady.WaitAsync(stoppingToken);
        var running = new List<Task>();
        var batch = Math.Max(1, settings.Concurrency / 2);
        var backlog = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            running.RemoveAll(t => t.IsCompleted);
            try
            {
                var free = settings.Concurrency - running.Count;
                if (free > 0 && (!backlog || free >= batch || running.Count == 0))
                {
                    var items = await outbox.ClaimAsync(_owner, free, settings.Lease, Math.Max(1, settings.MaxInFlightPerRepository), stoppingToken);
                    running.AddRange(items.Select(item => processor.RunAsync(item, _owner, stoppingToken)));
                    backlog = items.Count == free;
                    if (backlog) continue;
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                ClaimFailed(e.Message);
            }
            try { await WaitForWorkAsync(running, stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
        }
        await Task.WhenAll(running);
    }

    /// <summary>Until new work is signalled, the poll interval passes, or a running item finishes (a slot frees).</summary>
    private async Task WaitForWorkAsync(List<Task> running, CancellationToken stoppingToken)
    {
        using var slotFreed = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var waiting = signal.WaitAsync(settings.PollInterval, slotFreed.Token);
        if (running.Count > 0 && await Task.WhenAny([waiting, .. running]) != waiting)
            await slotFreed.CancelAsync();
        try { await waiting; }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox worker: {Error}; trying again shortly")]
    private partial void ClaimFailed(string error);
}
