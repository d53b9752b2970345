using ReleaseGovernor.Core.Commits;
using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.EventStore.Stops;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.Processing.Effects;

namespace ReleaseGovernor.Processing.Decisions;

/// <summary>The decision for one sha, what it was based on, and whether it was recorded.</summary>
public sealed record Evaluation(RepoRef Repo, string Environment, string Sha, Decision Decision, DecisionInput Input,
    IReadOnlyList<StoredEvent> Recorded);

/// <summary>
/// Decides for one verified sha and records the outcome: gathers the inputs (config at the sha, diff, approvals),
/// runs the pure decider on the release stream's state, then appends the decision and enqueues its effects in
/// one transaction at the stream version it read. Another writer in between makes it decide again.
/// </summary>
public sealed class ReleaseEvaluator(IEventStore store, ConfigSource configs, DecisionInputGatherer gatherer, TimeProvider clock)
{
    private readonly ReleaseWriter _writer = new(store);
    private readonly EmergencyStopStore _stops = new(store);

    /// <summary>
    /// The decision without recording anything (<c>booty governor simulate</c>), at <paramref name="at"/> when given
    /// (freeze windows, rate limit and cooldown are judged at that instant) else now, with <paramref name="assuming"/>
    /// applied to the state first (what a command would record, e.g. an override).
    /// </summary>
    public async Task<Evaluation> SimulateAsync(RepoRef repo, long? installationId, Sha commit, CancellationToken ct, DateTimeOffset? at = null,
        IReadOnlyList<ReleaseEvent>? assuming = null)
    {
        var sha = commit.Value;
        installationId ??= await store.FindInstallationIdAsync(StreamIds.Repo(repo), ct);
        var (config, streamId, environment) = await ConfigAsync(repo, installationId, sha, ct);
        var state = (assuming ?? []).Aggregate(await store.LoadReleaseStateAsync(streamId, ct) ?? ReleaseState.Initial, ReleaseProjection.Apply);
        var record = await store.LoadShaAsync(streamId, sha, ct);
        var stop = (await _stops.LoadAsync(ct)).For(repo);
        var input = await gatherer.GatherAsync(repo, installationId, sha, record?.Verification ?? UnblockHints.NotRecorded, config, state,
            at ?? clock.GetUtcNow(), ct) with { Recorded = record, Stop = stop, Degraded = state.Health.DegradedSignal };
        return new Evaluation(repo, environment, sha, Decider.Decide(state, input).Decision, input, []);
    }

    /// <summary>
    /// Decides and records. <paramref name="leading"/> events (the verification that prompted this) are appended
    /// first in the same transaction; <paramref name="alsoInTransaction"/> runs before commit (e.g. completing the
    /// outbox item that asked for this). <paramref name="defaultBranch"/> is the default branch the triggering delivery named.
    /// <paramref name="target"/> names another environment's stream than production's (deployment protection rules);
    /// <paramref name="lead"/> adds leading events computed on the state the write reads (so a retry after a lost race
    /// computes them again on the fresh state).
    /// </summary>
    public async Task<Evaluation> EvaluateAsync(RepoRef repo, long? installationId, Sha commit, IReadOnlyList<ReleaseEvent> leading,
        EventMetadata metadata, Func<EventSession, Task>? alsoInTransaction, CancellationToken ct, string? defaultBranch = null,
        EvaluationTarget? target = null, Func<ReleaseState, IReadOnlyList<ReleaseEvent>>? lead = null)
    {
        var sha = commit.Value;
        installationId ??= await store.FindInstallationIdAsync(StreamIds.Repo(repo), ct);
        var (config, streamId, environment) = await ConfigAsync(repo, installationId, sha, ct, target);
        var verifiedIn = StreamIds.Release(repo, ConfigSource.NamesFrom(config).ProductionEnvironmentName);
        DecisionInput? gathered = null;
        string? gatheredFor = null;
        IReadOnlyList<StoredEvent> recorded = [];
        var (decision, input) = await _writer.WriteAsync(streamId, async (before, _, token) =>
        {
            IReadOnlyList<ReleaseEvent> leadingNow = lead is null ? leading : [.. leading, .. lead(leading.Aggregate(before, ReleaseProjection.Apply))];
            var state = leadingNow.Aggregate(before, ReleaseProjection.Apply);
            var record = await store.LoadShaAsync(streamId, sha, token);
            var stop = (await _stops.LoadAsync(token)).For(repo);
            // Another environment's stream (protection rules) reads the verification where it is recorded: production's stream.
            var conclusion = leadingNow.OfType<VerificationCompleted>().LastOrDefault(v => v.Sha == sha)?.Conclusion
                             ?? record?.Verification
                             ?? (streamId == verifiedIn ? null : (await store.LoadShaAsync(verifiedIn, sha, token))?.Verification)
                             ?? UnblockHints.NotRecorded;
            // A retry after a concurrency conflict reuses what GitHub said unless what it was asked about changed.
            var askedAbout = $"{state.ProductionShaCurrent}|{state.AlreadyDispatched(sha)}|{record?.AlreadyDispatched}|{conclusion}";
            var input = gathered is not null && gatheredFor == askedAbout
                ? gathered with { Now = clock.GetUtcNow(), Recorded = record, Stop = stop, Degraded = state.Health.DegradedSignal }
                : await gatherer.GatherAsync(repo, installationId, sha, conclusion, config, state, clock.GetUtcNow(), token, defaultBranch)
                    with { Recorded = record, Stop = stop, Degraded = state.Health.DegradedSignal };
            (gathered, gatheredFor) = (input, askedAbout);
            var result = Decider.Decide(state, input);
            var unchanged = leadingNow.Count == 0 && RepeatsLastDecision(before, result) && !result.Events.OfType<ProtectionRuleAnswerRequested>().Any();
            return new ReleaseWrite<(Decision, DecisionInput)>(unchanged ? [] : [.. leadingNow, .. result.Events], metadata, (result.Decision, input),
                async (session, appended) =>
                {
                    recorded = appended;
                    if (!unchanged) await EnqueueEffectsAsync(session, repo, installationId, streamId, before, result, input, appended, ct);
                    if (alsoInTransaction is not null) await alsoInTransaction(session);
                });
        }, ct);
        return new Evaluation(repo, environment, sha, decision, input, recorded);
    }

