using ReleaseGovernor.Core.Commits;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.Processing.Decisions;
using ReleaseGovernor.Processing.Effects;
using ReleaseGovernor.Processing.Observability;

namespace ReleaseGovernor.Processing.Protection;

/// <summary>
/// A <c>deployment_protection_rule</c> request received: stored pending in the release stream of the environment the
/// event names, then decided there with the same rules as every sha (<see cref="ReleaseEvaluator"/>). A request the
/// event alone shows can never be approved (a pull request's run, another branch) is rejected without reading anything
/// the change can shape (its <c>.booty.yml</c>). A run whose request the stream knows already (a redelivery) adds nothing.
/// </summary>
public sealed class ProtectionRequestHandler(IEventStore store, ReleaseEvaluator evaluator, GovernorMetrics metrics, TimeProvider clock)
{
    private readonly ReleaseWriter _writer = new(store);

    public async Task HandleAsync(StoredEvent stored, DeploymentProtectionRuleReceived received, Func<EventSession, Task> complete, CancellationToken ct)
    {
        var repo = StreamIds.RepoOf(stored.StreamId);
        var streamId = StreamIds.Release(repo, received.Environment);
        var installationId = stored.Metadata.InstallationId;
        var metadata = stored.Metadata.CausedBy(stored.Id.ToString());
        var request = new ProtectionRuleRequested(received.Environment, received.Sha, received.RunId, received.TriggerEvent, received.Ref,
            received.DefaultBranch) { At = received.At };
        IReadOnlyList<ReleaseEvent> Receive(ReleaseState state) => ReleaseDecider.Decide(state, new ReleaseCommand.ReceiveProtectionRequest(request));

        if (await store.LoadReleaseStateAsync(streamId, ct) is { } known && known.KnowsProtectionRun(received.RunId))
        {
            await using var session = await store.OpenSessionAsync(ct);
            await complete(session);
            await session.CommitAsync(ct);
            return;
        }

        if (ProtectionRules.NotFromTheDefaultBranch(request) is not null)
        {
            await _writer.WriteAsync(streamId, (state, _, _) => Task.FromResult(new ReleaseWrite<bool>(Receive(state), metadata, true,
                async (session, appended) =>
                {
                    await EnqueueAnswersAsync(session, streamId, repo, installationId, appended, ct);
                    await complete(session);
                })), ct);
            return;
        }

        var evaluation = await evaluator.EvaluateAsync(repo, installationId, Sha.Parse(received.Sha, "deployment.sha"), [], metadata, complete, ct, received.DefaultBranch,
            new EvaluationTarget(received.Environment, Always: true), Receive);
        metrics.Decided(evaluation, clock.GetUtcNow());
    }

    private static async Task EnqueueAnswersAsync(EventSession session, string streamId, RepoRef repo, long? installationId,
        IReadOnlyList<StoredEvent> appended, CancellationToken ct)
    {
        foreach (var e in appended)
            if (e.Data is ProtectionRuleAnswerRequested answer)
                await Effect.EnqueueAsync(session, new Effect.ProtectionAnswer(streamId, repo, installationId, answer), e.Metadata.CorrelationId,
                    e.Id.ToString(), ct);
    }
}
