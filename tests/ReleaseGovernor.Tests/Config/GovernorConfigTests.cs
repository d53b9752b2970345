using ReleaseGovernor.Core.Config;

namespace ReleaseGovernor.Tests.Config;

public class GovernorConfigTests
{
    [Fact]
    public void Defaults_are_those_of_the_design()
    {
        var config = GovernorConfig.Default;

        Assert.True(config.Enabled);
        Assert.Equal("production", config.ProductionEnvironmentName);
        Assert.False(config.RequireApprovalForFirstDeploy);
        Assert.Equal([".github/workflows/**", "**/migrations/**"], config.HighRiskPaths);
        Assert.Equal(
            ["package.json", "requirements*.txt", "pyproject.toml", "Cargo.toml", "go.mod", "go.sum", "*.csproj", "Directory.Packages.props"],
            config.MediumRiskPaths);
        Assert.Empty(config.MigrationPaths);
        Assert.Equal("Verify main", config.VerificationWorkflowName);
        Assert.Equal("deploy.yml", config.DeployWorkflowName);
        Assert.Equal("main", config.DeployWorkflowRef);
        Assert.Equal(30, config.CooldownMinutes);
        Assert.Equal(6, config.MaxDeploysPerHour);
        Assert.Equal(ApprovalMode.Environment, config.ApprovalMode);
        Assert.Equal("release:approved", config.ApprovalLabel);
        Assert.Equal("/approve-release", config.ApprovalCommand);
        Assert.False(config.AllowSelfApproval);
        Assert.Equal(60, config.StallMinutes);
    }

    [Fact]
    public void A_new_config_equals_the_default() => Assert.Equal(GovernorConfig.Default, new GovernorConfig());

    [Fact]
    public void Configs_with_equal_lists_are_equal_and_share_a_fingerprint()
    {
        var a = GovernorConfig.Default with { MigrationPaths = ["db/**"] };
        var b = GovernorConfig.Default with { MigrationPaths = new List<string> { "db/**" } };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(a.Fingerprint(), b.Fingerprint());
    }

    [Fact]
    public void The_default_fingerprint_is_stable() =>
        Assert.Equal(DefaultFingerprint, GovernorConfig.Default.Fingerprint());

    [Fact]
    public void The_fingerprint_is_sixteen_lowercase_hex_digits() =>
        Assert.Matches("^[0-9a-f]{16}$", GovernorConfig.Default.Fingerprint());

    [Fact]
    public void Changing_any_key_changes_the_fingerprint()
    {
        GovernorConfig[] changed =
        [
            GovernorConfig.Default with { Enabled = false },
            GovernorConfig.Default with { ProductionEnvironmentName = "prod" },
            GovernorConfig.Default with { RequireApprovalForFirstDeploy = true },
            GovernorConfig.Default with { HighRiskPaths = [".github/workflows/**"] },
            GovernorConfig.Default with { MediumRiskPaths = [] },
            GovernorConfig.Default with { MigrationPaths = ["db/"] },
            GovernorConfig.Default with { VerificationWorkflowName = "CI" },
            GovernorConfig.Default with { DeployWorkflowName = "release.yml" },
            GovernorConfig.Default with { DeployWorkflowRef = "stable" },
            GovernorConfig.Default with { CooldownMinutes = 0 },
            GovernorConfig.Default with { MaxDeploysPerHour = 1 },
            GovernorConfig.Default with { ApprovalMode = ApprovalMode.Label },
            GovernorConfig.Default with { ApprovalLabel = "ship-it" },
            GovernorConfig.Default with { ApprovalCommand = "/ship" },
            GovernorConfig.Default with { AllowSelfApproval = true },
            GovernorConfig.Default with { StallMinutes = 90 },
            GovernorConfig.Default with { VerificationEvents = ["push", "workflow_dispatch"] },
            GovernorConfig.Default with { Approvers = ["lead"] },
            GovernorConfig.Default with { RequiredApprovals = 2 },
        ];

        var fingerprints = changed.Select(c => c.Fingerprint()).Append(GovernorConfig.Default.Fingerprint());

        Assert.Equal(changed.Length + 1, fingerprints.Distinct().Count());
    }

    [Fact]
    public void List_boundaries_are_part_of_the_canonical_form()
    {
        var one = GovernorConfig.Default with { MigrationPaths = ["a,b"] };
        var two = GovernorConfig.Default with { MigrationPaths = ["a", "b"] };

        Assert.NotEqual(one.Fingerprint(), two.Fingerprint());
    }

    [Fact]
    public void The_canonical_form_lists_every_key_once()
    {
        var names = GovernorConfig.Default.ToCanonicalString()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line[..line.IndexOf('=')]);

        Assert.Equal(ConfigTestData.FirstReleaseKeys, names);
    }

    [Fact]
    public void A_key_added_later_is_in_the_canonical_form_only_when_set_so_old_fingerprints_stay()
    {
        var set = GovernorConfig.Default with { VerificationEvents = ["push", "workflow_dispatch"] };

        Assert.Contains("verification_events=[\"push\",\"workflow_dispatch\"]\n", set.ToCanonicalString());
        Assert.DoesNotContain("verification_events", GovernorConfig.Default.ToCanonicalString());
        Assert.Equal(DefaultFingerprint, (GovernorConfig.Default with { VerificationEvents = ["push"] }).Fingerprint());
    }

    [Fact]
    public void Changed_keys_name_every_key_that_differs()
    {
        var production = GovernorConfig.Default;
        var change = production with { HighRiskPaths = [], ApprovalLabel = "ok" };

        Assert.Equal(["high_risk_paths", "approval_label"], change.ChangedKeys(production));
        Assert.Empty(production.ChangedKeys(GovernorConfig.Default));
    }

    private const string DefaultFingerprint = "f16ac68615574021";
}
