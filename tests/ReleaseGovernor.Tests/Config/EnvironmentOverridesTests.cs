using System.Collections;
using ReleaseGovernor.Core.Config;

namespace ReleaseGovernor.Tests.Config;

public class EnvironmentOverridesTests
{
    [Theory]
    [InlineData("RELEASE_GOVERNOR_ENABLED", "false", "enabled=false")]
    [InlineData("RELEASE_GOVERNOR_PRODUCTION_ENVIRONMENT_NAME", "prod", "production_environment_name=\"prod\"")]
    [InlineData("RELEASE_GOVERNOR_REQUIRE_APPROVAL_FOR_FIRST_DEPLOY", "yes", "require_approval_for_first_deploy=true")]
    [InlineData("RELEASE_GOVERNOR_HIGH_RISK_PATHS", "infra/**", "high_risk_paths=[\"infra/**\"]")]
    [InlineData("RELEASE_GOVERNOR_MEDIUM_RISK_PATHS", "package.json,go.mod", "medium_risk_paths=[\"package.json\",\"go.mod\"]")]
    [InlineData("RELEASE_GOVERNOR_MIGRATION_PATHS", "db/", "migration_paths=[\"db/\"]")]
    [InlineData("RELEASE_GOVERNOR_VERIFICATION_WORKFLOW_NAME", "CI", "verification_workflow_name=\"CI\"")]
    [InlineData("RELEASE_GOVERNOR_DEPLOY_WORKFLOW_NAME", "release.yml", "deploy_workflow_name=\"release.yml\"")]
    [InlineData("RELEASE_GOVERNOR_DEPLOY_WORKFLOW_REF", "stable", "deploy_workflow_ref=\"stable\"")]
    [InlineData("RELEASE_GOVERNOR_COOLDOWN_MINUTES", "0", "cooldown_minutes=0")]
    [InlineData("RELEASE_GOVERNOR_MAX_DEPLOYS_PER_HOUR", "12", "max_deploys_per_hour=12")]
    [InlineData("RELEASE_GOVERNOR_APPROVAL_MODE", "LABEL", "approval_mode=label")]
    [InlineData("RELEASE_GOVERNOR_APPROVAL_LABEL", "ship-it", "approval_label=\"ship-it\"")]
    [InlineData("RELEASE_GOVERNOR_APPROVAL_COMMAND", "/ship", "approval_command=\"/ship\"")]
    [InlineData("RELEASE_GOVERNOR_ALLOW_SELF_APPROVAL", "on", "allow_self_approval=true")]
    [InlineData("RELEASE_GOVERNOR_STALL_MINUTES", "15", "stall_minutes=15")]
    [InlineData("RELEASE_GOVERNOR_APPROVERS", "lead, acme/release-managers", "approvers=[\"lead\",\"acme/release-managers\"]")]
    [InlineData("RELEASE_GOVERNOR_REQUIRED_APPROVALS", "2", "required_approvals=2")]
    [InlineData("RELEASE_GOVERNOR_VERIFICATION_EVENTS", "push, workflow_dispatch", "verification_events=[\"push\",\"workflow_dispatch\"]")]
    [InlineData("RELEASE_GOVERNOR_ROLLBACK_ON_UNHEALTHY", "true", "rollback_on_unhealthy=true")]
    public void Each_key_has_an_override(string variable, string value, string canonicalLine)
    {
        var result = EnvironmentOverrides.Apply(GovernorConfig.Default, Env((variable, value)));

        Assert.Empty(result.Errors);
        Assert.Contains(canonicalLine + "\n", result.Config.ToCanonicalString());
        Assert.DoesNotContain(canonicalLine + "\n", GovernorConfig.Default.ToCanonicalString());
    }

    [Fact]
    public void There_is_an_override_for_every_key() =>
        Assert.Equal(
            ConfigTestData.AllKeys.Except(ConfigTestData.FileOnlyKeys).Count(),
            typeof(EnvironmentOverridesTests).GetMethod(nameof(Each_key_has_an_override))!
                .GetCustomAttributes(typeof(InlineDataAttribute), false).Length);

    [Fact]
    public void A_list_override_is_split_on_commas_trimmed_and_stripped_of_empty_entries()
    {
        var result = EnvironmentOverrides.Apply(
            GovernorConfig.Default, Env(("RELEASE_GOVERNOR_MEDIUM_RISK_PATHS", " package.json , ,*.csproj,, ")));

        Assert.Equal(["package.json", "*.csproj"], result.Config.MediumRiskPaths);
    }

    [Fact]
    public void An_empty_list_override_clears_the_list() =>
        Assert.Empty(EnvironmentOverrides.Apply(GovernorConfig.Default, Env(("RELEASE_GOVERNOR_HIGH_RISK_PATHS", ""))).Config.HighRiskPaths);

    [Fact]
    public void Overrides_apply_on_top_of_the_given_config()
    {
        var fromFile = GovernorConfig.Default with { CooldownMinutes = 5, StallMinutes = 10 };

        var result = EnvironmentOverrides.Apply(fromFile, Env(("RELEASE_GOVERNOR_STALL_MINUTES", "20")));

        Assert.Equal(fromFile with { StallMinutes = 20 }, result.Config);
    }

