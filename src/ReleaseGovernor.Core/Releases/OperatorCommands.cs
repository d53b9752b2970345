using ReleaseGovernor.Core.Events;

namespace ReleaseGovernor.Core.Releases;

/// <summary>What operators do by hand (<c>booty governor hold | release-hold | approve | override</c>), as pure decisions.</summary>
public static class OperatorCommands
{
    /// <summary>Freezes deploys until <paramref name="until"/> (or until lifted when null). Replaces any active hold.</summary>
    public static IReadOnlyList<ReleaseEvent> PlaceHold(ReleaseState state, string reason, string actor, DateTimeOffset? until, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException("A hold needs a reason: say why deploys are frozen (e.g. \"incident 42\").", nameof(reason));
        if (until is { } end && end <= now)
            throw new ArgumentException(
                $"The hold's end ({end:O}) must be in the future (now is {now:O}); omit it for a hold that lasts until lifted.", nameof(until));
        return [new HoldPlaced(reason.Trim(), actor, until) { At = now }];
    }

    /// <summary>Lifts the hold; nothing when there is none.</summary>
    public static IReadOnlyList<ReleaseEvent> LiftHold(ReleaseState state, string actor, DateTimeOffset now) =>
        state.Hold is null ? [] : [new HoldLifted(actor) { At = now }];

    /// <summary>Lets one deploy of <paramref name="sha"/> bypass the soft rules until <paramref name="until"/>; replaces an unspent override of it.</summary>
    public static IReadOnlyList<ReleaseEvent> GrantOverride(ReleaseState state, string sha, string reason, string actor, DateTimeOffset until,
        bool includeApproval, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(sha))
            throw new ArgumentException("Name the commit sha to override for.", nameof(sha));
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException("An override needs a reason: say why the sha must ship now (e.g. \"hotfix for incident 42\").", nameof(reason));
        if (until <= now)
            throw new ArgumentException($"The override's end ({until:O}) must be in the future (now is {now:O}).", nameof(until));
        return [new OverrideGranted(sha, reason.Trim(), actor, until, includeApproval) { At = now }];
    }

    /// <summary>Approves <paramref name="sha"/> for a HIGH risk or first deploy; once per actor and sha.</summary>
    public static IReadOnlyList<ReleaseEvent> Approve(ReleaseState state, string sha, string actor, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(sha))
            throw new ArgumentException("Name the commit sha to approve.", nameof(sha));
        // An approval given before the sha was rolled back does not lift the rollback's hold: approving again does.
        var rolledBackAt = Health.HealthProjection.RolledBackOf(state, sha)?.At;
        var already = state.Approvals.Any(a =>
            string.Equals(a.Sha, sha, StringComparison.Ordinal)
            && string.Equals(a.Via, ApprovalChannels.Cli, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.Actor, actor, StringComparison.OrdinalIgnoreCase)
            && (rolledBackAt is null || a.At >= rolledBackAt));
        return already ? [] : [new ApprovalGranted(sha, ApprovalChannels.Cli, actor) { At = now }];
    }

    /// <summary>
    /// Takes production back to <paramref name="to"/> (default production_sha_previous) through the same record and
    /// dispatch as an automatic rollback, with the operator as actor. Refused (<see cref="InvalidOperationException"/>,
    /// the message says why and what to do) when there is nothing in production, the target never deployed successfully
    /// (as far as the state's deploy history shows), or a hold, emergency stop or deploy in flight stands in the way.
    /// </summary>
    public static IReadOnlyList<ReleaseEvent> RollBack(ReleaseState state, string? to, string reason, string actor, Health.RollbackInput input,
        DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException("A rollback needs a reason: say why production goes back (e.g. \"errors after deploy, incident 42\").", nameof(reason));
        if (state.ProductionShaCurrent is not { } current)
            throw new InvalidOperationException("Nothing is in production in this environment yet, so there is nothing to roll back.");
        var target = to ?? state.ProductionShaPrevious
            ?? throw new InvalidOperationException($"There is no earlier production sha to go back to from {current}: name one with --to SHA.");
        if (string.Equals(target, current, StringComparison.Ordinal))
            throw new InvalidOperationException($"{target} is already in production: name an earlier sha with --to SHA.");
        var deployed = string.Equals(target, state.ProductionShaPrevious, StringComparison.Ordinal)
            || state.DeployHistory.Any(h => string.Equals(h.Sha, target, StringComparison.Ordinal) && h.Result == "success");
        if (!deployed)
            throw new InvalidOperationException(
                $"{target} was never deployed successfully here (not in the last {ReleaseState.HistoryLimit} deploys): roll back only to a sha production ran; see booty governor status.");
        var events = Health.HealthDecider.Rollback(state, current, ReasonCodes.RollbackOperator, actor, reason.Trim(), [], input, now, target);
        if (events is [RollbackHeld held])
            throw new InvalidOperationException($"The rollback to {target} is refused ({held.Reason}): {held.Unblock}.");
        return events;
    }
}
