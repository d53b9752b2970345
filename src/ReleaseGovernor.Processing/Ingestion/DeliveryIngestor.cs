using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.Processing.Decisions;
using ReleaseGovernor.Processing.Effects;
using ReleaseGovernor.Processing.Outbox;
using ReleaseGovernor.Processing.Runs;

namespace ReleaseGovernor.Processing.Ingestion;

/// <summary>
/// Stores one delivery: dedupe on X-GitHub-Delivery, append its events, enqueue their processing, in ONE
/// transaction. Makes no GitHub call. A workflow run that cannot matter (<see cref="RunClassifier.CannotMatter"/>: still
/// queued or in progress, and not the deploy workflow of the config last read for the repository) is stored without
/// an outbox item: the processor would only mark it done, and each item costs a claim.
/// </summary>
public sealed class DeliveryIngestor(IEventStore store, WorkSignal signal, ConfigSource configs)
{
    public sealed record Stored(bool Duplicate, IReadOnlyList<StoredEvent> Events);

    private const int MaxAttempts = 5;

    /// <summary>
    /// Stores the delivery; when another delivery created one of its streams at the same moment, the whole transaction is
    /// tried again (nothing of the failed one was kept).
    /// </summary>
    public async Task<Stored> IngestAsync(string deliveryId, string gitHubEvent, IngestPlan plan, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryIngestAsync(deliveryId, gitHubEvent, plan, ct);
            }
            catch (StreamConcurrencyException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    private async Task<Stored> TryIngestAsync(string deliveryId, string gitHubEvent, IngestPlan plan, CancellationToken ct)
    {
        var metadata = plan.MetadataFor(deliveryId, gitHubEvent);
        await using var session = await store.OpenSessionAsync(ct);
        if (!await session.TryRecordDeliveryAsync(deliveryId, gitHubEvent, plan.Repository, ct))
            return new Stored(true, []);

        var toProcess = false;
        foreach (var group in plan.Events.GroupBy(e => e.StreamId))
        {
            var stored = await session.AppendAsync(group.Key, null, group.Select(e => e.Event).ToList(), metadata, ct);
            foreach (var (planned, e) in group.Zip(stored).Where(p => p.First.Process && NeedsProcessing(p.First.Event, plan)))
            {
                await Effect.EnqueueAsync(session, new Effect.ProcessEvent(e.StreamId, e.Id, RepoOf(plan), plan.InstallationId),
                    deliveryId, e.Id.ToString(), ct);
                toProcess = true;
            }
        }
        await session.CommitAsync(ct);
        if (toProcess) signal.Notify();
        return new Stored(false, session.Appended);
    }

    private bool NeedsProcessing(ReleaseEvent e, IngestPlan plan) =>
        e is not WorkflowRunReceived run || RepoOf(plan) is not { } repo || !RunClassifier.CannotMatter(run, configs.LastKnown(repo));

    private static RepoRef? RepoOf(IngestPlan plan) => RepoRef.TryParse(plan.Repository, out var repo) ? repo : null;
}
