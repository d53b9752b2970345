using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Health;
using ReleaseGovernor.Tests.Config;

namespace ReleaseGovernor.Tests.Health;

public class HealthCheckConfigTests
{
    private static ConfigLoadResult Load(string body) => BootyConfigLoader.Load(ConfigTestData.Block(body));

    private static GovernorConfig Loaded(string body) => Assert.IsType<ConfigLoadResult.Loaded>(Load(body)).Config;

    private static IReadOnlyList<string> Errors(string body) =>
        [.. Assert.IsType<ConfigLoadResult.Invalid>(Load(body)).Errors.Select(e => e.ToString())];

    [Fact]
    public void No_health_check_block_means_no_watch_and_no_rollback()
    {
        var config = Loaded("enabled: true");

        Assert.Null(config.HealthCheck);
        Assert.False(config.RollbackOnUnhealthy);
        Assert.DoesNotContain("health_check", config.ToCanonicalString());
    }

    [Fact]
    public void The_block_reads_every_key_and_keeps_the_defaults_of_the_others()
    {
        var config = Loaded("health_check:\n  url: https://app.example.com/healthz\n  workflow_name: Verify production\n  probes: 5\n  failures_to_degrade: 3\nrollback_on_unhealthy: true");

        Assert.Equal(new HealthCheckConfig
        {
            Url = "https://app.example.com/healthz", WorkflowName = "Verify production", Probes = 5, FailuresToDegrade = 3,
        }, config.HealthCheck);
        Assert.Equal((30, 10, 5), (config.HealthCheck!.IntervalSeconds, config.HealthCheck.TimeoutSeconds, config.HealthCheck.RecheckMinutes));
        Assert.True(config.RollbackOnUnhealthy);
        Assert.Contains("health_check=\"url=https://app.example.com/healthz,workflow_name=Verify production,probes=5,", config.ToCanonicalString());
        Assert.NotEqual(GovernorConfig.Default.Fingerprint(), config.Fingerprint());
    }

    [Fact]
    public void Each_bad_value_is_an_error_naming_the_key_and_line()
    {
        var errors = Errors("health_check:\n  url: ftp://files.example.com/x\n  probes: 0\n  interval_seconds: soon\n  timout_seconds: 3");

        Assert.Equal(
        [
            ".booty.yml:3: release_governor.health_check.url: must be an absolute http(s) URL without user info, e.g. https://app.example.com/healthz, got \"ftp://files.example.com/x\"",
            ".booty.yml:4: release_governor.health_check.probes: must be an integer from 1 to 100, got \"0\"",
            ".booty.yml:5: release_governor.health_check.interval_seconds: must be an integer from 1 to 3600, got \"soon\"",
            ".booty.yml:6: release_governor.health_check.timout_seconds: unknown key (did you mean timeout_seconds?)",
        ], errors);
    }

    [Fact]
    public void A_block_without_url_or_workflow_name_says_what_it_needs()
    {
        var error = Assert.Single(Errors("health_check:\n  probes: 3"));

        Assert.Contains("release_governor.health_check: needs url (GET; 2xx within timeout_seconds is healthy) or workflow_name", error);
    }

    [Fact]
    public void Keys_of_the_block_are_not_top_level_keys_and_the_block_is_a_mapping()
    {
        Assert.Contains("release_governor.health_check_url: unknown key", Assert.Single(Errors("health_check_url: https://x.example.com")));
        Assert.Contains("release_governor.health_check: must be a mapping with url and/or workflow_name", Assert.Single(Errors("health_check: https://x.example.com")));
    }

    [Fact]
    public void Each_key_of_the_block_has_its_own_override_checked_like_the_file()
    {
        var env = new Dictionary<string, string?>
        {
            ["RELEASE_GOVERNOR_HEALTH_CHECK_URL"] = "https://status.example.com/ok",
            ["RELEASE_GOVERNOR_HEALTH_CHECK_RECHECK_MINUTES"] = "2",
        };
        var result = EnvironmentOverrides.Apply(GovernorConfig.Default, env);

        Assert.Empty(result.Errors);
        Assert.Equal(("https://status.example.com/ok", 2, 3), (result.Config.HealthCheck!.Url, result.Config.HealthCheck.RecheckMinutes, result.Config.HealthCheck.Probes));

        var bad = Assert.Single(EnvironmentOverrides.Validate(new Dictionary<string, string?> { ["RELEASE_GOVERNOR_HEALTH_CHECK_TIMEOUT_SECONDS"] = "600" }));
        Assert.Equal("RELEASE_GOVERNOR_HEALTH_CHECK_TIMEOUT_SECONDS", bad.Key);
        Assert.Contains("must be an integer from 1 to 60, got \"600\"", bad.Message);
        var typo = Assert.Single(EnvironmentOverrides.Validate(new Dictionary<string, string?> { ["RELEASE_GOVERNOR_HEALTH_CHECK_UR"] = "https://x.example.com" }));
        Assert.Equal("unknown variable (did you mean RELEASE_GOVERNOR_HEALTH_CHECK_URL?)", typo.Message);
        var block = Assert.Single(EnvironmentOverrides.Validate(new Dictionary<string, string?> { ["RELEASE_GOVERNOR_HEALTH_CHECK"] = "x" }));
        Assert.Contains("RELEASE_GOVERNOR_HEALTH_CHECK_URL", block.Message);
    }
}
