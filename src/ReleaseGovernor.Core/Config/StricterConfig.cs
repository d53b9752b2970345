namespace ReleaseGovernor.Core.Config;

/// <summary>
/// The policy that judges a sha when production already runs a config: the stricter of the config at the
/// production sha (trusted: it was itself judged) and the config at the sha (shaped by the change being judged).
/// Risk patterns are united; approvals follow production's channel and approvers (a change to who may approve takes
/// effect once it is itself in production) and the stricter of each flag and count; cooldown and
/// the hourly limit take the stricter number; freeze windows are united. Names (workflows, environment, ref) stay the sha's: any change to
/// them changes the <c>release_governor</c> block, which is itself HIGH risk.
/// </summary>
public static class StricterConfig
{
    public static GovernorConfig Of(GovernorConfig production, GovernorConfig atSha) => atSha with
    {
        HighRiskPaths = Union(production.HighRiskPaths, atSha.HighRiskPaths),
        MediumRiskPaths = Union(production.MediumRiskPaths, atSha.MediumRiskPaths),
        MigrationPaths = Union(production.MigrationPaths, atSha.MigrationPaths),
        RequireApprovalForFirstDeploy = production.RequireApprovalForFirstDeploy || atSha.RequireApprovalForFirstDeploy,
        AllowSelfApproval = production.AllowSelfApproval && atSha.AllowSelfApproval,
        ApprovalMode = production.ApprovalMode,
        ApprovalLabel = production.ApprovalLabel,
        ApprovalCommand = production.ApprovalCommand,
        CooldownMinutes = Math.Max(production.CooldownMinutes, atSha.CooldownMinutes),
        MaxDeploysPerHour = Math.Min(production.MaxDeploysPerHour, atSha.MaxDeploysPerHour),
        Approvers = production.Approvers,
        RequiredApprovals = Math.Max(production.RequiredApprovals, atSha.RequiredApprovals),
        // Production's windows stand: the judged change can add a window but not remove or shorten one.
        FreezeWindows = [.. production.FreezeWindows.Concat(atSha.FreezeWindows.Where(w => !production.FreezeWindows.Contains(w)))],
    };

    private static IReadOnlyList<string> Union(IReadOnlyList<string> trusted, IReadOnlyList<string> proposed) =>
        [.. trusted.Concat(proposed).Distinct(StringComparer.Ordinal)];
}
