using ReleaseGovernor.Core.Commits;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.Processing.Effects;

namespace ReleaseGovernor.Processing.Decisions;

/// <summary>
/// When a freeze window closes: of the shas it held, only the newest is decided again (through every rule, like any
/// other); the older ones are recorded as superseded by it in the same transaction. Nothing waiting: the item completes.
/// </summary>
public sealed class ThawHandler(IEventStore store, ReleaseEvaluator evaluator, TimeProvider clock)
{
    public async Task RunAsync(ClaimedItem item, Func<EventSession, Task> complete, CancellationToken ct)
    {
        var thaw = EffectRecord.Payload<ThawPayload>(item);
        var state = await store.LoadReleaseStateAsync(item.StreamId, ct) ?? ReleaseState.Initial;
        if (state.FrozenShas.Count == 0)
        {
            await using var session = await store.OpenSessionAsync(ct);
            await complete(session);
            await session.CommitAsync(ct);
            return;
        }

        var newest = state.FrozenShas[^1];
        var superseded = ReleaseDecider.Decide(state, new ReleaseCommand.SupersedeFrozen(thaw.WindowEnd, clock.GetUtcNow()));
        await evaluator.EvaluateAsync(RepoRef.Parse(thaw.Repository), thaw.InstallationId, Sha.Parse(newest, "the newest frozen sha"), superseded, EffectRecord.MetadataOf(item), complete, ct,
            target: Outbox.OutboxProcessor.TargetOf(item));
    }
}
