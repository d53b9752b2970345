using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.EventStore.Store;

/// <summary>What a writer wants stored: events for the release stream, and work to do in the same transaction (outbox).</summary>
public sealed record ReleaseWrite<T>(IReadOnlyList<ReleaseEvent> Events, EventMetadata Metadata, T Result,
    Func<EventSession, IReadOnlyList<StoredEvent>, Task>? AlsoInTransaction = null);

/// <summary>
/// The one write path of release streams: read the state from its snapshot, decide (the caller's pure decision, after any
/// GitHub reads it needs — no transaction is open meanwhile), append at the version read, run the same-transaction work
/// (outbox effects, completing the item that asked), save. When another writer moved the stream first, all of it again
/// on the fresh state. After <see cref="OptimisticAttempts"/> lost races the writer takes the stream's row lock before it
/// reads and decides: nobody can move the stream under it then, so a busy stream never starves a writer.
/// </summary>
public sealed class ReleaseWriter(IEventStore store)
{
    public const int OptimisticAttempts = 4;
    public const int MaxAttempts = 8;

    public async Task<T> WriteAsync<T>(string streamId, Func<ReleaseState, int, CancellationToken, Task<ReleaseWrite<T>>> decide, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return attempt <= OptimisticAttempts
                    ? await OptimisticAsync(streamId, decide, attempt, ct)
                    : await ExclusiveAsync(streamId, decide, attempt, ct);
            }
            catch (StreamConcurrencyException) when (attempt < MaxAttempts)
            {
                // Someone else moved the release stream (or created it at the same moment): decide again on the fresh state.
            }
        }
    }

    private async Task<T> OptimisticAsync<T>(string streamId, Func<ReleaseState, int, CancellationToken, Task<ReleaseWrite<T>>> decide, int attempt,
        CancellationToken ct)
    {
        var state = await store.LoadReleaseStateAsync(streamId, ct) ?? ReleaseState.Initial;
        var write = await decide(state, attempt, ct);
        await using var session = await store.OpenSessionAsync(ct);
        return await SaveAsync(session, streamId, state, write, ct);
    }

    private async Task<T> ExclusiveAsync<T>(string streamId, Func<ReleaseState, int, CancellationToken, Task<ReleaseWrite<T>>> decide, int attempt,
        CancellationToken ct)
    {
        await using var session = await store.OpenSessionAsync(ct);
        var state = await session.LoadReleaseAsync(streamId, exclusive: true, ct);
        var write = await decide(state, attempt, ct);
        return await SaveAsync(session, streamId, state, write, ct);
    }

    private static async Task<T> SaveAsync<T>(EventSession session, string streamId, ReleaseState state, ReleaseWrite<T> write, CancellationToken ct)
    {
        var recorded = await session.AppendAsync(streamId, state.Version, write.Events, write.Metadata, ct);
        if (write.AlsoInTransaction is not null) await write.AlsoInTransaction(session, recorded);
        await session.CommitAsync(ct);
        return write.Result;
    }
}
