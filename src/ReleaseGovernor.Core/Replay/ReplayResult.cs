using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Risk;

namespace ReleaseGovernor.Core.Replay;

/// <summary>
/// A recorded decision that the proposed config would have decided differently: what it was, what it would be, and the
/// paths whose match changed. <paramref name="PathsIncomplete"/>: the decision kept only part of a very large diff.
/// <paramref name="ApprovalsNotGathered"/>: it would now need an approval, and approvals were not asked for at the time
/// (the risk did not call for one), so any that existed are not known.
/// </summary>
public sealed record ReplayChange(
    string Repository,
    string Environment,
    string Sha,
    DateTimeOffset At,
    long Sequence,
    string? DeliveryId,
    DecisionOutcome WasOutcome,
    string WasReason,
    RiskClass? WasRisk,
    DecisionOutcome WouldOutcome,
    string WouldReason,
    RiskClass? WouldRisk,
    string? WouldUnblock,
    IReadOnlyList<RiskEvidence> NowMatching,
    IReadOnlyList<RiskEvidence> NoLongerMatching,
    bool PathsIncomplete,
    bool ApprovalsNotGathered);

/// <summary>
/// Totals of a replay. <paramref name="NotRecorded"/>: decisions in range stored before what they saw was recorded (not
/// replayed). <paramref name="ReasonChanged"/>: same outcome, another reason.
/// </summary>
public sealed record ReplaySummary(
    int Replayed,
    int NotRecorded,
    int Changed,
    int AllowedToHeld,
    int HeldToAllowed,
    int ReasonChanged,
    int ToSkipped,
    string? ProposedFingerprint);

public sealed record ReplayReport(IReadOnlyList<ReplayChange> Changes, ReplaySummary Summary);
