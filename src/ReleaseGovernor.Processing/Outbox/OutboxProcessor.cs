using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ReleaseGovernor.Core.Commits;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Observability;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.GitHub.Api;
using ReleaseGovernor.Processing.Decisions;
using ReleaseGovernor.Processing.Effects;
using ReleaseGovernor.Processing.Observability;
using ReleaseGovernor.Processing.Runs;

namespace ReleaseGovernor.Processing.Outbox;

/// <summary>
/// Runs one claimed outbox item: hands it to the handler of its kind, which records its results and completes the
/// item in one transaction. A failure puts the item back with a growing delay; the error stays on the row.
/// Each run is a span continuing the trace of whatever enqueued the item (the row's <c>trace_parent</c>), and its log
/// lines carry the delivery id and repository as scope.
/// </summary>
public sealed partial class OutboxProcessor(
    IEventStore store,
    OutboxStore outbox,
    RunClassifier runs,
    ApprovalSignalHandler approvals,
    ReleaseEvaluator evaluator,
    ThawHandler thaws,
    DispatchEffect dispatch,
    CommitStatusEffect statuses,
    FailureIssueEffect failures,
    Health.HealthWatchHandler health,
    Health.RollbackNoticeEffect rollbackNotices,
    ProtectionAnswerEffect protectionAnswers,
    Protection.ProtectionRequestHandler protectionRequests,
    GovernorMetrics metrics,
    TimeProvider clock,
    ILogger<OutboxProcessor> log)
{
    public async Task RunAsync(ClaimedItem item, string owner, CancellationToken ct)
    {
        async Task Complete(EventSession session)
        {
            // Lost the lease (this worker was too slow and another took the item): roll back, the other one records it.
            if (!await OutboxStore.CompleteAsync(session, item, owner, ct))
                throw new InvalidOperationException($"Outbox item {item.Id} is no longer leased by this worker; its results were not recorded.");
        }
        using var correlation = GitHubCallContext.Begin(item.CorrelationId);
        using var scope = LogScopes.BeginDelivery(log, item.CorrelationId, item.Repository);
        using var activity = GovernorTelemetry.Source.StartActivity($"outbox {item.Kind}", ActivityKind.Consumer, GovernorTelemetry.ParentFrom(item.TraceParent));
        activity?.SetTag(GovernorTelemetry.OutboxItemAttribute, item.Id);
        activity?.SetTag(GovernorTelemetry.OutboxKindAttribute, item.Kind);
        activity?.SetTag(GovernorTelemetry.OutboxAttemptAttribute, item.Attempts);
        activity?.SetTag(GovernorTelemetry.DeliveryIdAttribute, item.CorrelationId);
        activity?.SetTag(GovernorTelemetry.RepositoryAttribute, item.Repository);
        try
        {
            switch (item.Kind)
            {
                case EffectKinds.ProcessEvent:
                    await ProcessEventAsync(item, Complete, ct);
                    break;
                case EffectKinds.Evaluate:
                    var e = EffectRecord.Payload<EvaluatePayload>(item);
                    metrics.Decided(await evaluator.EvaluateAsync(RepoRef.Parse(e.Repository), e.InstallationId, Sha.Parse(e.Sha, "the sha of evaluation item"), [], EffectRecord.MetadataOf(item), Complete, ct,
                        target: TargetOf(item)), clock.GetUtcNow());
                    break;
                case EffectKinds.Thaw:
                    await thaws.RunAsync(item, Complete, ct);
                    break;
                case EffectKinds.Dispatch:
                    await dispatch.RunAsync(item, Complete, ct);
                    break;
                case EffectKinds.CommitStatus:
                    await statuses.RunAsync(item, Complete, ct);
                    break;
                case EffectKinds.FailureIssue:
                    await failures.RunAsync(item, Complete, ct);
                    break;
                case EffectKinds.HealthProbe:
                    await health.RunAsync(item, Complete, ct);
                    break;
                case EffectKinds.RollbackNotice:
                    await rollbackNotices.RunAsync(item, Complete, ct);
                    break;
                case EffectKinds.ProtectionAnswer:
                    await protectionAnswers.RunAsync(item, Complete, ct);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown outbox item kind '{item.Kind}'.");
            }
            metrics.OutboxProcessed(item.Kind, completed: true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var delay = TimeSpan.FromMilliseconds(Math.Min(300_000, 250 * Math.Pow(2, Math.Min(item.Attempts, 12))));
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            metrics.OutboxProcessed(item.Kind, completed: false);
            ItemFailed(item.Id, item.Kind, item.Attempts, ex.Message, delay);
            await outbox.RetryLaterAsync(item, owner, delay, $"{ex.GetType().Name}: {ex.Message}", CancellationToken.None);
        }
    }

    /// <summary>
    /// An evaluation decides the stream it was queued for when that is another environment's stream with protection rule
    /// requests (or the config is in protection_rule mode); otherwise the config's production stream, as always.
    /// </summary>
    public static EvaluationTarget? TargetOf(ClaimedItem item) =>
        StreamIds.IsRelease(item.StreamId) ? new EvaluationTarget(StreamIds.ParseRelease(item.StreamId).Environment, Always: false) : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox item {Id} ({Kind}) attempt {Attempt} failed: {Error}; retrying in {Delay}")]
    private partial void ItemFailed(long id, string kind, int attempt, string error, TimeSpan delay);

    private async Task ProcessEventAsync(ClaimedItem item, Func<EventSession, Task> complete, CancellationToken ct)
    {
        var payload = EffectRecord.Payload<ProcessEventPayload>(item);
        var stored = (payload.EventId is { } id ? await store.ReadEventAsync(id, ct) : await store.ReadEventAsync(payload.Sequence, ct))
                     ?? throw new InvalidOperationException($"Event {payload.EventId?.ToString() ?? payload.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)} named by outbox item {item.Id} is not in the log.");
        switch (stored.Data)
        {
            case WorkflowRunReceived run:
                await runs.HandleAsync(stored, run, complete, ct);
                break;
            case PullRequestLabeled or IssueCommentCreated:
                await approvals.HandleAsync(stored, complete, ct);
                break;
            case DeploymentProtectionRuleReceived request:
                await protectionRequests.HandleAsync(stored, request, complete, ct);
                break;
            default:
                await using (var session = await store.OpenSessionAsync(ct))
                {
                    await complete(session);
                    await session.CommitAsync(ct);
                }
                break;
        }
    }
}
