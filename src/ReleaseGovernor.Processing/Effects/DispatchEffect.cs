using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.GitHub.Api;
using ReleaseGovernor.Processing.Observability;

namespace ReleaseGovernor.Processing.Effects;

/// <summary>
/// Dispatches the deploy workflow for one sha, exactly once. GitHub has no idempotency key for dispatch, so an
/// attempt after one whose result is unknown (timeout, crash after sending) first looks for the run named
/// <c>Deploy &lt;sha&gt;</c> and records that instead of sending again.
/// </summary>
public sealed class DispatchEffect(IEventStore store, GitHubClient github, GovernorSettings settings, TimeProvider clock, GovernorMetrics metrics)
{
    public async Task RunAsync(ClaimedItem item, Func<EventSession, Task> complete, CancellationToken ct)
    {
        var p = EffectRecord.Payload<DispatchPayload>(item);
        var repo = RepoRef.Parse(p.Repository);
        var metadata = EffectRecord.MetadataOf(item);

        if (item.Attempts > 1 && await FindRunAsync(repo, p, ct) is { } existing)
        {
            await RecordAsync(item, p, new DeployDispatched(p.Sha, item.Attempts, existing.Id, null, existing.HtmlUrl) { At = clock.GetUtcNow() },
                metadata, complete, ct);
            return;
        }

        // A hold placed after the decision stops a dispatch GitHub has not confirmed. An earlier attempt whose result is
        // unknown was looked for just above: only a dispatch that certainly did not happen is cancelled.
        if (await store.LoadReleaseStateAsync(item.StreamId, ct) is { Hold: { } hold } state
            && (hold.Until is null || hold.Until > clock.GetUtcNow()) && state.InFlight is { RunId: null } inFlight
            && string.Equals(inFlight.Sha, p.Sha, StringComparison.Ordinal))
        {
            await RecordAsync(item, p, new DeployDispatchCancelled(p.Sha, $"hold in force: {hold.Reason}", hold.Actor) { At = clock.GetUtcNow() },
                metadata, complete, ct, status: ("failure", $"Held: dispatch cancelled by a hold ({hold.Reason}); {Core.Releases.UnblockHints.ReleaseHoldCommand}, then reevaluate"));
            return;
        }

        // An emergency stop placed after the decision stops it the same way.
        if (await new EventStore.Stops.EmergencyStopStore(store).LoadAsync(ct) is var stops && stops.For(repo) is { } stop
            && await store.LoadReleaseStateAsync(item.StreamId, ct) is { InFlight: { RunId: null } pending }
            && string.Equals(pending.Sha, p.Sha, StringComparison.Ordinal))
        {
            await RecordAsync(item, p, new DeployDispatchCancelled(p.Sha, $"emergency stop: {stop.Reason}", stop.Actor) { At = clock.GetUtcNow() },
                metadata, complete, ct, status: ("failure", $"Held: dispatch cancelled by an emergency stop ({stop.Reason}); booty governor resume, then reevaluate"));
            return;
        }

        DispatchResult result;
        try
        {
            result = await github.CreateWorkflowDispatchAsync(repo, p.InstallationId, p.Workflow, p.Ref, p.Inputs, returnRunDetails: true, ct);
        }
        catch (GitHubApiException e) when (!e.IsRetryable && !e.OutcomeUnknown || item.Attempts >= settings.MaxEffectAttempts)
        {
            // A definite refusal (workflow missing, input rejected) or too many tries: record it, visible in status.
            await RecordAsync(item, p, new DeployDispatchFailed(p.Sha, item.Attempts, e.Message) { At = clock.GetUtcNow() }, metadata, complete, ct,
                status: ("error", $"Deploy dispatch failed: {e.GitHubMessage ?? e.Message}"), nextWaiting: true);
            return;
        }

        var runId = result.RunId;
        var htmlUrl = result.HtmlUrl;
        if (runId is null && await FindRunAsync(repo, p, ct) is { } found)
            (runId, htmlUrl) = (found.Id, found.HtmlUrl);
        await RecordAsync(item, p, new DeployDispatched(p.Sha, item.Attempts, runId, result.RunUrl, htmlUrl) { At = clock.GetUtcNow() },
            metadata, complete, ct, status: ("success", p.StatusText ?? CommitStatusTexts.Triggered), targetUrl: htmlUrl);
    }

