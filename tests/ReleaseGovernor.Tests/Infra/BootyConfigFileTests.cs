using ReleaseGovernor.Core.Config;

namespace ReleaseGovernor.Tests.Infra;

/// <summary>This repository's own <c>.booty.yml</c> loads with the loader the server uses, and says what its workflows need.</summary>
public sealed class BootyConfigFileTests
{
    private static GovernorConfig Load()
    {
        var result = BootyConfigLoader.Load(RepositoryFiles.ReadText(BootyConfigLoader.DefaultFileName));
        return Assert.IsType<ConfigLoadResult.Loaded>(result).Config;
    }

    [Fact]
    public void The_root_booty_yml_loads_enabled()
    {
        var config = Load();

        Assert.True(config.Enabled);
        Assert.Equal("production", config.ProductionEnvironmentName);
    }

    [Fact]
    public void It_names_the_verification_and_deploy_workflows_of_this_repository()
    {
        var config = Load();

        Assert.Equal("Verify main", config.VerificationWorkflowName);
        Assert.Equal("deploy.yml", config.DeployWorkflowName);
        Assert.Equal("main", config.DeployWorkflowRef);
        Assert.True(File.Exists(RepositoryFiles.PathOf($".github/workflows/{config.DeployWorkflowName}")),
            $"deploy_workflow_name is {config.DeployWorkflowName}, but .github/workflows/{config.DeployWorkflowName} is missing");
    }

    [Fact]
    public void Infrastructure_changes_are_high_risk_and_need_a_label_approval()
    {
        var config = Load();

        Assert.Contains("infra/**", config.HighRiskPaths);
        Assert.Contains(".github/workflows/**", config.HighRiskPaths);
        Assert.Equal(ApprovalMode.Label, config.ApprovalMode);
        Assert.Equal("release:approved", config.ApprovalLabel);
    }
}