    /// <summary>A HOLD (or skip) that says exactly what the last decision said adds nothing to the log.</summary>
    private static bool RepeatsLastDecision(ReleaseState before, DecisionResult result) =>
        result.Decision.Outcome != DecisionOutcome.Allow && before.LastDecision is { } last
        && result.Events.OfType<DeployDecided>().SingleOrDefault() is { } d
        && string.Equals(last.Sha, d.Sha, StringComparison.Ordinal) && last.Outcome == d.Outcome && last.Reason == d.Reason
        && last.Unblock == d.Unblock && last.Risk == d.Risk;

    private static async Task EnqueueEffectsAsync(EventSession session, RepoRef repo, long? installationId, string streamId,
        ReleaseState before, DecisionResult result, DecisionInput input, IReadOnlyList<StoredEvent> recorded, CancellationToken ct)
    {
        var correlation = recorded.FirstOrDefault()?.Metadata.CorrelationId;
        foreach (var e in recorded)
        {
            switch (e.Data)
            {
                case DeployDispatchRequested r:
                    await Effect.EnqueueAsync(session, new Effect.Dispatch(streamId, repo, installationId, r,
                        recorded.Select(x => x.Data).OfType<OverrideUsed>().FirstOrDefault() is { } used ? CommitStatusText.Override(used.Actor, used.Reason) : null),
                        correlation, e.Id.ToString(), ct);
                    break;
                case ProtectionRuleAnswerRequested a:
                    await Effect.EnqueueAsync(session, new Effect.ProtectionAnswer(streamId, repo, installationId, a), correlation, e.Id.ToString(), ct);
                    break;
                case DeployDecided { Outcome: DecisionOutcome.Hold } d when !SameAsLastDecision(before, d):
                    await Effect.EnqueueAsync(session, new Effect.CommitStatus(streamId, repo, installationId, d.Sha, "failure",
                        CommitStatusText.For(result.Decision)), correlation, e.Id.ToString(), ct);
                    if (d.Reason == ReasonCodes.FreezeWindow) await EnqueueThawAsync(session, repo, installationId, streamId, input, correlation, e, ct);
                    break;
            }
        }
    }

    /// <summary>
    /// The thaw: one evaluation of the stream when the window that held the sha closes, due at its end (any replica
    /// claims it then; it is a row, so it survives restarts). One per stream and window end.
    /// </summary>
    private static async Task EnqueueThawAsync(EventSession session, RepoRef repo, long? installationId, string streamId, DecisionInput input,
        string? correlation, StoredEvent decided, CancellationToken ct)
    {
        if (input.Config is not ConfigLoadResult.Loaded { Config: var judging }
            || Core.Freeze.FreezeWindows.ActiveAt(judging.FreezeWindows, input.Now) is not { } freeze)
            return;
        await Effect.EnqueueAsync(session, new Effect.Thaw(streamId, repo, installationId, freeze.Name, freeze.End), correlation,
            decided.Id.ToString(), ct);
    }

    /// <summary>A commit status is posted only when the decision for the sha changes.</summary>
    private static bool SameAsLastDecision(ReleaseState before, DeployDecided d) =>
        before.LastDecision is { } last && last.Sha == d.Sha && last.Outcome == d.Outcome && last.Reason == d.Reason;

    private async Task<(ConfigLoadResult Config, string StreamId, string Environment)> ConfigAsync(RepoRef repo, long? installationId, string sha,
        CancellationToken ct, EvaluationTarget? target = null)
    {
        var config = await configs.LoadAsync(repo, installationId, sha, ct);
        var names = ConfigSource.NamesFrom(config);
        var environment = names.ProductionEnvironmentName;
        if (target is { Environment: var wanted } && !string.Equals(wanted, environment, StringComparison.OrdinalIgnoreCase)
            && (target.Always || names.TriggerMode == TriggerMode.ProtectionRule
                || (await store.LoadReleaseStateAsync(StreamIds.Release(repo, wanted), ct))?.ProtectionRequests.Count > 0))
            environment = wanted;
        return (config, StreamIds.Release(repo, environment), environment);
    }

}

/// <summary>
/// The environment whose release stream to decide, when not production's: always (<paramref name="Always"/>, a protection
/// rule request names it), or only when the config at the sha is in <c>protection_rule</c> mode or the stream has requests
/// pending (an evaluation queued for that stream). Otherwise the config's production environment is decided, as before.
/// </summary>
public sealed record EvaluationTarget(string Environment, bool Always);
