namespace ReleaseGovernor.Tests.Config;

internal static class ConfigTestData
{
    public static readonly string[] AllKeys =
    [
        "enabled", "production_environment_name", "require_approval_for_first_deploy", "high_risk_paths",
        "medium_risk_paths", "migration_paths", "verification_workflow_name", "deploy_workflow_name",
        "deploy_workflow_ref", "cooldown_minutes", "max_deploys_per_hour", "approval_mode", "approval_label",
        "approval_command", "allow_self_approval", "stall_minutes",
    ];

    /// <summary>A .booty.yml whose line 1 is <c>release_governor:</c> and whose line 2 is the first line of <paramref name="body"/>.</summary>
    public static string Block(string body) =>
        "release_governor:\n" + string.Join("\n", body.Split('\n').Select(line => "  " + line)) + "\n";
}
