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
        var already = state.Approvals.Any(a =>
            string.Equals(a.Sha, sha, StringComparison.Ordinal)
            && string.Equals(a.Via, ApprovalChannels.Cli, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.Actor, actor, StringComparison.OrdinalIgnoreCase));
        return already ? [] : [new ApprovalGranted(sha, ApprovalChannels.Cli, actor) { At = now }];
    }
}
