using Microsoft.Extensions.Logging;
using Npgsql;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.GitHub.Api;
using ReleaseGovernor.Processing.Decisions;
using ReleaseGovernor.Processing.Observability;
using ReleaseGovernor.Processing.Runs;

namespace ReleaseGovernor.Processing.Recovery;

/// <summary>
/// Deploys are polled, not waited on for ever: for every in-flight deploy, asks GitHub for its run (by the run id
/// the dispatch returned, else by the name <c>Deploy &lt;sha&gt;</c>) and records the outcome a lost delivery
/// would have brought; a deploy with no outcome after <c>stall_minutes</c> is marked <see cref="DeployStalled"/>
/// by actor <c>system</c>.
/// </summary>
public sealed partial class DeployReconciler(
    IEventStore store,
    NpgsqlDataSource db,
    OutboxStore outbox,
    GitHubClient github,
    ConfigSource configs,
    TimeProvider clock,
    GovernorMetrics metrics,
    ILogger<DeployReconciler> log)
{
    /// <summary>Advisory lock key for startup recovery ("rg-recov").</summary>
    private const long RecoveryLockKey = 0x72672D7265636F76;

    /// <summary>Startup recovery, one replica at a time: reclaim expired leases, then reconcile in-flight deploys.</summary>
    public async Task RecoverAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand($"SELECT pg_advisory_lock({RecoveryLockKey})", connection))
            await lockCmd.ExecuteNonQueryAsync(ct);
        try
        {
            var reclaimed = await outbox.ReclaimExpiredLeasesAsync(ct);
            if (reclaimed > 0) LeasesReclaimed(reclaimed);
            await ReconcileAsync(ct);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({RecoveryLockKey})", connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    public async Task ReconcileAsync(CancellationToken ct)
    {
        foreach (var streamId in await store.ListStreamsWithDeployInFlightAsync(ct))
        {
            using var scope = LogScopes.BeginDelivery(log, null, RepositoryOf(streamId));
            try
            {
                await ReconcileStreamAsync(streamId, ct);
            }
            catch (Exception e) when (e is GitHubApiException or GitHubConfigurationException or HttpRequestException or TimeoutException)
            {
                GitHubUnavailable(streamId, e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // One stream's fault never stops the others (nor startup): logged, and the next pass tries it again.
                StreamFailed(e, streamId, e.Message);
            }
        }
    }

    private async Task ReconcileStreamAsync(string streamId, CancellationToken ct)
    {
        var state = await store.LoadReleaseStateAsync(streamId, ct) ?? ReleaseState.Initial;
        if (state.InFlight is not { } inFlight) return;
        var (repo, _) = StreamIds.ParseRelease(streamId);
        var request = (await store.ReadStreamAsync(streamId, [EventTypes.NameOf(typeof(DeployDispatchRequested))], "sha", inFlight.Sha, ct))
            .Select(e => e.Data).OfType<DeployDispatchRequested>().Last();
        var installationId = await store.FindInstallationIdAsync(streamId, ct) ?? await store.FindInstallationIdAsync(StreamIds.Repo(repo), ct);

        WorkflowRun? run = inFlight.RunId is { } id
            ? await github.GetWorkflowRunAsync(repo, installationId, id, ct)
            : (await github.ListWorkflowRunsAsync(repo, installationId, request.Workflow, "workflow_dispatch", inFlight.RequestedAt.AddMinutes(-5), perPage: 100, ct: ct))
                .FirstOrDefault(r => r.DisplayTitle == $"Deploy {inFlight.Sha}" || r.Name == $"Deploy {inFlight.Sha}");

        var names = ConfigSource.NamesFrom(await configs.LoadAsync(repo, installationId, inFlight.Sha, ct));
        ReleaseEvent? outcome = null;
        if (run is not null)
        {
            // Runs listed or read here are the repository's own (a workflow_dispatch run cannot come from a fork);
            // they still go through the same matching as a delivered run.
            var received = new WorkflowRunReceived(run.Status == "completed" ? "completed" : "in_progress", $"Deploy {inFlight.Sha}", run.Path,
                run.Id, run.RunAttempt, run.HeadSha, run.HeadBranch, run.Event, run.Status, run.Conclusion, run.DisplayTitle, run.HtmlUrl, null,
                repo.ToString(), repo.ToString(), false)
            { At = clock.GetUtcNow() };
            outcome = ReleaseDecider.Decide(state, new ReleaseCommand.RecordDeployRun(received, repo, names)).SingleOrDefault();
            if (outcome is DeployRunUnmatched) outcome = null;
        }

        var now = clock.GetUtcNow();
        var stallAfter = TimeSpan.FromMinutes(names.StallMinutes);
        if (outcome is null or DeployStarted && now - inFlight.RequestedAt >= stallAfter)
            outcome = new DeployStalled(inFlight.Sha, now - inFlight.RequestedAt) { At = now };
        if (outcome is null) return;

        // Decided on the state read before asking GitHub: if a delivery moved the stream meanwhile, nothing is written and
        // the next pass looks again.
        var metadata = EventMetadata.ForSystem("reconcile");
        var recorded = await new ReleaseWriter(store).WriteAsync(streamId, (current, _, _) => Task.FromResult(current.Version != state.Version
            ? new ReleaseWrite<bool>([], metadata, false)
            : new ReleaseWrite<bool>([outcome], metadata, true, async (session, _) =>
            {
                if (outcome is not DeployStarted && state.WaitingSha is { } waiting)
                    await RunClassifier.EnqueueEvaluationAsync(session, repo, installationId, streamId, waiting, "the deploy in flight ended", metadata, ct);
                if (outcome is DeploySucceeded succeeded)
                    await Health.HealthEffects.StartWatchAsync(session, repo, installationId, streamId, succeeded, metadata, clock.GetUtcNow(), ct);
            })), ct);
        if (recorded)
        {
            metrics.Deploy(outcome, "reconcile");
            Reconciled(streamId, EventTypes.NameOf(outcome), inFlight.Sha);
        }
    }

    /// <summary>The repository of a release stream, for the log scope.</summary>
    private static string? RepositoryOf(string releaseStream) =>
        StreamIds.IsRelease(releaseStream) ? StreamIds.ParseRelease(releaseStream).Repo.ToString() : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovery: reclaimed {Count} expired outbox lease(s)")]
    private partial void LeasesReclaimed(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reconcile {Stream} with GitHub: {Error}")]
    private partial void GitHubUnavailable(string stream, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not reconcile {Stream}; the other streams go on: {Error}")]
    private partial void StreamFailed(Exception exception, string stream, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled {Stream}: {Event} for {Sha}")]
    private partial void Reconciled(string stream, string @event, string sha);
}
