using ReleaseGovernor.Core.Commits;
using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.Processing.Decisions;
using ReleaseGovernor.Processing.Effects;
using ReleaseGovernor.Processing.Observability;

namespace ReleaseGovernor.Processing.Runs;

/// <summary>
/// Classifies a received workflow run with the repository's config at the run's sha: the verification
/// workflow completing on the default branch becomes <see cref="VerificationCompleted"/> and a decision;
/// a run of the deploy workflow becomes the outcome of the governor's dispatch it matches (by run id, else
/// by its name <c>Deploy &lt;sha&gt;</c>), or is recorded as unmatched — never guessed.
/// </summary>
public sealed class RunClassifier(IEventStore store, ConfigSource configs, ReleaseEvaluator evaluator, GovernorMetrics metrics, TimeProvider clock)
{
    private readonly ReleaseWriter _writer = new(store);

    public async Task HandleAsync(StoredEvent stored, WorkflowRunReceived run, Func<EventSession, Task> complete, CancellationToken ct)
    {
        var repo = RepoFromStream(stored.StreamId);
        var installationId = stored.Metadata.InstallationId;
        if (CannotMatter(run, configs.LastKnown(repo)) || (run.Action != "completed" && configs.LastKnown(repo) is null && !await HasDeployInFlightAsync(repo, ct)))
        {
            // A run still queued or in progress decides nothing unless it is the deploy workflow: no GitHub request.
            await CompleteOnlyAsync(complete, ct);
            return;
        }
        if (!RunKind.FromTheRepositoryItself(run, repo))
        {
            await HandleForeignAsync(stored, run, repo, complete, ct);
            return;
        }
        var config = await configs.LoadAsync(repo, installationId, run.HeadSha, ct);
        if (config is ConfigLoadResult.Disabled)
        {
            await CompleteOnlyAsync(complete, ct);
            return;
        }
        var names = ConfigSource.NamesFrom(config);
        var metadata = stored.Metadata.CausedBy(stored.Id.ToString());

        switch (RunKind.Of(run, repo, names))
        {
            case RunKind.Verification:
            {
                // The same run redelivered under a new delivery id: it was classified and decided already.
                var recorded = await store.LoadShaAsync(StreamIds.Release(repo, names.ProductionEnvironmentName), run.HeadSha, ct);
                if (recorded is not null && recorded.VerifiedBy.Contains(ShaRecord.RunKey(run.RunId, run.RunAttempt)))
                {
                    await CompleteOnlyAsync(complete, ct);
                    return;
                }
                var verified = new VerificationCompleted(run.HeadSha, run.RunId, run.RunAttempt, run.Conclusion ?? "unknown", run.HtmlUrl) { At = run.At };
                // Protection rule requests of other environments waiting for this verification are decided next, in their streams.
                var waiting = await Protection.ProtectionStreams.WaitingForAsync(store, repo, run.HeadSha,
                    StreamIds.Release(repo, names.ProductionEnvironmentName), ct);
                var evaluation = await evaluator.EvaluateAsync(repo, installationId, Sha.Parse(run.HeadSha, "workflow_run.head_sha"), [verified], metadata, async session =>
                {
                    foreach (var streamId in waiting)
                        await EnqueueEvaluationAsync(session, repo, installationId, streamId, run.HeadSha, "its verification finished", metadata, ct);
                    await complete(session);
                }, ct, run.DefaultBranch);
                metrics.Decided(evaluation, clock.GetUtcNow());
                break;
            }
            case RunKind.IgnoredVerification ignored:
                await RecordIgnoredAsync(StreamIds.Release(repo, names.ProductionEnvironmentName), run, ignored, metadata, complete, ct);
                break;
            case RunKind.Deploy:
                await RecordDeployOutcomeAsync(repo, installationId, await DeployStreamAsync(repo, run, names, ct), run, names, metadata, complete, ct);
                break;
            default:
                await CompleteOnlyAsync(complete, ct);
                break;
        }
    }

    /// <summary>
    /// The release stream a deploy run belongs to: the one whose deploy in flight has this run id (or, with no run id
    /// known yet, the sha of its title). The config at the run's head sha (the tip of the deploy ref, not the deployed
    /// sha) only names the stream when no deploy in flight claims the run.
    /// </summary>
    private async Task<string> DeployStreamAsync(RepoRef repo, WorkflowRunReceived run, GovernorConfig names, CancellationToken ct)
    {
        var prefix = StreamIds.Release(repo, "");
        var titled = run.DisplayTitle is { } t && t.StartsWith("Deploy ", StringComparison.Ordinal) && Sha.TryParse(t["Deploy ".Length..].Trim(), out var s) ? s.Value : null;
        foreach (var streamId in (await store.ListStreamsWithDeployInFlightAsync(ct)).Where(s => s.StartsWith(prefix, StringComparison.Ordinal)))
            if (await store.LoadReleaseStateAsync(streamId, ct) is { InFlight: { } f }
                && (f.RunId == run.RunId || (f.RunId is null && string.Equals(f.Sha, titled, StringComparison.Ordinal))))
                return streamId;
        return StreamIds.Release(repo, names.ProductionEnvironmentName);
    }

