using ReleaseGovernor.Core.Risk;
using ReleaseGovernor.Core.Events;

namespace ReleaseGovernor.Core.Releases;

public enum DeployResult { Pending, Success, Failure }

public sealed record DeployHistoryEntry(string Sha, DateTimeOffset At, string Result, long? RunId, string? HtmlUrl);

/// <summary>The last decision; <paramref name="JudgedBy"/> says which config judged it (null for decisions stored before it was recorded).</summary>
public sealed record LastDecision(string Sha, DecisionOutcome Outcome, string Reason, RiskClass? Risk, string? Unblock, DateTimeOffset At,
    string? JudgedBy = null);

public sealed record InFlightDeploy(string Sha, DateTimeOffset RequestedAt, long? RunId, string? HtmlUrl, bool Started);

public sealed record ActiveHold(string Reason, string Actor, DateTimeOffset PlacedAt, DateTimeOffset? Until);

/// <summary>A break-glass override not yet spent (<c>booty governor override</c>).</summary>
public sealed record GrantedOverride(string Sha, string Reason, string Actor, DateTimeOffset At, DateTimeOffset? Until, bool IncludeApproval);

public sealed record Approval(string Sha, string Via, string Actor, DateTimeOffset At);

public sealed record Failure(string Sha, DateTimeOffset At);

/// <summary>
/// A deploy run the governor knows to be its own: the sha it deploys, and the highest attempt that ended (null while none
/// has). An unmatched run has no sha and keeps the conclusion it was recorded with.
/// </summary>
public sealed record KnownRun(long RunId, string? Sha, int? EndedAttempt, string? UnmatchedConclusion = null);

/// <summary>
/// A custom deployment protection rule request of run <paramref name="RunId"/> (trigger_mode: protection_rule).
/// <paramref name="Environment"/> is the name as GitHub sent it (the answer must repeat it); <paramref name="Answer"/> is
/// null while undecided, else the state being sent (<c>approved</c> or <c>rejected</c>) until GitHub took it.
/// </summary>
public sealed record ProtectionRequest(long RunId, string Sha, string Environment, DateTimeOffset RequestedAt, string? TriggerEvent,
    string? Answer = null, string? Reason = null);

/// <summary>
/// The release state of one repository environment: the fold of its release stream.
/// Field names match the reference design so <c>--json</c> output is drop-in compatible.
/// </summary>
public sealed record ReleaseState
{
    public const int HistoryLimit = 24;

    /// <summary>How many recent dispatch requests the state keeps (older ones are in each sha's <see cref="ShaRecord"/>).</summary>
    public const int DispatchWindow = 48;

    /// <summary>How many recent CLI approvals the state keeps.</summary>
    public const int ApprovalWindow = 24;

    /// <summary>How many recent deploy runs (matched or not) the state remembers for matching outcomes to dispatches.</summary>
    public const int RunWindow = 32;

    public string? ProductionShaCurrent { get; init; }
    public string? ProductionShaPrevious { get; init; }
    public string? LastDeployAttemptSha { get; init; }
    public DateTimeOffset? LastDeployTime { get; init; }
    public DeployResult LastDeployResult { get; init; } = DeployResult.Pending;
    public DateTimeOffset? LastHealthCheck { get; init; }
    public IReadOnlyList<DeployHistoryEntry> DeployHistory { get; init; } = [];
    public LastDecision? LastDecision { get; init; }
    public InFlightDeploy? InFlight { get; init; }
    public string? WaitingSha { get; init; }
    public ActiveHold? Hold { get; init; }
    public string? LastVerifiedSha { get; init; }

    /// <summary>How many shas held by a freeze window the state remembers for the thaw.</summary>
    public const int FrozenWindow = 24;

    /// <summary>
    /// Shas whose last decision was HOLD <c>freeze_window</c>, oldest first: when the window closes the newest is decided
    /// again and the others are recorded as superseded.
    /// </summary>
    public IReadOnlyList<string> FrozenShas { get; init; } = [];

    /// <summary>How many unspent overrides the state keeps.</summary>
    public const int OverrideWindow = 16;

    /// <summary>Overrides granted and not yet spent on a deploy, oldest first (one per sha: a new grant replaces the old).</summary>
    public IReadOnlyList<GrantedOverride> Overrides { get; init; } = [];

    /// <summary>
    /// The sha of the last <see cref="DispatchWindow"/> dispatches requested, in order: a sha appears once per deploy attempt.
    /// Whether an older sha was dispatched is answered by its <see cref="ShaRecord"/>.
    /// </summary>
    public IReadOnlyList<string> DispatchedShas { get; init; } = [];

    /// <summary>
    /// Dispatched shas whose latest deploy failed (or whose dispatch was cancelled by a hold): they may be dispatched
    /// again (after cooldown_minutes for a failure). A sha in flight or deployed successfully never is.
    /// </summary>
    public IReadOnlyList<string> RetryableShas { get; init; } = [];

    /// <summary>Dispatch times, newest last, trimmed to the last hour seen (the hourly rate limit counts these).</summary>
    public IReadOnlyList<DateTimeOffset> RecentDispatches { get; init; } = [];

    public IReadOnlyList<Failure> RecentFailures { get; init; } = [];
    public IReadOnlyList<Approval> Approvals { get; init; } = [];

    /// <summary>The last <see cref="RunWindow"/> deploy runs seen, oldest first.</summary>
    public IReadOnlyList<KnownRun> RecentRuns { get; init; } = [];

    /// <summary>Production's health after the last deploy (<c>health_check</c>): unknown without a watch.</summary>
    public Health.ProductionHealth Health { get; init; } = Core.Health.ProductionHealth.Unknown;

    /// <summary>How many rolled-back shas the state keeps.</summary>
    public const int RolledBackWindow = 16;

    /// <summary>Shas taken out of production by a rollback, oldest first: each is held (<c>rolled_back</c>) until approved again.</summary>
    public IReadOnlyList<Health.RolledBackSha> RolledBack { get; init; } = [];

    /// <summary>How many protection-rule requests (pending, and answered run ids) the state keeps.</summary>
    public const int ProtectionWindow = 32;

    /// <summary>Protection-rule requests not yet answered on GitHub's side, oldest first.</summary>
    public IReadOnlyList<ProtectionRequest> ProtectionRequests { get; init; } = [];

    /// <summary>Run ids whose protection-rule request GitHub has an answer for (or refused one), oldest first.</summary>
    public IReadOnlyList<long> AnsweredRuns { get; init; } = [];

    /// <summary>Whether the request of the run was received already (pending or answered).</summary>
    public bool KnowsProtectionRun(long runId) => AnsweredRuns.Contains(runId) || ProtectionRequests.Any(p => p.RunId == runId);

    /// <summary>Version of the release stream this state reflects (0 = no events).</summary>
    public long Version { get; init; }

    public static ReleaseState Initial { get; } = new();

    /// <summary>Dispatched within the window, and not retryable: in flight, deployed, or waiting for its outcome.</summary>
    public bool AlreadyDispatched(string sha) =>
        DispatchedShas.Contains(sha, StringComparer.Ordinal) && !RetryableShas.Contains(sha, StringComparer.Ordinal);

    /// <summary>How many dispatches of the sha were requested within the window.</summary>
    public int DispatchCount(string sha) => DispatchedShas.Count(s => string.Equals(s, sha, StringComparison.Ordinal));
}
