namespace ReleaseGovernor.Core.Releases;

/// <summary>
/// What operators see (<c>booty governor status</c>, <c>GET /api/repos/{owner}/{repo}/release</c>):
/// the reference design's fields under the same names, plus the governor's own.
/// Before the first deploy every field is present and null, with <c>last_deploy_result: pending</c>.
/// </summary>
public sealed record ReleaseStatus(
    string Repository,
    string Environment,
    bool Enabled,
    string? ProductionShaCurrent,
    string? ProductionShaPrevious,
    string? LastDeployAttemptSha,
    DateTimeOffset? LastDeployTime,
    DeployResult LastDeployResult,
    DateTimeOffset? LastHealthCheck,
    IReadOnlyList<DeployHistoryEntry> DeployHistory,
    LastDecision? LastDecision,
    InFlightDeploy? InFlight,
    string? WaitingSha,
    ActiveHold? Hold,
    long Version)
{
    public static ReleaseStatus From(RepoRef repo, string environment, bool enabled, ReleaseState? state)
    {
        var s = state ?? ReleaseState.Initial;
        return new ReleaseStatus(repo.ToString(), environment, enabled,
            s.ProductionShaCurrent, s.ProductionShaPrevious, s.LastDeployAttemptSha, s.LastDeployTime, s.LastDeployResult,
            s.LastHealthCheck, s.DeployHistory, s.LastDecision, s.InFlight, s.WaitingSha, s.Hold, s.Version);
    }
}
