using ReleaseGovernor.Core.Config;
using static ReleaseGovernor.Tests.Config.ConfigTestData;
using static ReleaseGovernor.Tests.Config.LoaderAssertions;

namespace ReleaseGovernor.Tests.Config;

public class InvalidConfigTests
{
    [Fact]
    public void An_error_reads_file_line_key_and_problem()
    {
        var yaml = Block("enabled: true\n# waiting\n\n\n\ncooldown_minutes: soon");

        var error = SingleError(BootyConfigLoader.Load(yaml));

        Assert.Equal(
            ".booty.yml:7: release_governor.cooldown_minutes: must be an integer >= 0, got \"soon\"",
            error.ToString());
    }

    [Fact]
    public void An_unknown_key_is_named_with_its_line_and_the_closest_known_key()
    {
        var error = SingleError(BootyConfigLoader.Load(Block("enabled: true\ncooldown_minute: 5")));

        Assert.Equal(".booty.yml", error.File);
        Assert.Equal("release_governor.cooldown_minute", error.Key);
        Assert.Equal(3, error.Line);
        Assert.Equal("unknown key (did you mean cooldown_minutes?)", error.Message);
    }

    [Theory]
    [InlineData("approvalMode", "approval_mode")]
    [InlineData("Stall_Minutes", "stall_minutes")]
    [InlineData("max_deploy_per_hour", "max_deploys_per_hour")]
    [InlineData("alow_self_aproval", "allow_self_approval")]
    [InlineData("verification_workflow", "verification_workflow_name")]
    [InlineData("verification_event", "verification_events")]
    public void Near_misses_get_a_suggestion(string key, string suggestion) =>
        Assert.Contains($"(did you mean {suggestion}?)", SingleError(BootyConfigLoader.Load(Block($"{key}: 1"))).Message);

    [Theory]
    [InlineData("color")]
    [InlineData("deploy")]
    public void Keys_far_from_any_known_key_get_no_suggestion(string key)
    {
        var error = SingleError(BootyConfigLoader.Load(Block($"{key}: 1")));

        Assert.DoesNotContain("did you mean", error.Message);
        Assert.Contains("known keys: enabled, production_environment_name", error.Message);
    }

