using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Health;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.EventStore.Stops;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.Processing.Decisions;
using ReleaseGovernor.Processing.Effects;
using ReleaseGovernor.Processing.Observability;

namespace ReleaseGovernor.Processing.Health;

/// <summary>
/// Runs the watch of production after a deploy, one outbox item per probe. Each item is a timer (due at the probe's
/// time), so the watch survives restarts, any replica runs it, and there is never more than one probe of a stream
/// waiting: the next one is enqueued by the transaction that records this one. The probe's outcome goes through the one
/// write path and the pure decider (<see cref="HealthDecider"/>), which also decides the rollback.
/// </summary>
public sealed class HealthWatchHandler(IEventStore store, ConfigSource configs, HealthProber prober, GovernorMetrics metrics, TimeProvider clock)
{
    private readonly ReleaseWriter _writer = new(store);
    private readonly EmergencyStopStore _stops = new(store);

    public async Task RunAsync(ClaimedItem item, Func<EventSession, Task> complete, CancellationToken ct)
    {
        var p = EffectRecord.Payload<HealthProbePayload>(item);
        var repo = RepoRef.Parse(p.Repository);
        var metadata = EffectRecord.MetadataOf(item) with { Actor = "system" };
        if (await configs.LoadAsync(repo, p.InstallationId, p.Sha, ct) is not ConfigLoadResult.Loaded { Config: var config }
            || config.HealthCheck is not { HasTarget: true } health)
        {
            // No health_check at the deployed sha: production health stays unknown, as before there were health checks.
            await CompleteOnlyAsync(complete, ct);
            return;
        }

        if (p.Probe == 0)
        {
            await _writer.WriteAsync(item.StreamId, (state, _, _) =>
            {
                var now = clock.GetUtcNow();
                var events = ReleaseDecider.Decide(state, new ReleaseCommand.StartHealthWatch(p.Sha, health, now));
                return Task.FromResult(new ReleaseWrite<bool>(events, metadata, true, async (session, _) =>
                {
                    if (events.Count > 0) await ScheduleNextAsync(session, item, p, repo, Fold(state, events), health, now, ct);
                    await complete(session);
                }));
            }, ct);
            return;
        }

        var before = await store.LoadReleaseStateAsync(item.StreamId, ct) ?? ReleaseState.Initial;
        if (!HealthDecider.IsDue(before, p.Sha, p.Probe))
        {
            await CompleteOnlyAsync(complete, ct);
            return;
        }
        var result = await prober.ProbeAsync(repo, p.InstallationId, p.Sha, health, ct);
        var stop = (await _stops.LoadAsync(ct)).For(repo);
        var recorded = await _writer.WriteAsync(item.StreamId, async (state, _, token) =>
        {
            var now = clock.GetUtcNow();
            var target = state.ProductionShaPrevious;
            var record = target is null ? null : await store.LoadShaAsync(item.StreamId, target, token);
            var attempt = Math.Max(target is null ? 0 : state.DispatchCount(target), record?.Dispatches ?? 0) + 1;
            var events = ReleaseDecider.Decide(state, new ReleaseCommand.RecordHealthProbe(p.Sha, p.Probe, result,
                new RollbackInput(config, stop, attempt), now));
            return new ReleaseWrite<IReadOnlyList<ReleaseEvent>>(events, metadata, events, async (session, stored) =>
            {
                if (events.Count > 0) await ScheduleNextAsync(session, item, p, repo, Fold(state, events), health, now, token);
                await HealthEffects.EnqueueAsync(session, repo, p.InstallationId, item.StreamId, state, stored, token);
                await complete(session);
            });
        }, ct);
        foreach (var e in recorded) metrics.Health(e);
    }

    private static ReleaseState Fold(ReleaseState state, IReadOnlyList<ReleaseEvent> events) => events.Aggregate(state, ReleaseProjection.Apply);

    private static async Task ScheduleNextAsync(EventSession session, ClaimedItem item, HealthProbePayload p, RepoRef repo, ReleaseState after,
        HealthCheckConfig health, DateTimeOffset now, CancellationToken ct)
    {
        if (HealthDecider.Next(after, health, now) is { } next)
            await Effect.EnqueueAsync(session, new Effect.HealthProbe(item.StreamId, repo, p.InstallationId, p.Sha, next.Probe, p.Watch, next.DueAt),
                item.CorrelationId, item.CausationId, ct);
    }

    private async Task CompleteOnlyAsync(Func<EventSession, Task> complete, CancellationToken ct)
    {
        await using var session = await store.OpenSessionAsync(ct);
        await complete(session);
        await session.CommitAsync(ct);
    }
}
