using System.Text.Json;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Outbox;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.Processing.Effects;

/// <summary>
/// Work to do after commit, typed: each case knows its kind, payload, dedupe key and lane, so a writer says what it
/// wants done and <see cref="EnqueueAsync"/> turns it into the outbox row, in the writer's transaction. The workers read
/// the payload records below; their JSON is the contract with rows already stored.
/// </summary>
public abstract record Effect(string StreamId, RepoRef? Repo, long? InstallationId)
{
    /// <summary>Process a stored webhook fact (classify a run, act on an approval signal).</summary>
    public sealed record ProcessEvent(string StreamId, Guid EventId, RepoRef? Repo, long? InstallationId) : Effect(StreamId, Repo, InstallationId);

    /// <summary>Decide a held or waiting sha again (coalesced with one already waiting: see <see cref="EnqueueAsync"/>).</summary>
    public sealed record Evaluate(string StreamId, RepoRef Repo, long? InstallationId, string Sha, string Why) : Effect(StreamId, Repo, InstallationId);

    /// <summary>
    /// Dispatch the deploy workflow for the sha: once per (stream, sha, attempt). <paramref name="StatusText"/>: the commit
    /// status once dispatched when not the usual one (a deploy an override let through).
    /// </summary>
    public sealed record Dispatch(string StreamId, RepoRef Repo, long? InstallationId, DeployDispatchRequested Request, string? StatusText = null)
        : Effect(StreamId, Repo, InstallationId);

    /// <summary>A freeze window closes at <paramref name="WindowEnd"/>: decide the newest sha it held again, then (due at the end; once per stream and end).</summary>
    public sealed record Thaw(string StreamId, RepoRef Repo, long? InstallationId, string Window, DateTimeOffset WindowEnd)
        : Effect(StreamId, Repo, InstallationId);

    /// <summary>Post the <c>booty/release-governor</c> commit status on the sha.</summary>
    public sealed record CommitStatus(string StreamId, RepoRef Repo, long? InstallationId, string Sha, string State, string Description,
        string? TargetUrl = null) : Effect(StreamId, Repo, InstallationId);

    /// <summary>Open (or comment on) the failure issue of a failed deploy run: once per run.</summary>
    public sealed record FailureIssue(string StreamId, RepoRef Repo, long? InstallationId, DeployFailed Failed) : Effect(StreamId, Repo, InstallationId);

    /// <summary>
    /// Probe <paramref name="Probe"/> of the watch of <paramref name="Sha"/>, due at <paramref name="DueAt"/> (probe 0 starts the
    /// watch: it reads the health_check at the sha). <paramref name="Watch"/> names the deploy (or watch) it follows, so a later
    /// deploy of the same sha gets its own items. Once per (stream, watch, probe).
    /// </summary>
    public sealed record HealthProbe(string StreamId, RepoRef Repo, long? InstallationId, string Sha, int Probe, string Watch, DateTimeOffset DueAt)
        : Effect(StreamId, Repo, InstallationId);

    /// <summary>Tell people about a rollback: a comment on the failure issue of the rolled-back sha, or a new issue. Once per rollback.</summary>
    public sealed record RollbackNotice(string StreamId, RepoRef Repo, long? InstallationId, RollbackRequested Rollback)
        : Effect(StreamId, Repo, InstallationId);

    /// <summary>Answer a deployment protection rule request: once per (stream, run id), the stream being the environment's.</summary>
    public sealed record ProtectionAnswer(string StreamId, RepoRef Repo, long? InstallationId, ProtectionRuleAnswerRequested Answer)
        : Effect(StreamId, Repo, InstallationId);

    public string Kind => this switch
    {
        ProcessEvent => EffectKinds.ProcessEvent,
        Evaluate => EffectKinds.Evaluate,
        Dispatch => EffectKinds.Dispatch,
        CommitStatus => EffectKinds.CommitStatus,
        FailureIssue => EffectKinds.FailureIssue,
        Thaw => EffectKinds.Thaw,
        HealthProbe => EffectKinds.HealthProbe,
        RollbackNotice => EffectKinds.RollbackNotice,
        ProtectionAnswer => EffectKinds.ProtectionAnswer,
        _ => throw new InvalidOperationException($"{GetType().Name} has no outbox kind."),
    };

