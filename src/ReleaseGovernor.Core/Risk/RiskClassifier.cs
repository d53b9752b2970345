using ReleaseGovernor.Core.Config;

namespace ReleaseGovernor.Core.Risk;

/// <summary>
/// Classifies a diff by its changed paths (design §4, "Risk"): HIGH when any path matches a high-risk
/// or migration pattern, else MEDIUM when any matches a medium-risk pattern, else LOW. A truncated
/// file list is HIGH, since the missing files cannot be shown to be harmless.
/// </summary>
public static class RiskClassifier
{
    /// <summary>The <see cref="RiskEvidence.Path"/> of the evidence for a truncated diff.</summary>
    public const string TruncatedPath = "*";

    /// <summary>The <see cref="RiskEvidence.Pattern"/> of the evidence for a truncated diff.</summary>
    public const string TruncatedReason = "diff_truncated";

    public static RiskAssessment Classify(IReadOnlyList<string> changedPaths, bool truncated, GovernorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Classify(changedPaths, truncated, config.HighRiskPaths, config.MigrationPaths, config.MediumRiskPaths);
    }

    /// <summary>
    /// The evidence names every path that drove the final class with the pattern it matched, in the
    /// order of <paramref name="changedPaths"/>; LOW has none.
    /// </summary>
    public static RiskAssessment Classify(
        IReadOnlyList<string> changedPaths,
        bool truncated,
        IReadOnlyList<string> highRiskPaths,
        IReadOnlyList<string> migrationPaths,
        IReadOnlyList<string> mediumRiskPaths)
    {
        ArgumentNullException.ThrowIfNull(changedPaths);
        if (truncated)
            return new RiskAssessment(RiskClass.High, [new RiskEvidence(TruncatedPath, TruncatedReason, RiskClass.High)], DiffTruncated: true);

        var high = new PatternList(highRiskPaths);
        var migration = new PatternList(migrationPaths);
        var medium = new PatternList(mediumRiskPaths);
        var highEvidence = new List<RiskEvidence>();
        var mediumEvidence = new List<RiskEvidence>();
        foreach (var path in changedPaths.Distinct(StringComparer.Ordinal))
        {
            if ((high.Match(path) ?? migration.Match(path)) is { } highPattern)
                highEvidence.Add(new RiskEvidence(path, highPattern, RiskClass.High));
            else if (highEvidence.Count == 0 && medium.Match(path) is { } mediumPattern)
                mediumEvidence.Add(new RiskEvidence(path, mediumPattern, RiskClass.Medium));
        }

        return highEvidence.Count > 0 ? new RiskAssessment(RiskClass.High, highEvidence, DiffTruncated: false)
            : mediumEvidence.Count > 0 ? new RiskAssessment(RiskClass.Medium, mediumEvidence, DiffTruncated: false)
            : new RiskAssessment(RiskClass.Low, [], DiffTruncated: false);
    }
}
