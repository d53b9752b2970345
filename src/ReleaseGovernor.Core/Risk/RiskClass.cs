namespace ReleaseGovernor.Core.Risk;

/// <summary>How risky a change to production is, by the paths it touches (design §4, "Risk").</summary>
public enum RiskClass
{
    Low,
    Medium,
    High,
}
