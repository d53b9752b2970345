using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Risk;

namespace ReleaseGovernor.Core.Releases;

/// <summary>
/// The verdict for one sha. <paramref name="Reason"/> is one of <see cref="ReasonCodes"/>;
/// <paramref name="Unblock"/> tells a person what to do about a HOLD (null when there is nothing to do).
/// </summary>
public sealed record Decision(DecisionOutcome Outcome, string Reason, string? Unblock, RiskClass? Risk);

/// <summary>
/// The events to append (none for a skip) and the verdict they record. The verdict is always there:
/// a skip (<c>disabled</c>, <c>already_dispatched</c>) has outcome <see cref="DecisionOutcome.Skip"/>.
/// </summary>
public sealed record DecisionResult(IReadOnlyList<ReleaseEvent> Events, Decision Decision);
