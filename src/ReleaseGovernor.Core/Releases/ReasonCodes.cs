namespace ReleaseGovernor.Core.Releases;

/// <summary>The reason codes of the decision rules (design.md §4), as stored and shown.</summary>
public static class ReasonCodes
{
    public const string Disabled = "disabled";
    public const string ConfigInvalid = "config_invalid";
    public const string VerificationFailed = "verification_failed";
    public const string AlreadyDispatched = "already_dispatched";
    public const string NotOnDefaultBranch = "not_on_default_branch";
    public const string DeployNotConfigured = "deploy_not_configured";
    public const string Frozen = "frozen";
    public const string EmergencyStop = "emergency_stop";
    public const string FreezeWindow = "freeze_window";
    public const string NotAheadOfProduction = "not_ahead_of_production";
    public const string FirstDeployRequired = "first_deploy_required";
    public const string DegradedHighRisk = "degraded_high_risk";
    public const string Cooldown = "cooldown";
    public const string RateLimit = "rate_limit";
    public const string DeployInProgress = "deploy_in_progress";
    public const string AllowLow = "allow_low";
    public const string AllowMedium = "allow_medium";
    public const string DegradedMediumHold = "degraded_medium_hold";
    public const string AllowHighApproved = "allow_high_approved";
    public const string HighRiskNoApproval = "high_risk_no_approval";

    /// <summary>The sha was rolled back; held until an operator approves it again.</summary>
    public const string RolledBack = "rolled_back";

    /// <summary>ALLOW of production_sha_previous because production degraded after a deploy (actor system).</summary>
    public const string RollbackUnhealthy = "rollback_unhealthy";

    /// <summary>ALLOW of a rollback an operator asked for (<c>booty governor rollback</c>).</summary>
    public const string RollbackOperator = "rollback_operator";

    /// <summary>A rollback cannot happen: nothing earlier to go back to, or production is itself a rollback target.</summary>
    public const string RollbackUnavailable = "rollback_unavailable";

    // ---- Deployment protection rule answers (trigger_mode: protection_rule) ----

    /// <summary>The protection-rule request waits: the sha's verification has not finished.</summary>
    public const string AwaitingVerification = "awaiting_verification";

    /// <summary>Rejected: a newer protection-rule request of the environment replaced this one.</summary>
    public const string Superseded = "superseded";

    /// <summary>Rejected: the config that judges the sha says <c>trigger_mode: dispatch</c>, so the governor deploys by dispatch only.</summary>
    public const string TriggerModeDispatch = "trigger_mode_dispatch";

    /// <summary>Approved in dispatch mode: the run is the governor's own dispatch of the sha.</summary>
    public const string DispatchedByGovernor = "dispatched_by_governor";
}
