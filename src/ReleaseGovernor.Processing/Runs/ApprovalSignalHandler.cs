using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.Processing.Runs;

/// <summary>
/// A label or comment that may be an approval: every release stream of the repository whose last decision is a
/// HOLD waiting for approval gets that sha evaluated again — no push needed.
/// </summary>
public sealed class ApprovalSignalHandler(IEventStore store)
{
    private static readonly string[] WaitingForApproval = [ReasonCodes.HighRiskNoApproval, ReasonCodes.FirstDeployRequired];

    public async Task HandleAsync(StoredEvent stored, Func<EventSession, Task> complete, CancellationToken ct)
    {
        var repo = RunClassifier.RepoFromStream(stored.StreamId);
        var metadata = stored.Metadata.CausedBy(stored.Id.ToString());
        await using var session = await store.OpenSessionAsync(ct);
        foreach (var streamId in (await store.ListReleaseStreamsAsync(ct)).Where(s => s.StartsWith(StreamIds.Release(repo, ""), StringComparison.Ordinal)))
        {
            var state = await store.LoadReleaseStateAsync(streamId, ct);
            if (state?.LastDecision is { Outcome: DecisionOutcome.Hold } held && WaitingForApproval.Contains(held.Reason) && !state.AlreadyDispatched(held.Sha))
                await RunClassifier.EnqueueEvaluationAsync(session, repo, stored.Metadata.InstallationId, streamId, held.Sha,
                    $"{stored.Type} may approve it", metadata, ct);
        }
        await complete(session);
        await session.CommitAsync(ct);
    }
}