    [Theory]
    [InlineData("RELEASE_GOVERNOR_COOLDOWN_MINUTES", "soon", "must be an integer >= 0, got \"soon\"")]
    [InlineData("RELEASE_GOVERNOR_COOLDOWN_MINUTES", "", "must be an integer >= 0, got \"\"")]
    [InlineData("RELEASE_GOVERNOR_MAX_DEPLOYS_PER_HOUR", "0", "must be an integer >= 1, got \"0\"")]
    [InlineData("RELEASE_GOVERNOR_STALL_MINUTES", "-5", "must be an integer >= 1, got \"-5\"")]
    [InlineData("RELEASE_GOVERNOR_ENABLED", "enabled", "must be a boolean (true/false, yes/no, on/off, 1/0), got \"enabled\"")]
    [InlineData("RELEASE_GOVERNOR_APPROVAL_MODE", "vote", "must be one of environment, label, comment, got \"vote\"")]
    [InlineData("RELEASE_GOVERNOR_DEPLOY_WORKFLOW_REF", " ", "must be a non-empty string, got \" \"")]
    public void A_bad_value_is_an_error_naming_the_variable_and_what_is_accepted(string variable, string value, string message)
    {
        var result = EnvironmentOverrides.Apply(GovernorConfig.Default, Env((variable, value)));

        var error = Assert.Single(result.Errors);
        Assert.Equal(new ConfigError("environment", variable, null, message), error);
        Assert.Equal($"environment: {variable}: {message}", error.ToString());
        Assert.False(result.IsValid);
        Assert.Same(GovernorConfig.Default, result.Config);
    }

    [Fact]
    public void An_unknown_variable_is_an_error_with_a_suggestion()
    {
        var error = Assert.Single(EnvironmentOverrides.Apply(GovernorConfig.Default, Env(("RELEASE_GOVERNOR_COOLDOWN", "5"))).Errors);

        Assert.Equal("RELEASE_GOVERNOR_COOLDOWN", error.Key);
        Assert.Equal("unknown variable (did you mean RELEASE_GOVERNOR_COOLDOWN_MINUTES?)", error.Message);
    }

    [Fact]
    public void An_unknown_variable_far_from_any_setting_lists_the_known_ones()
    {
        var error = Assert.Single(EnvironmentOverrides.Validate(Env(("RELEASE_GOVERNOR_COLOR", "red"))));

        Assert.StartsWith("unknown variable; known variables: RELEASE_GOVERNOR_ENABLED, ", error.Message);
        Assert.EndsWith(", RELEASE_GOVERNOR_APPROVED", error.Message);
    }

    [Fact]
    public void A_variable_in_the_wrong_case_is_unknown() =>
        Assert.Contains(
            "did you mean RELEASE_GOVERNOR_COOLDOWN_MINUTES?",
            Assert.Single(EnvironmentOverrides.Validate(Env(("RELEASE_GOVERNOR_cooldown_minutes", "5")))).Message);

    [Fact]
    public void Every_bad_variable_is_reported()
    {
        var errors = EnvironmentOverrides.Validate(
            Env(("RELEASE_GOVERNOR_STALL_MINUTES", "x"), ("RELEASE_GOVERNOR_APPROVAL_MODE", "x"), ("RELEASE_GOVERNOR_X", "1")));

        Assert.Equal(
            ["RELEASE_GOVERNOR_APPROVAL_MODE", "RELEASE_GOVERNOR_STALL_MINUTES", "RELEASE_GOVERNOR_X"],
            errors.Select(e => e.Key));
    }

    [Fact]
    public void The_approval_signal_other_variables_and_unset_ones_are_not_overrides()
    {
        var result = EnvironmentOverrides.Apply(
            GovernorConfig.Default,
            Env(("RELEASE_GOVERNOR_APPROVED", "1"), ("PATH", "/usr/bin"), ("RELEASEGOVERNOR_TEST_DB", "x"), ("RELEASE_GOVERNOR_COOLDOWN_MINUTES", null)));

        Assert.Empty(result.Errors);
        Assert.Equal(GovernorConfig.Default, result.Config);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("yes", true)]
    [InlineData(" Yes ", true)]
    [InlineData("0", false)]
    [InlineData("no", false)]
    [InlineData("on", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void The_environment_approves_on_1_true_or_yes(string? value, bool approved) =>
        Assert.Equal(approved, EnvironmentOverrides.IsEnvironmentApproved(Env(("RELEASE_GOVERNOR_APPROVED", value))));

    [Fact]
    public void Without_the_variable_nothing_is_approved() =>
        Assert.False(EnvironmentOverrides.IsEnvironmentApproved(Env()));

    [Fact]
    public void A_snapshot_copies_a_process_style_variable_table()
    {
        var table = new Hashtable { ["RELEASE_GOVERNOR_COOLDOWN_MINUTES"] = "7", ["EMPTY"] = null };

        var snapshot = EnvironmentOverrides.Snapshot(table);

        Assert.Equal("7", snapshot["RELEASE_GOVERNOR_COOLDOWN_MINUTES"]);
        Assert.Null(snapshot["EMPTY"]);
    }

    private static Dictionary<string, string?> Env(params (string Name, string? Value)[] variables) =>
        variables.ToDictionary(v => v.Name, v => v.Value);
}