    /// <summary>
    /// A run whose code is not the repository's own (a fork's pull request, or a payload without head_repository). Its
    /// <c>.booty.yml</c> is the fork's and is never read: the names come from the config last read for the repository
    /// (or the defaults). It can never verify nor be the governor's deploy run; one that looks like the verification
    /// is recorded once per run as <c>verification_ignored</c> (fork), anything else only stays in the repository stream.
    /// </summary>
    private async Task HandleForeignAsync(StoredEvent stored, WorkflowRunReceived run, RepoRef repo, Func<EventSession, Task> complete,
        CancellationToken ct)
    {
        var names = configs.LastKnown(repo) ?? GovernorConfig.Default;
        if (RunKind.Of(run, repo, names) is RunKind.IgnoredVerification ignored)
            await RecordIgnoredAsync(StreamIds.Release(repo, names.ProductionEnvironmentName), run, ignored,
                stored.Metadata.CausedBy(stored.Id.ToString()), complete, ct);
        else
            await CompleteOnlyAsync(complete, ct);
    }

    /// <summary>
    /// A <c>requested</c> or <c>in_progress</c> run of a workflow other than the deploy workflow of the config last read for
    /// the repository: only completed runs verify, and only deploy runs start a deploy. Completed runs always read the
    /// config at their sha (once per sha), so a renamed workflow is seen with the commit that renames it.
    /// </summary>
    public static bool CannotMatter(WorkflowRunReceived run, GovernorConfig? lastKnown) =>
        run.Action != "completed" && lastKnown is not null && !RunKind.IsDeployWorkflow(run, lastKnown);

    /// <summary>
    /// Whether any environment of the repository has a deploy in flight (read from the store, no GitHub request): before
    /// the repository's config is known, only then can a run still in progress be the start of the governor's deploy.
    /// </summary>
    private async Task<bool> HasDeployInFlightAsync(RepoRef repo, CancellationToken ct) =>
        (await store.ListStreamsWithDeployInFlightAsync(ct)).Any(s => s.StartsWith(StreamIds.Release(repo, ""), StringComparison.Ordinal));

    /// <summary>A run that looks like verification but does not count: recorded once per run (re-runs add nothing), nothing decided.</summary>
    private Task RecordIgnoredAsync(string streamId, WorkflowRunReceived run, RunKind.IgnoredVerification ignored, EventMetadata metadata,
        Func<EventSession, Task> complete, CancellationToken ct) =>
        _writer.WriteAsync(streamId, async (_, _, token) =>
        {
            var seen = await store.LoadShaAsync(streamId, run.HeadSha, token) is { } record && record.IgnoredRuns.Contains(run.RunId);
            ReleaseEvent[] events = seen ? [] : [new VerificationIgnored(run.HeadSha, run.RunId, run.RunAttempt, ignored.Reason, ignored.Detail, run.HtmlUrl) { At = run.At }];
            return new ReleaseWrite<bool>(events, metadata, !seen, (session, _) => complete(session));
        }, ct);

    private async Task RecordDeployOutcomeAsync(RepoRef repo, long? installationId, string streamId, WorkflowRunReceived run,
        GovernorConfig names, EventMetadata metadata, Func<EventSession, Task> complete, CancellationToken ct)
    {
        var recorded = await _writer.WriteAsync(streamId, (state, _, _) =>
        {
            var outcome = ReleaseDecider.Decide(state, new ReleaseCommand.RecordDeployRun(run, repo, names)).SingleOrDefault();
            return Task.FromResult(new ReleaseWrite<ReleaseEvent?>(outcome is null ? [] : [outcome], metadata, outcome, async (session, _) =>
            {
                if (outcome is not null) await FollowUpAsync(session, repo, installationId, streamId, state, outcome, metadata, ct);
                if (outcome is DeploySucceeded succeeded)
                    await Health.HealthEffects.StartWatchAsync(session, repo, installationId, streamId, succeeded, metadata, clock.GetUtcNow(), ct);
                await complete(session);
            }));
        }, ct);
        if (recorded is not null) metrics.Deploy(recorded, "delivery");
    }

    private static async Task FollowUpAsync(EventSession session, RepoRef repo, long? installationId, string streamId, ReleaseState before,
        ReleaseEvent outcome, EventMetadata metadata, CancellationToken ct)
    {
        if (outcome is DeployFailed failed)
            await Effect.EnqueueAsync(session, new Effect.FailureIssue(streamId, repo, installationId, failed), metadata.CorrelationId, metadata.CausationId, ct);
        if (outcome is DeploySucceeded or DeployFailed && before.WaitingSha is { } waiting)
            await EnqueueEvaluationAsync(session, repo, installationId, streamId, waiting, "the deploy in flight ended", metadata, ct);
    }

    /// <summary>Asks for the sha to be decided again; coalesced with an evaluation of it that is already waiting.</summary>
    public static Task<bool> EnqueueEvaluationAsync(EventSession session, RepoRef repo, long? installationId, string streamId, string sha,
        string why, EventMetadata metadata, CancellationToken ct) =>
        Effect.EnqueueAsync(session, new Effect.Evaluate(streamId, repo, installationId, sha, why), metadata.CorrelationId, metadata.CausationId, ct);

    private async Task CompleteOnlyAsync(Func<EventSession, Task> complete, CancellationToken ct)
    {
        await using var session = await store.OpenSessionAsync(ct);
        await complete(session);
        await session.CommitAsync(ct);
    }

    public static RepoRef RepoFromStream(string streamId) => StreamIds.RepoOf(streamId);

}
