using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Risk;

namespace ReleaseGovernor.Tests.Config;

public class StricterConfigTests
{
    [Fact]
    public void Risk_patterns_are_united_and_approvals_follow_production()
    {
        var production = GovernorConfig.Default with { ApprovalMode = ApprovalMode.Label, ApprovalLabel = "ship", MigrationPaths = ["db/**"] };
        var change = production with
        {
            HighRiskPaths = [], MigrationPaths = [], MediumRiskPaths = ["x.txt"], ApprovalMode = ApprovalMode.Comment, ApprovalLabel = "any",
            AllowSelfApproval = true, CooldownMinutes = 0, MaxDeploysPerHour = 100, DeployWorkflowName = "other.yml",
        };

        var judging = StricterConfig.Of(production, change);

        Assert.Equal(production.HighRiskPaths, judging.HighRiskPaths);
        Assert.Equal(["db/**"], judging.MigrationPaths);
        Assert.Equal([.. production.MediumRiskPaths, "x.txt"], judging.MediumRiskPaths);
        Assert.Equal(ApprovalMode.Label, judging.ApprovalMode);
        Assert.Equal("ship", judging.ApprovalLabel);
        Assert.False(judging.AllowSelfApproval);
        Assert.Equal(production.CooldownMinutes, judging.CooldownMinutes);
        Assert.Equal(production.MaxDeploysPerHour, judging.MaxDeploysPerHour);
        Assert.Equal("other.yml", judging.DeployWorkflowName);
    }

    [Fact]
    public void A_change_can_tighten_its_rules()
    {
        var production = GovernorConfig.Default;
        var change = production with { HighRiskPaths = ["src/**"], RequireApprovalForFirstDeploy = true, CooldownMinutes = 90, MaxDeploysPerHour = 1 };

        var judging = StricterConfig.Of(production, change);

        Assert.Contains("src/**", judging.HighRiskPaths);
        Assert.True(judging.RequireApprovalForFirstDeploy);
        Assert.Equal(90, judging.CooldownMinutes);
        Assert.Equal(1, judging.MaxDeploysPerHour);
    }

    [Fact]
    public void A_changed_release_governor_block_makes_a_low_diff_high_with_each_key_as_evidence()
    {
        var risk = PolicyChangeRisk.Escalate(new RiskAssessment(RiskClass.Low, [], false), ["high_risk_paths", "approval_mode"]);

        Assert.Equal(RiskClass.High, risk.Class);
        Assert.Equal(["release_governor.high_risk_paths", "release_governor.approval_mode"], risk.Evidence.Select(e => e.Pattern));
        Assert.All(risk.Evidence, e => Assert.Equal(".booty.yml", e.Path));
    }

    [Fact]
    public void An_unchanged_block_leaves_the_risk_alone()
    {
        var medium = new RiskAssessment(RiskClass.Medium, [new RiskEvidence("package.json", "package.json", RiskClass.Medium)], false);

        Assert.Same(medium, PolicyChangeRisk.Escalate(medium, []));
    }
}