    /// <summary>The deploy run for this sha created since the dispatch was requested, if GitHub has one.</summary>
    private async Task<WorkflowRun?> FindRunAsync(RepoRef repo, DispatchPayload p, CancellationToken ct)
    {
        var runs = await github.ListWorkflowRunsAsync(repo, p.InstallationId, p.Workflow, "workflow_dispatch",
            p.RequestedAt.AddMinutes(-5), perPage: 100, ct: ct);
        var title = $"Deploy {p.Sha}";
        // Only a run this request can have created: on the dispatched ref, created after it was requested (a minute of
        // clock skew allowed) — never an earlier attempt's run of the same sha, nor someone's run from another branch.
        var branch = DeployRuns.BranchName(p.Ref);
        return runs.FirstOrDefault(r => (r.DisplayTitle == title || r.Name == title) && r.HeadBranch == branch
                                        && r.CreatedAt >= p.RequestedAt.AddMinutes(-1));
    }

    private async Task RecordAsync(ClaimedItem item, DispatchPayload p, ReleaseEvent outcome, EventMetadata metadata,
        Func<EventSession, Task> complete, CancellationToken ct, (string State, string Description)? status = null, string? targetUrl = null,
        bool nextWaiting = false)
    {
        await EffectRecord.RecordAsync(store, item, outcome, complete, ct, async session =>
        {
            if (nextWaiting && await store.LoadReleaseStateAsync(item.StreamId, ct) is { WaitingSha: { } waiting })
                await Runs.RunClassifier.EnqueueEvaluationAsync(session, RepoRef.Parse(p.Repository), p.InstallationId, item.StreamId, waiting,
                    "the dispatch of the deploy in flight failed", metadata, ct);
            // The dispatched run's job may have reached an environment with the protection rule before its id was known.
            if (outcome is DeployDispatched && await store.LoadReleaseStateAsync(item.StreamId, ct) is { } now
                && now.ProtectionRequests.Any(r => r.Answer is null && string.Equals(r.Sha, p.Sha, StringComparison.Ordinal)))
                await Runs.RunClassifier.EnqueueEvaluationAsync(session, RepoRef.Parse(p.Repository), p.InstallationId, item.StreamId, p.Sha,
                    "its dispatch was confirmed while a protection rule request of it waited", metadata, ct);
            if (status is { } s)
                await Effect.EnqueueAsync(session, new Effect.CommitStatus(item.StreamId, RepoRef.Parse(p.Repository), p.InstallationId, p.Sha,
                    s.State, s.Description, targetUrl), item.CorrelationId, item.CausationId, ct);
        });
        metrics.Dispatch(outcome);
        if (outcome is DeployDispatched && await VerifiedAtAsync(item.StreamId, p.Sha, ct) is { } verifiedAt)
            metrics.DispatchAcknowledged(clock.GetUtcNow() - verifiedAt);
    }

    /// <summary>
    /// When the delivery of the sha's last verification was stored, for the verification → dispatch time; null when it
    /// cannot be read. Read after the dispatch is recorded, so a failure here costs one measurement, never the dispatch.
    /// </summary>
    private async Task<DateTimeOffset?> VerifiedAtAsync(string releaseStream, string sha, CancellationToken ct)
    {
        try
        {
            return (await store.ReadStreamAsync(releaseStream, ct)).Select(e => e.Data).OfType<VerificationCompleted>()
                .LastOrDefault(v => string.Equals(v.Sha, sha, StringComparison.Ordinal))?.At;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            return null;
        }
    }
}

public static class CommitStatusTexts
{
    public const string Context = "booty/release-governor";
    public const string Triggered = "Triggered: deploy workflow run";
}
