namespace ReleaseGovernor.Core.Risk;

/// <summary>
/// The class of a diff and every path that drove it. <paramref name="DiffTruncated"/> is true when
/// the compare listed only part of the changed files.
/// </summary>
public sealed record RiskAssessment(RiskClass Class, IReadOnlyList<RiskEvidence> Evidence, bool DiffTruncated);
