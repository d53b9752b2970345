namespace ReleaseGovernor.Core.Releases;

/// <summary>
/// What operators see (<c>booty governor status</c>, <c>GET /api/repos/{owner}/{repo}/release</c>):
/// the reference design's fields under the same names, plus the governor's own.
/// Before the first deploy every field is present and null, with <c>last_deploy_result: pending</c>.
/// </summary>
public sealed record ReleaseStatus(
    string Repository,
    string Environment,
    bool? Enabled,
    string EnabledFrom,
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
    /// <summary>The emergency stop that holds the repository (<c>booty governor stop</c>), or null.</summary>
    public Stops.ActiveStop? EmergencyStop { get; init; }

    /// <summary>Shas held by a freeze window, oldest first: the newest is decided again when the window closes.</summary>
    public IReadOnlyList<string> FrozenShas { get; init; } = [];

    /// <summary><c>healthy</c>, <c>degraded</c> or <c>unknown</c> (no health_check, or no probe yet): what rules 9 and 14 read.</summary>
    public string Health { get; init; } = "unknown";

    /// <summary>The watch behind <see cref="Health"/>: the sha probed, the probe counts, since when degraded, what fails.</summary>
    public Health.ProductionHealth HealthWatch { get; init; } = Core.Health.ProductionHealth.Unknown;

    /// <summary>Shas a rollback took out of production, each held (<c>rolled_back</c>) until approved again.</summary>
    public IReadOnlyList<Health.RolledBackSha> RolledBack { get; init; } = [];

    /// <summary>Deployment protection rule requests GitHub waits on an answer for, oldest first (with the answer being sent, if any).</summary>
    public IReadOnlyList<ProtectionRequest> ProtectionRequests { get; init; } = [];

    /// <summary>
    /// The one definition of the status document. <c>enabled</c> comes from the config the governor loaded at the last
    /// sha it decided for (a decision is recorded only when the governor is on at that sha); before any decision, from
    /// <paramref name="fallback"/> (the CLI's local <c>.booty.yml</c>) when given, else unknown (null).
    /// <c>enabled_from</c> says which.
    /// </summary>
    public static ReleaseStatus From(RepoRef repo, string environment, ReleaseState? state, EnabledFallback? fallback = null,
        Stops.ActiveStop? stop = null)
    {
        var s = state ?? ReleaseState.Initial;
        var (enabled, from) = s.LastDecision is { } d
            ? (true, d.Reason == ReasonCodes.ConfigInvalid
                ? $"the last decided sha {Short(d.Sha)}, whose .booty.yml is invalid (decisions HOLD config_invalid)"
                : $".booty.yml at the last decided sha {Short(d.Sha)}")
            : fallback is { } f
                ? (f.Enabled, $"the local {f.Path} (a fallback: no decision recorded yet): {f.Description}")
                : ((bool?)null, "nothing yet: no decision recorded for this environment");
        return new ReleaseStatus(repo.ToString().ToLowerInvariant(), environment.ToLowerInvariant(), enabled, from,
            s.ProductionShaCurrent, s.ProductionShaPrevious, s.LastDeployAttemptSha, s.LastDeployTime, s.LastDeployResult,
            s.LastHealthCheck, s.DeployHistory, s.LastDecision, s.InFlight, s.WaitingSha, s.Hold, s.Version)
        {
            EmergencyStop = stop,
            FrozenShas = s.FrozenShas,
            Health = s.Health.Status.ToString().ToLowerInvariant(),
            HealthWatch = s.Health,
            RolledBack = s.RolledBack,
            ProtectionRequests = s.ProtectionRequests,
        };
    }

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;
}

/// <summary>What a local <c>.booty.yml</c> says, used only until the governor has decided something for the repository.</summary>
public sealed record EnabledFallback(bool Enabled, string Description, string Path);
