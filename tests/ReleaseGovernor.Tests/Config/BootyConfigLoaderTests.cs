using ReleaseGovernor.Core.Config;
using static ReleaseGovernor.Tests.Config.LoaderAssertions;
using static ReleaseGovernor.Tests.Config.ConfigTestData;

namespace ReleaseGovernor.Tests.Config;

public class BootyConfigLoaderTests
{
    [Fact]
    public void Every_key_is_read_from_yaml()
    {
        const string yaml = """
            release_governor:
              enabled: true
              production_environment_name: prod
              require_approval_for_first_deploy: true
              high_risk_paths:
                - infra/**
                - "!infra/docs/**"
              medium_risk_paths: [package.json]
              migration_paths:
                - db/migrate/
              verification_workflow_name: CI
              deploy_workflow_name: release.yml
              deploy_workflow_ref: stable
              cooldown_minutes: 0
              max_deploys_per_hour: 2
              approval_mode: comment
              approval_label: ship-it
              approval_command: /ship
              allow_self_approval: yes
              stall_minutes: 90
            """;

        var config = Loaded(BootyConfigLoader.Load(yaml));

        Assert.True(config.Enabled);
        Assert.Equal("prod", config.ProductionEnvironmentName);
        Assert.True(config.RequireApprovalForFirstDeploy);
        Assert.Equal(["infra/**", "!infra/docs/**"], config.HighRiskPaths);
        Assert.Equal(["package.json"], config.MediumRiskPaths);
        Assert.Equal(["db/migrate/"], config.MigrationPaths);
        Assert.Equal("CI", config.VerificationWorkflowName);
        Assert.Equal("release.yml", config.DeployWorkflowName);
        Assert.Equal("stable", config.DeployWorkflowRef);
        Assert.Equal(0, config.CooldownMinutes);
        Assert.Equal(2, config.MaxDeploysPerHour);
        Assert.Equal(ApprovalMode.Comment, config.ApprovalMode);
        Assert.Equal("ship-it", config.ApprovalLabel);
        Assert.Equal("/ship", config.ApprovalCommand);
        Assert.True(config.AllowSelfApproval);
        Assert.Equal(90, config.StallMinutes);
    }

    [Fact]
    public void Keys_left_out_keep_their_defaults()
    {
        var config = Loaded(BootyConfigLoader.Load(Block("cooldown_minutes: 5")));

        Assert.Equal(GovernorConfig.Default with { CooldownMinutes = 5 }, config);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("Yes", true)]
    [InlineData("on", true)]
    [InlineData("1", true)]
    [InlineData("\"true\"", true)]
    [InlineData("false", false)]
    [InlineData("No", false)]
    [InlineData("OFF", false)]
    [InlineData("0", false)]
    public void Booleans_accept_the_usual_spellings(string value, bool expected)
    {
        var config = Loaded(BootyConfigLoader.Load(Block($"allow_self_approval: {value}")));

        Assert.Equal(expected, config.AllowSelfApproval);
    }

    [Theory]
    [InlineData("environment", ApprovalMode.Environment)]
    [InlineData("label", ApprovalMode.Label)]
    [InlineData("Comment", ApprovalMode.Comment)]
    public void Approval_mode_accepts_each_mode(string value, ApprovalMode expected) =>
        Assert.Equal(expected, Loaded(BootyConfigLoader.Load(Block($"approval_mode: {value}"))).ApprovalMode);

    [Fact]
    public void An_empty_list_clears_the_default_patterns() =>
        Assert.Empty(Loaded(BootyConfigLoader.Load(Block("medium_risk_paths: []"))).MediumRiskPaths);

    [Fact]
    public void An_empty_deploy_workflow_name_means_none_is_configured() =>
        Assert.Equal("", Loaded(BootyConfigLoader.Load(Block("deploy_workflow_name:"))).DeployWorkflowName);

    [Fact]
    public void Other_top_level_keys_are_ignored()
    {
        const string yaml = """
            test_command: pytest
            verifier:
              anything: [1, 2]
            release_governor:
              cooldown_minutes: 10
            issues: true
            """;

        Assert.Equal(10, Loaded(BootyConfigLoader.Load(yaml)).CooldownMinutes);
    }

    [Fact]
    public void A_block_with_only_comments_among_other_keys_still_loads() =>
        Assert.Equal(GovernorConfig.Default, Loaded(BootyConfigLoader.Load(Block("# defaults please\nenabled: true"))));

    [Fact]
    public void Unknown_keys_in_other_sections_do_not_matter() =>
        Assert.IsType<ConfigLoadResult.Loaded>(BootyConfigLoader.Load("other:\n  cooldown_minute: x\n" + Block("enabled: on")));
}
