using System.Globalization;
using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Risk;

namespace ReleaseGovernor.Core.Releases;

/// <summary>
/// What a person can do about each HOLD (design.md §4, last column). The action comes first so a
/// shortened commit status keeps it; each text names the key, command or number involved.
/// </summary>
public static class UnblockHints
{
    public const string ReleaseHoldCommand = "booty governor release-hold";

    public static string Disabled(ConfigLoadResult.Disabled disabled) => disabled.Explicit
        ? $"{disabled.Reason}; set it to true to enable the release governor"
        : $"{disabled.Reason}; add a release_governor block to .booty.yml to enable it";

    public static string ConfigInvalid(IReadOnlyList<ConfigError> errors) =>
        string.Join("; ", errors.Select(e => e.ToString()));

    public static string VerificationFailed(string conclusion, GovernorConfig config) =>
        conclusion == NotRecorded
            ? $"no '{config.VerificationWorkflowName}' run is recorded for this sha: push it to the default branch and let '{config.VerificationWorkflowName}' finish (see booty governor history)"
            : $"fix the failure and push: '{config.VerificationWorkflowName}' concluded {conclusion}";

    /// <summary>The verification conclusion used when no verification of the sha was ever recorded.</summary>
    public const string NotRecorded = "not_recorded";

    public static string NotOnDefaultBranch(string sha, DefaultBranchCheck? check)
    {
        var branch = check?.Branch ?? "the default branch";
        var why = check is null
            ? "it could not be checked"
            : $"no push of it to {branch} was received and GitHub's compare of {branch} with it is '{check.How.Replace("compare:", "", StringComparison.Ordinal)}'";
        return $"merge {Short(sha)} into {branch} and let its verification run there: only commits on {branch} are deployed ({why})";
    }

    public static string DeployNotConfigured() =>
        "set release_governor.deploy_workflow_name in .booty.yml to the deploy workflow file (e.g. deploy.yml)";

    public static string Frozen(ActiveHold hold) => hold.Until is { } until
        ? $"run '{ReleaseHoldCommand}' or wait until {Time(until)} (held by {hold.Actor}: {hold.Reason})"
        : $"run '{ReleaseHoldCommand}' (held by {hold.Actor}: {hold.Reason})";

    public static string EmergencyStop(Stops.ActiveStop stop) =>
        $"run 'booty governor resume {(stop.IsAll ? "--all" : $"--repo {stop.Scope}")}' once deploys are safe again "
        + $"(emergency stop of {(stop.IsAll ? "every repository" : stop.Scope)} by {stop.Actor} at {Time(stop.At)}: {stop.Reason})";

    /// <summary>"frozen by 'weekend' until Mon 2026-12-07 08:00 Europe/Berlin (07:00Z)", how to ship now, and what happens at the end.</summary>
    public static string FreezeWindow(Freeze.ActiveFreeze freeze, string sha)
    {
        var zone = Freeze.Zones.Find(freeze.TimeZone) ?? TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(freeze.End, zone);
        var until = zone == TimeZoneInfo.Utc
            ? freeze.End.UtcDateTime.ToString("ddd yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture)
            : $"{local.ToString("ddd yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} {freeze.TimeZone} ({freeze.End.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)}Z)";
        return $"frozen by '{freeze.Name}' until {until}; to ship now: booty governor override {sha} --reason …; "
               + "else automatic: the newest sha verified in the window is decided again when it ends";
    }

    public static string NotAheadOfProduction(string sha, string? production, CompareStatus? compare) => compare switch
    {
        CompareStatus.Diverged => $"rebase or merge onto production ({Short(production)}) and push: {Short(sha)} has diverged from it",
        CompareStatus.Behind => $"nothing to deploy: {Short(sha)} is behind production ({Short(production)})",
        _ => $"nothing to deploy: {Short(sha)} is already in production",
    };

    public static string FirstDeployRequired(GovernorConfig config, string sha, ApprovalTally approvals) =>
        $"{ApprovalChannels.Hint(config, sha)} (first deploy: require_approval_for_first_deploy is true){Ignored(approvals)}";

    public static string Degraded(RiskClass risk, string sha) =>
        $"resolve the production incident, then re-run verification for {Short(sha)} ({risk.ToString().ToUpperInvariant()} risk while degraded)";

    /// <summary>The degraded hint with what is failing and since when, when the state knows (a health_check watch degraded it).</summary>
    public static string Degraded(RiskClass risk, string sha, Health.ProductionHealth health)
    {
        if (health.DegradedSince is not { } since) return Degraded(risk, sha);
        var failing = health.Failing.Count > 0 ? health.Failing[^1] : "probes failing";
        return $"wait for production to recover, or ship a LOW-risk fix: degraded since {Time(since)} after the deploy of {Short(health.Sha)} "
               + $"(last failure: {failing}); {Short(sha)} is re-evaluated when it recovers ({risk.ToString().ToUpperInvariant()} risk while degraded)";
    }

    public static string RolledBack(Health.RolledBackSha rolledBack) =>
        $"run 'booty governor approve {rolledBack.Sha}' to deploy it again, or push a fix: it was rolled back to {Short(rolledBack.To)} "
        + $"at {Time(rolledBack.At)} by {rolledBack.Actor} ({rolledBack.Reason})";

    public static string Cooldown(Failure failure, GovernorConfig config, DateTimeOffset now)
    {
        var minutes = MinutesUntil(failure.At + TimeSpan.FromMinutes(config.CooldownMinutes), now);
        return $"wait {Minutes(minutes)}, then re-run verification: {Short(failure.Sha)} failed to deploy at {Time(failure.At)} "
               + $"(cooldown_minutes: {config.CooldownMinutes})";
    }

    public static string RateLimit(int dispatches, GovernorConfig config, DateTimeOffset freesAt, DateTimeOffset now) =>
        $"wait until {Time(freesAt)} ({Minutes(MinutesUntil(freesAt, now))}) for a slot: "
        + $"{dispatches} deploys in the last hour (max_deploys_per_hour: {config.MaxDeploysPerHour})";

    public static string DeployInProgress(InFlightDeploy inFlight, string sha) =>
        $"automatic: {Short(sha)} is re-evaluated when the deploy of {Short(inFlight.Sha)} ends (newest waiting sha wins)";

    public static string HighRiskNoApproval(GovernorConfig config, string sha, ApprovalTally approvals) =>
        $"{ApprovalChannels.Hint(config, sha)}{Ignored(approvals)}";

    /// <summary>Whole minutes from <paramref name="now"/> to <paramref name="until"/>, rounded up.</summary>
    public static int MinutesUntil(DateTimeOffset until, DateTimeOffset now) =>
        Math.Max(0, (int)Math.Ceiling((until - now).TotalMinutes));

    private static string Ignored(ApprovalTally approvals) =>
        (approvals.Required > 1 ? $"; {approvals.Approvers.Count} of {approvals.Required} required approvals ({(approvals.Approvers.Count == 0 ? "none yet" : string.Join(", ", approvals.Approvers))})" : "")
        + (approvals.Ignored.Count == 0 ? "" : $"; not counted: {string.Join(", ", approvals.Ignored)}");

    private static string Minutes(int n) => n == 1 ? "1 minute" : $"{n} minutes";

    private static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Short(string? sha) => sha is null ? "none" : sha.Length > 7 ? sha[..7] : sha;
}
