using Marten;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Projections;

namespace ReleaseGovernor.EventStore.Store;

/// <summary>Reads a release stream's state from its snapshot, never by replaying the stream.</summary>
internal static class SnapshotReader
{
    /// <summary>
    /// The snapshot, checked against the stream's version. A snapshot behind its stream (a database written before
    /// snapshots were kept, until startup has caught it up) is brought forward by folding only the missing events.
    /// </summary>
    public static async Task<ReleaseState> CurrentAsync(IQuerySession session, string streamId, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var snapshotTask = batch.Load<ReleaseSnapshot>(streamId);
        var streamTask = batch.Events.FetchStreamState(streamId);
        await batch.Execute(ct);
        var state = (await snapshotTask)?.State ?? ReleaseState.Initial;
        var version = (await streamTask)?.Version ?? 0;
        if (version == state.Version) return state;
        var tail = await session.Events.FetchStreamAsync(streamId, fromVersion: state.Version + 1, token: ct);
        return tail.Aggregate(state, (s, e) => ReleaseProjection.Apply(s, (ReleaseEvent)e.Data) with { Version = e.Version });
    }
}
