using System.Text.Json;
using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.Processing.Decisions;
using ReleaseGovernor.Processing.Effects;

namespace ReleaseGovernor.Processing.Runs;

/// <summary>
/// Classifies a received workflow run with the repository's config at the run's sha: the verification
/// workflow completing on the default branch becomes <see cref="VerificationCompleted"/> and a decision;
/// a run of the deploy workflow becomes the outcome of the governor's dispatch it matches (by run id, else
/// by its name <c>Deploy &lt;sha&gt;</c>), or is recorded as unmatched — never guessed.
/// </summary>
public sealed class RunClassifier(IEventStore store, ConfigSource configs, ReleaseEvaluator evaluator)
{
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
                var release = await store.ReadStreamAsync(StreamIds.Release(repo, names.ProductionEnvironmentName), ct);
                if (release.Select(e => e.Data).OfType<VerificationCompleted>().Any(v => v.RunId == run.RunId && v.RunAttempt == run.RunAttempt))
                {
                    await CompleteOnlyAsync(complete, ct);
                    return;
                }
                var verified = new VerificationCompleted(run.HeadSha, run.RunId, run.RunAttempt, run.Conclusion ?? "unknown", run.HtmlUrl) { At = run.At };
                await evaluator.EvaluateAsync(repo, installationId, run.HeadSha, [verified], metadata, complete, ct, run.DefaultBranch);
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
        var titled = run.DisplayTitle is { } t && t.StartsWith("Deploy ", StringComparison.Ordinal) ? t["Deploy ".Length..].Trim().ToLowerInvariant() : null;
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
    private async Task RecordIgnoredAsync(string streamId, WorkflowRunReceived run, RunKind.IgnoredVerification ignored, EventMetadata metadata,
        Func<EventSession, Task> complete, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var events = await store.ReadStreamAsync(streamId, ct);
            var seen = events.Select(e => e.Data).OfType<VerificationIgnored>().Any(v => v.RunId == run.RunId);
            try
            {
                await using var session = await store.OpenSessionAsync(ct);
                if (!seen)
                    await session.AppendAsync(streamId, events.Count == 0 ? 0 : events[^1].Version,
                        [new VerificationIgnored(run.HeadSha, run.RunId, run.RunAttempt, ignored.Reason, ignored.Detail, run.HtmlUrl) { At = run.At }],
                        metadata, ct);
                await complete(session);
                await session.CommitAsync(ct);
                return;
            }
            catch (StreamConcurrencyException) when (attempt < 8) { }
        }
    }

    private async Task RecordDeployOutcomeAsync(RepoRef repo, long? installationId, string streamId, WorkflowRunReceived run,
        GovernorConfig names, EventMetadata metadata, Func<EventSession, Task> complete, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var events = await store.ReadStreamAsync(streamId, ct);
            var state = ReleaseProjection.Fold(events);
            var outcome = Outcome(state, events, run, repo, names);
            try
            {
                await using var session = await store.OpenSessionAsync(ct);
                if (outcome is not null)
                {
                    await session.AppendAsync(streamId, state.Version, [outcome], metadata, ct);
                    await FollowUpAsync(session, repo, installationId, streamId, state, outcome, metadata, ct);
                }
                await complete(session);
                await session.CommitAsync(ct);
                return;
            }
            catch (StreamConcurrencyException) when (attempt < 8) { }
        }
    }

    /// <summary>What the run means for the release stream, or null when it adds nothing (late, repeated).</summary>
    public static ReleaseEvent? Outcome(ReleaseState state, IReadOnlyList<StoredEvent> events, WorkflowRunReceived run, RepoRef repo, GovernorConfig names)
    {
        var data = events.Select(e => e.Data).ToList();
        var sha = MatchDispatch(state, data, run, repo, names);
        if (sha is null)
            return data.OfType<DeployRunUnmatched>().Any(u => u.RunId == run.RunId && u.Conclusion == run.Conclusion)
                ? null
                : new DeployRunUnmatched(run.RunId, run.HeadSha, run.DisplayTitle ?? run.WorkflowName, run.Conclusion, run.HtmlUrl) { At = run.At };

        var attempt = run.RunAttempt ?? 1;
        var ended = data.Any(e => e is DeploySucceeded s && s.RunId == run.RunId && (s.RunAttempt ?? 1) >= attempt
                                  || e is DeployFailed f && f.RunId == run.RunId && (f.RunAttempt ?? 1) >= attempt);
        var inFlight = state.InFlight is { } f && string.Equals(f.Sha, sha, StringComparison.OrdinalIgnoreCase);
        if (run.Action == "completed")
        {
            if (ended) return null;
            return run.Conclusion == "success"
                ? new DeploySucceeded(sha, run.RunId, run.HtmlUrl, run.RunAttempt) { At = run.At }
                : new DeployFailed(sha, run.RunId, run.Conclusion ?? "unknown", run.HtmlUrl, run.RunAttempt) { At = run.At };
        }
        return inFlight && !state.InFlight!.Started && !ended ? new DeployStarted(sha, run.RunId, run.HtmlUrl) { At = run.At } : null;
    }

    /// <summary>
    /// The dispatched sha this run is. By run id first: the id the dispatch returned, or one adopted earlier. Only
    /// when no run id is known for a dispatched sha, by the title <c>Deploy &lt;sha&gt;</c> — and then only for a
    /// <c>workflow_dispatch</c> run on <c>deploy_workflow_ref</c> from the repository itself (never a fork's run).
    /// </summary>
    public static string? MatchDispatch(ReleaseState state, IReadOnlyList<ReleaseEvent> events, WorkflowRunReceived run, RepoRef repo, GovernorConfig names)
    {
        var known = KnownRunIds(events);
        if (known.TryGetValue(run.RunId, out var byId)) return byId;
        if (run.TriggerEvent != "workflow_dispatch" || run.HeadBranch != BranchName(names.DeployWorkflowRef) || !RunKind.FromTheRepositoryItself(run, repo))
            return null;
        foreach (var title in new[] { run.DisplayTitle, run.WorkflowName })
        {
            if (title is null || !title.StartsWith("Deploy ", StringComparison.Ordinal)) continue;
            var sha = title["Deploy ".Length..].Trim().ToLowerInvariant();
            if (state.InFlight is { RunId: null } f && string.Equals(f.Sha, sha, StringComparison.Ordinal)) return sha;
        }
        return null;
    }

    /// <summary>A ref as a run's <c>head_branch</c> names it: <c>refs/heads/main</c> is <c>main</c>.</summary>
    public static string BranchName(string gitRef) =>
        gitRef.StartsWith("refs/heads/", StringComparison.Ordinal) ? gitRef["refs/heads/".Length..] : gitRef;

    /// <summary>Run id → sha for every deploy run the governor knows to be its own.</summary>
    private static Dictionary<long, string> KnownRunIds(IReadOnlyList<ReleaseEvent> events)
    {
        var ids = new Dictionary<long, string>();
        foreach (var e in events)
        {
            switch (e)
            {
                case DeployDispatched { RunId: { } id } d: ids[id] = d.Sha; break;
                case DeployStarted s: ids[s.RunId] = s.Sha; break;
                case DeploySucceeded s: ids[s.RunId] = s.Sha; break;
                case DeployFailed f: ids[f.RunId] = f.Sha; break;
            }
        }
        return ids;
    }

    private static async Task FollowUpAsync(EventSession session, RepoRef repo, long? installationId, string streamId, ReleaseState before,
        ReleaseEvent outcome, EventMetadata metadata, CancellationToken ct)
    {
        if (outcome is DeployFailed failed)
            await OutboxStore.EnqueueAsync(session, new OutboxItem(EffectKinds.FailureIssue, streamId,
                Json(new FailureIssuePayload(repo.ToString(), installationId, failed.Sha, failed.RunId, failed.Conclusion, failed.HtmlUrl)),
                $"failure_issue:{streamId}:{failed.RunId}", metadata.CorrelationId, metadata.CausationId, Lane: OutboxLane.For(repo, installationId)), ct);
        if (outcome is DeploySucceeded or DeployFailed && before.WaitingSha is { } waiting)
            await EnqueueEvaluationAsync(session, repo, installationId, streamId, waiting, "the deploy in flight ended", metadata, ct);
    }

    /// <summary>Asks for the sha to be decided again; coalesced with an evaluation of it that is already waiting.</summary>
    public static async Task<bool> EnqueueEvaluationAsync(EventSession session, RepoRef repo, long? installationId, string streamId, string sha,
        string why, EventMetadata metadata, CancellationToken ct) =>
        !await OutboxStore.HasUnclaimedAsync(session, EffectKinds.Evaluate, streamId, sha, ct)
        && await OutboxStore.EnqueueAsync(session, new OutboxItem(EffectKinds.Evaluate, streamId,
            Json(new EvaluatePayload(repo.ToString(), installationId, sha, why)), null, metadata.CorrelationId, metadata.CausationId,
            Lane: OutboxLane.For(repo, installationId)), ct);

    private async Task CompleteOnlyAsync(Func<EventSession, Task> complete, CancellationToken ct)
    {
        await using var session = await store.OpenSessionAsync(ct);
        await complete(session);
        await session.CommitAsync(ct);
    }

    public static RepoRef RepoFromStream(string streamId) => StreamIds.RepoOf(streamId);

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, EventJson.Options);
}
