namespace ReleaseGovernor.Core.Risk;

/// <summary>A changed path and the configured pattern that gave it its class.</summary>
public sealed record RiskEvidence(string Path, string Pattern, RiskClass Class);
