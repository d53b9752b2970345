namespace ReleaseGovernor.Core.Risk;

/// <summary>
/// A change to the <c>release_governor</c> block of <c>.booty.yml</c> is HIGH risk whatever the path patterns say,
/// so a change that loosens its own rules always takes an approval. The evidence names each changed key.
/// </summary>
public static class PolicyChangeRisk
{
    public const string ConfigPath = ".booty.yml";

    public static RiskAssessment Escalate(RiskAssessment risk, IReadOnlyList<string> changedKeys)
    {
        if (changedKeys.Count == 0) return risk;
        var evidence = changedKeys.Select(k => new RiskEvidence(ConfigPath, $"release_governor.{k}", RiskClass.High));
        var kept = risk.Class == RiskClass.High ? risk.Evidence : [];
        return risk with { Class = RiskClass.High, Evidence = [.. evidence, .. kept] };
    }
}