    [Theory]
    [InlineData("enabled: maybe", "enabled", "must be a boolean (true/false, yes/no, on/off, 1/0), got \"maybe\"")]
    [InlineData("enabled: [true]", "enabled", "must be a boolean (true/false, yes/no, on/off, 1/0), got a list")]
    [InlineData("require_approval_for_first_deploy: 2", "require_approval_for_first_deploy", "must be a boolean (true/false, yes/no, on/off, 1/0), got \"2\"")]
    [InlineData("allow_self_approval:", "allow_self_approval", "must be a boolean (true/false, yes/no, on/off, 1/0), got null")]
    [InlineData("cooldown_minutes: -1", "cooldown_minutes", "must be an integer >= 0, got \"-1\"")]
    [InlineData("cooldown_minutes: 1.5", "cooldown_minutes", "must be an integer >= 0, got \"1.5\"")]
    [InlineData("cooldown_minutes: 99999999999", "cooldown_minutes", "must be an integer >= 0, got \"99999999999\"")]
    [InlineData("cooldown_minutes: 525601", "cooldown_minutes", "must be an integer from 0 to 525600, got \"525601\"")]
    [InlineData("max_deploys_per_hour: 0", "max_deploys_per_hour", "must be an integer >= 1, got \"0\"")]
    [InlineData("max_deploys_per_hour: {n: 1}", "max_deploys_per_hour", "must be an integer >= 1, got a mapping")]
    [InlineData("stall_minutes: 0", "stall_minutes", "must be an integer >= 1, got \"0\"")]
    [InlineData("stall_minutes: ~", "stall_minutes", "must be an integer >= 1, got null")]
    [InlineData("approval_mode: vote", "approval_mode", "must be one of environment, label, comment, got \"vote\"")]
    [InlineData("approval_mode: [label]", "approval_mode", "must be one of environment, label, comment, got a list")]
    [InlineData("production_environment_name: \"\"", "production_environment_name", "must be a non-empty string, got \"\"")]
    [InlineData("verification_workflow_name: [CI]", "verification_workflow_name", "must be a non-empty string, got a list")]
    [InlineData("deploy_workflow_name: [deploy.yml]", "deploy_workflow_name", "must be a string (empty for none), got a list")]
    [InlineData("deploy_workflow_ref:", "deploy_workflow_ref", "must be a non-empty string, got null")]
    [InlineData("approval_label: {}", "approval_label", "must be a non-empty string, got a mapping")]
    [InlineData("approval_command: ''", "approval_command", "must be a non-empty string, got \"\"")]
    [InlineData("high_risk_paths: infra/**", "high_risk_paths", "must be a list of path patterns, got \"infra/**\"")]
    [InlineData("medium_risk_paths:", "medium_risk_paths", "must be a list of path patterns, got null")]
    [InlineData("migration_paths: {db: yes}", "migration_paths", "must be a list of path patterns, got a mapping")]
    [InlineData("production_environment_name: prod/eu", "production_environment_name",
        "must be an environment name without '/' (it names the release stream release/owner/name/<environment>), got \"prod/eu\"")]
    [InlineData("verification_events: push", "verification_events",
        "must be a list of workflow run events (push, workflow_dispatch), got \"push\"")]
    [InlineData("required_approvals: 0", "required_approvals", "must be an integer >= 1, got \"0\"")]
    [InlineData("approvers: lead", "approvers", "must be a list of GitHub users (login) and teams (org/team-slug), got \"lead\"")]
    public void A_bad_value_names_the_key_its_line_and_what_is_accepted(string line, string key, string message)
    {
        var error = SingleError(BootyConfigLoader.Load(Block($"# line 2\n{line}")));

        Assert.Equal($"release_governor.{key}", error.Key);
        Assert.Equal(3, error.Line);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Bad_list_items_are_named_by_index_and_line()
    {
        var errors = Errors(BootyConfigLoader.Load(Block("high_risk_paths:\n  - infra/**\n  -\n  - [a]")));

        Assert.Equal(
            [
                new ConfigError(".booty.yml", "release_governor.high_risk_paths[1]", 4, "must be a non-empty path pattern, got null"),
                new ConfigError(".booty.yml", "release_governor.high_risk_paths[2]", 5, "must be a non-empty path pattern, got a list"),
            ],
            errors);
    }

    [Theory]
    [InlineData("pull_request", "must not be 'pull_request': a pull request's run tests code that is not on the default branch (allowed: push, workflow_dispatch), got \"pull_request\"")]
    [InlineData("pull_request_target", "must not be 'pull_request_target': a pull request's run tests code that is not on the default branch (allowed: push, workflow_dispatch), got \"pull_request_target\"")]
    [InlineData("schedule", "must be one of push, workflow_dispatch, got \"schedule\"")]
    public void A_verification_event_for_pull_requests_or_unknown_is_refused_by_index(string name, string message)
    {
        var error = SingleError(BootyConfigLoader.Load(Block($"verification_events:\n  - push\n  - {name}")));

        Assert.Equal("release_governor.verification_events[1]", error.Key);
        Assert.Equal(4, error.Line);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void An_environment_name_with_an_invisible_character_is_refused()
    {
        var error = SingleError(BootyConfigLoader.Load(Block("production_environment_name: \"production\u200b\"")));

        Assert.Equal("release_governor.production_environment_name", error.Key);
        Assert.StartsWith("must be an environment name without control or invisible formatting characters", error.Message);
    }

    [Fact]
    public void An_environment_override_of_verification_events_is_checked_too()
    {
        var result = EnvironmentOverrides.Apply(GovernorConfig.Default,
            new Dictionary<string, string?> { ["RELEASE_GOVERNOR_VERIFICATION_EVENTS"] = "push,pull_request" });

        Assert.Contains("RELEASE_GOVERNOR_VERIFICATION_EVENTS", Assert.Single(result.Errors).ToString());
        Assert.Contains("must not be 'pull_request'", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Every_error_in_the_block_is_reported()
    {
        var errors = Errors(BootyConfigLoader.Load(Block("cooldown_minutes: soon\ncolor: red\napproval_mode: vote")));

        Assert.Equal(
            ["release_governor.cooldown_minutes", "release_governor.color", "release_governor.approval_mode"],
            errors.Select(e => e.Key));
        Assert.Equal([2, 3, 4], errors.Select(e => e.Line));
    }

    [Theory]
    [InlineData("release_governor: true\n", "release_governor", "must be a mapping of settings, got \"true\"")]
    [InlineData("release_governor:\n  - enabled\n", "release_governor", "must be a mapping of settings, got a list")]
    [InlineData("- release_governor\n", "", "the top level must be a mapping of keys, got a list")]
    public void A_block_or_file_of_the_wrong_shape_is_invalid(string yaml, string key, string message)
    {
        var error = SingleError(BootyConfigLoader.Load(yaml));

        Assert.Equal(key, error.Key);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_key_that_is_not_a_name_is_invalid()
    {
        var error = SingleError(BootyConfigLoader.Load(Block("[a, b]: 1")));

        Assert.Equal("release_governor", error.Key);
        Assert.Equal("keys must be names, got a list", error.Message);
    }
}
