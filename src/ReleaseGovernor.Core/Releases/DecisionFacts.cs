using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Risk;

namespace ReleaseGovernor.Core.Releases;

/// <summary>
/// What the rules ask about one verified sha under a loaded config, each fact computed on first use.
/// Property names read like the conditions of design.md §4.
/// </summary>
internal sealed class DecisionFacts(ReleaseState state, DecisionInput input, GovernorConfig config)
{
    private static readonly TimeSpan RateWindow = TimeSpan.FromHours(1);

    public ReleaseState State => state;
    public DecisionInput Input => input;
    public GovernorConfig Config => config;
    public string Sha => input.Sha;
    public DateTimeOffset Now => input.Now;
    public RiskClass Risk => input.Risk.Class;

    public bool VerificationSucceeded =>
        string.Equals(input.VerificationConclusion, "success", StringComparison.OrdinalIgnoreCase);

    public bool AlreadyDispatched => state.AlreadyDispatched(input.Sha)
        || (state.DispatchCount(input.Sha) == 0 && input.Recorded is { AlreadyDispatched: true });

    /// <summary>The number of this sha's next dispatch: the window's count, or the sha's record when it is older than the window.</summary>
    public int NextAttempt => Math.Max(state.DispatchCount(input.Sha), input.Recorded?.Dispatches ?? 0) + 1;

    /// <summary>True only when the gatherer established that the sha is on the default branch.</summary>
    public bool OnDefaultBranch => input.DefaultBranch is { OnBranch: true };

    public bool DeployConfigured => !string.IsNullOrWhiteSpace(config.DeployWorkflowName);

    /// <summary>The operator hold, when it has no end or ends after now.</summary>
    public ActiveHold? ActiveHold => state.Hold is { } hold && (hold.Until is null || hold.Until > input.Now) ? hold : null;

    public bool AheadOfProduction => state.ProductionShaCurrent is not { } production
        || (!string.Equals(production, input.Sha, StringComparison.Ordinal)
            && input.Compare is not (CompareStatus.Behind or CompareStatus.Diverged or CompareStatus.Identical));

    public bool FirstDeploy => state.ProductionShaCurrent is null;

    /// <summary>The rollback that took this sha out of production and still holds it (until approved again).</summary>
    public Health.RolledBackSha? RolledBack => Health.HealthProjection.RolledBackOf(state, input.Sha);

    public bool Degraded => input.Degraded == true;

    public ApprovalTally Approvals => field ??= ApprovalPolicy.Tally(state, config, input.Sha, input.Approvals);

    /// <summary>The latest failure of this sha less than cooldown_minutes ago (exactly N minutes ago is over).</summary>
    public Failure? CooldownFailure => state.RecentFailures
        .Where(f => string.Equals(f.Sha, input.Sha, StringComparison.Ordinal)
                    && f.At > input.Now - TimeSpan.FromMinutes(config.CooldownMinutes))
        .MaxBy(f => f.At);

    /// <summary>Dispatch times less than an hour before now, oldest first (exactly an hour ago no longer counts).</summary>
    public IReadOnlyList<DateTimeOffset> DispatchesInLastHour => field ??=
        [.. state.RecentDispatches.Where(t => t > input.Now - RateWindow).Order()];

    /// <summary>When the hourly limit is reached: the time enough dispatches leave the window to free one slot.</summary>
    public DateTimeOffset? RateLimitFreesAt =>
        DispatchesInLastHour.Count >= MaxPerHour ? DispatchesInLastHour[DispatchesInLastHour.Count - MaxPerHour] + RateWindow : null;

    private int MaxPerHour => Math.Max(config.MaxDeploysPerHour, 1);

    public InFlightDeploy? InFlight => state.InFlight;

    /// <summary>The unspent, unexpired override of this sha: the soft rules let it through.</summary>
    public GrantedOverride? Override => state.Overrides.LastOrDefault(o =>
        string.Equals(o.Sha, input.Sha, StringComparison.Ordinal) && (o.Until is null || o.Until > input.Now));

    /// <summary>With an override that includes the approval, a HIGH-risk sha counts as approved.</summary>
    public bool ApprovalOverridden => Override is { IncludeApproval: true } && Risk == RiskClass.High && !Approvals.Approved;

    /// <summary>The soft rules that would have held this sha, were it not for the override (in rule order).</summary>
    public IReadOnlyList<string> Bypassed =>
    [
        .. Freeze is null ? Array.Empty<string>() : [ReasonCodes.FreezeWindow],
        .. CooldownFailure is null ? Array.Empty<string>() : [ReasonCodes.Cooldown],
        .. RateLimitFreesAt is null ? Array.Empty<string>() : [ReasonCodes.RateLimit],
        .. ApprovalOverridden ? [ReasonCodes.HighRiskNoApproval] : Array.Empty<string>(),
    ];

    /// <summary>The emergency stop of the repository or of everything.</summary>
    public Stops.ActiveStop? Stop => input.Stop;

    /// <summary>The freeze window in force now (start inclusive, end exclusive) that ends last.</summary>
    public Freeze.ActiveFreeze? Freeze => field ??= global::ReleaseGovernor.Core.Freeze.FreezeWindows.ActiveAt(config.FreezeWindows, input.Now);
}
