using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Stops;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.EventStore.Stops;

/// <summary>
/// The <c>governor/stops</c> stream: read and folded for every decision (it holds one event per stop and resume, so the
/// read is a few rows), written at the version read and decided again when another writer moved it first.
/// </summary>
public sealed class EmergencyStopStore(IEventStore store)
{
    public async Task<StopState> LoadAsync(CancellationToken ct = default) =>
        StopState.Fold(await store.ReadStreamAsync(StreamIds.Stops, ct));

    /// <summary>Appends what <paramref name="decide"/> returns for the current state; the events appended (none when nothing changed).</summary>
    public async Task<IReadOnlyList<ReleaseEvent>> WriteAsync(Func<StopState, IReadOnlyList<ReleaseEvent>> decide, EventMetadata metadata,
        CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var state = await LoadAsync(ct);
            var events = decide(state);
            if (events.Count == 0) return events;
            try
            {
                await store.AppendAsync(StreamIds.Stops, state.Version, events, metadata, ct);
                return events;
            }
            catch (StreamConcurrencyException) when (attempt < ReleaseWriter.MaxAttempts)
            {
                // Another operator stopped or resumed at the same time: decide again on what they did.
            }
        }
    }
}
