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
        var config = await configs.LoadAsync(repo, installationId, run.HeadSha, ct);
        if (config is ConfigLoadResult.Disabled)
        {
            await CompleteOnlyAsync(complete, ct);
            return;
        }
        var names = ConfigSource.NamesFrom(config);
        var metadata = stored.Metadata.CausedBy(stored.Id.ToString());

        if (IsVerification(run, names))
        {
            // The same run redelivered under a new delivery id: it was classified and decided already.
            var release = await store.ReadStreamAsync(StreamIds.Release(repo, names.ProductionEnvironmentName), ct);
            if (release.Select(e => e.Data).OfType<VerificationCompleted>().Any(v => v.RunId == run.RunId && v.RunAttempt == run.RunAttempt))
            {
                await CompleteOnlyAsync(complete, ct);
                return;
            }
            var verified = new VerificationCompleted(run.HeadSha, run.RunId, run.RunAttempt, run.Conclusion ?? "unknown", run.HtmlUrl) { At = run.At };
            await evaluator.EvaluateAsync(repo, installationId, run.HeadSha, [verified], metadata, complete, ct);
        }
        else if (IsDeploy(run, names))
            await RecordDeployOutcomeAsync(repo, installationId, StreamIds.Release(repo, names.ProductionEnvironmentName), run, metadata, complete, ct);
        else
            await CompleteOnlyAsync(complete, ct);
    }

    public static bool IsVerification(WorkflowRunReceived run, GovernorConfig names) =>
        run.Action == "completed" && run.WorkflowName == names.VerificationWorkflowName &&
        run.HeadBranch is not null && run.HeadBranch == run.DefaultBranch;

    public static bool IsDeploy(WorkflowRunReceived run, GovernorConfig names) =>
        run.WorkflowPath is { } path && names.DeployWorkflowName.Length > 0 &&
        string.Equals(path, $".github/workflows/{names.DeployWorkflowName}", StringComparison.Ordinal);

    private async Task RecordDeployOutcomeAsync(RepoRef repo, long? installationId, string streamId, WorkflowRunReceived run,
        EventMetadata metadata, Func<EventSession, Task> complete, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var events = await store.ReadStreamAsync(streamId, ct);
            var state = ReleaseProjection.Fold(events);
            var outcome = Outcome(state, events, run);
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
    public static ReleaseEvent? Outcome(ReleaseState state, IReadOnlyList<StoredEvent> events, WorkflowRunReceived run)
    {
        var sha = MatchDispatch(state, run);
        if (sha is null)
            return events.Select(e => e.Data).OfType<DeployRunUnmatched>().Any(u => u.RunId == run.RunId && u.Conclusion == run.Conclusion)
                ? null
                : new DeployRunUnmatched(run.RunId, run.HeadSha, run.DisplayTitle ?? run.WorkflowName, run.Conclusion, run.HtmlUrl) { At = run.At };

        var ended = events.Select(e => e.Data).Any(e => e is DeploySucceeded s && s.RunId == run.RunId || e is DeployFailed f && f.RunId == run.RunId);
        var inFlight = state.InFlight is { } f && string.Equals(f.Sha, sha, StringComparison.OrdinalIgnoreCase);
        if (run.Action == "completed")
        {
            if (ended) return null;
            return run.Conclusion == "success"
                ? new DeploySucceeded(sha, run.RunId, run.HtmlUrl) { At = run.At }
                : new DeployFailed(sha, run.RunId, run.Conclusion ?? "unknown", run.HtmlUrl) { At = run.At };
        }
        return inFlight && !state.InFlight!.Started && !ended ? new DeployStarted(sha, run.RunId, run.HtmlUrl) { At = run.At } : null;
    }

    /// <summary>The dispatched sha this run is: by the run id the dispatch returned, else by its name "Deploy &lt;sha&gt;".</summary>
    public static string? MatchDispatch(ReleaseState state, WorkflowRunReceived run)
    {
        if (state.InFlight is { RunId: { } id } f && id == run.RunId) return f.Sha;
        foreach (var title in new[] { run.DisplayTitle, run.WorkflowName })
        {
            if (title is null || !title.StartsWith("Deploy ", StringComparison.Ordinal)) continue;
            var sha = title["Deploy ".Length..].Trim().ToLowerInvariant();
            if (state.AlreadyDispatched(sha)) return sha;
        }
        return null;
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

    public static Task<bool> EnqueueEvaluationAsync(EventSession session, RepoRef repo, long? installationId, string streamId, string sha,
        string why, EventMetadata metadata, CancellationToken ct) =>
        OutboxStore.EnqueueAsync(session, new OutboxItem(EffectKinds.Evaluate, streamId,
            Json(new EvaluatePayload(repo.ToString(), installationId, sha, why)), null, metadata.CorrelationId, metadata.CausationId,
            Lane: OutboxLane.For(repo, installationId)), ct);

    private async Task CompleteOnlyAsync(Func<EventSession, Task> complete, CancellationToken ct)
    {
        await using var session = await store.OpenSessionAsync(ct);
        await complete(session);
        await session.CommitAsync(ct);
    }

    public static RepoRef RepoFromStream(string streamId)
    {
        var parts = streamId.Split('/');
        return new RepoRef(parts[1], parts[2]);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, EventJson.Options);
}