    public string? DedupeKey => this switch
    {
        Dispatch d => EffectKinds.DispatchKey(StreamId, d.Request.Sha, d.Request.Attempt),
        FailureIssue f => $"failure_issue:{StreamId}:{f.Failed.RunId}",
        Thaw t => EffectKinds.ThawKey(StreamId, t.WindowEnd),
        HealthProbe h => $"health_probe:{StreamId}:{h.Sha}:{h.Watch}:{h.Probe}",
        RollbackNotice r => $"rollback_notice:{StreamId}:{r.Rollback.Sha}:{r.Rollback.At.ToUnixTimeMilliseconds()}",
        ProtectionAnswer a => EffectKinds.ProtectionAnswerKey(StreamId, a.Answer.RunId),
        _ => null,
    };

    /// <summary>When the item becomes due; null is now.</summary>
    public DateTimeOffset? AvailableAt => this switch
    {
        Thaw t => t.WindowEnd,
        HealthProbe h => h.DueAt,
        _ => null,
    };

    private object Payload => this switch
    {
        ProcessEvent p => new ProcessEventPayload(0, p.EventId),
        Evaluate e => new EvaluatePayload(e.Repo!.ToString(), InstallationId, e.Sha, e.Why),
        ProtectionAnswer a => new ProtectionAnswerPayload(a.Repo!.ToString(), InstallationId, a.Answer.Environment, a.Answer.Sha, a.Answer.RunId,
            a.Answer.State, a.Answer.Reason, a.Answer.Comment),
        Dispatch d => new DispatchPayload(d.Repo!.ToString(), InstallationId, d.Request.Sha, d.Request.Workflow, d.Request.Ref, d.Request.Inputs, d.Request.At,
            d.StatusText),
        Thaw t => new ThawPayload(t.Repo!.ToString(), InstallationId, t.Window, t.WindowEnd),
        CommitStatus c => new CommitStatusPayload(c.Repo!.ToString(), InstallationId, c.Sha, c.State, c.Description, c.TargetUrl),
        HealthProbe h => new HealthProbePayload(h.Repo!.ToString(), InstallationId, h.Sha, h.Probe, h.Watch),
        RollbackNotice r => new RollbackNoticePayload(r.Repo!.ToString(), InstallationId, r.Rollback.Sha, r.Rollback.To, r.Rollback.Reason, r.Rollback.Actor,
            r.Rollback.Why, r.Rollback.Evidence),
        FailureIssue f => new FailureIssuePayload(f.Repo!.ToString(), InstallationId, f.Failed.Sha, f.Failed.RunId, f.Failed.Conclusion, f.Failed.HtmlUrl),
        _ => throw new InvalidOperationException($"{GetType().Name} has no payload."),
    };

    /// <summary>
    /// Enqueues in the session's transaction; false when it adds nothing (an item with the same dedupe key exists, or an
    /// evaluation of the sha is already waiting).
    /// </summary>
    public static async Task<bool> EnqueueAsync(EventSession session, Effect effect, string? correlationId, string? causationId,
        CancellationToken ct)
    {
        if (effect is Evaluate e && await OutboxStore.HasUnclaimedAsync(session, EffectKinds.Evaluate, e.StreamId, e.Sha, ct))
            return false;
        return await OutboxStore.EnqueueAsync(session, new OutboxItem(effect.Kind, effect.StreamId,
            JsonSerializer.Serialize(effect.Payload, effect.Payload.GetType(), EventJson.Options), effect.DedupeKey, correlationId, causationId,
            AvailableAt: effect.AvailableAt, Lane: effect.Repo is { } repo ? OutboxLane.For(repo, effect.InstallationId) : null), ct);
    }
}
