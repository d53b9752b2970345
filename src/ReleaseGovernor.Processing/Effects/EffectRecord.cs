using System.Text.Json;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.Processing.Effects;

/// <summary>
/// How an effect records what GitHub did: its result event on the item's stream, any follow-up work, and the
/// item's completion, in one transaction.
/// </summary>
public static class EffectRecord
{
    public static EventMetadata MetadataOf(ClaimedItem item) =>
        new(item.CorrelationId ?? $"outbox:{item.Id}", item.CausationId, Actor: "release-governor");

    public static async Task RecordAsync(IEventStore store, ClaimedItem item, ReleaseEvent outcome, Func<EventSession, Task> complete,
        CancellationToken ct, Func<EventSession, Task>? followUp = null)
    {
        if (!StreamIds.IsRelease(item.StreamId))
        {
            await using var session = await store.OpenSessionAsync(ct);
            await session.AppendAsync(item.StreamId, null, [outcome], MetadataOf(item), ct);
            if (followUp is not null) await followUp(session);
            await complete(session);
            await session.CommitAsync(ct);
            return;
        }
        await new ReleaseWriter(store).WriteAsync(item.StreamId, (_, _, _) => Task.FromResult(new ReleaseWrite<bool>([outcome], MetadataOf(item), true,
            async (session, _) =>
            {
                if (followUp is not null) await followUp(session);
                await complete(session);
            })), ct);
    }

    public static T Payload<T>(ClaimedItem item) =>
        JsonSerializer.Deserialize<T>(item.PayloadJson, EventJson.Options)
        ?? throw new InvalidOperationException($"Outbox item {item.Id} ({item.Kind}) has an empty payload.");
}
