namespace ReleaseGovernor.Tests.Config;

internal static class ConfigTestData
{
    /// <summary>The keys of the first release: the canonical form always lists these.</summary>
    public static readonly string[] FirstReleaseKeys =
    [
        "enabled", "production_environment_name", "require_approval_for_first_deploy", "high_risk_paths",
        "medium_risk_paths", "migration_paths", "verification_workflow_name", "deploy_workflow_name",
        "deploy_workflow_ref", "cooldown_minutes", "max_deploys_per_hour", "approval_mode", "approval_label",
        "approval_command", "allow_self_approval", "stall_minutes",
    ];

    /// <summary>Keys added later: listed in the canonical form only when set away from their default.</summary>
    public static readonly string[] AddedKeys =
        ["verification_events", "approvers", "required_approvals", "freeze_windows", "health_check", "rollback_on_unhealthy"];

    public static readonly string[] AllKeys = [.. FirstReleaseKeys, .. AddedKeys];

    /// <summary>Keys only .booty.yml can set (their values are mappings): no server variable overrides them.</summary>
    public static readonly string[] FileOnlyKeys = ["freeze_windows", "health_check"];

    /// <summary>A .booty.yml whose line 1 is <c>release_governor:</c> and whose line 2 is the first line of <paramref name="body"/>.</summary>
    public static string Block(string body) =>
        "release_governor:\n" + string.Join("\n", body.Split('\n').Select(line => "  " + line)) + "\n";
}
