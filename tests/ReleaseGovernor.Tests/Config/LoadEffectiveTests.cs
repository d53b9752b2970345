using ReleaseGovernor.Core.Config;
using static ReleaseGovernor.Tests.Config.ConfigTestData;
using static ReleaseGovernor.Tests.Config.LoaderAssertions;

namespace ReleaseGovernor.Tests.Config;

public class LoadEffectiveTests
{
    [Fact]
    public void Overrides_win_over_the_file()
    {
        var config = Loaded(BootyConfigLoader.LoadEffective(
            Block("cooldown_minutes: 5\nstall_minutes: 10"), Env(("RELEASE_GOVERNOR_COOLDOWN_MINUTES", "45"))));

        Assert.Equal(GovernorConfig.Default with { CooldownMinutes = 45, StallMinutes = 10 }, config);
    }

    [Fact]
    public void Without_overrides_it_is_the_file() =>
        Assert.Equal(BootyConfigLoader.Load(Block("stall_minutes: 10")), BootyConfigLoader.LoadEffective(Block("stall_minutes: 10"), Env()));

    [Fact]
    public void The_environment_can_enable_a_block_that_says_enabled_false()
    {
        var config = Loaded(BootyConfigLoader.LoadEffective(
            Block("enabled: false\ncooldown_minutes: 5"), Env(("RELEASE_GOVERNOR_ENABLED", "true"))));

        Assert.Equal(GovernorConfig.Default with { CooldownMinutes = 5 }, config);
    }

    [Fact]
    public void The_environment_can_disable_a_repository()
    {
        var disabled = Disabled(BootyConfigLoader.LoadEffective(Block("cooldown_minutes: 5"), Env(("RELEASE_GOVERNOR_ENABLED", "0"))));

        Assert.Equal("disabled: RELEASE_GOVERNOR_ENABLED is false", disabled.Reason);
        Assert.True(disabled.Explicit);
        Assert.Equal(5, disabled.Config!.CooldownMinutes);
    }

    [Fact]
    public void The_environment_can_disable_a_repository_whose_file_is_invalid() =>
        Assert.True(Disabled(BootyConfigLoader.LoadEffective(Block("colour: red"), Env(("RELEASE_GOVERNOR_ENABLED", "no")))).Explicit);

    [Fact]
    public void A_repository_without_a_block_stays_disabled_when_the_environment_enables()
    {
        var disabled = Disabled(BootyConfigLoader.LoadEffective(null, Env(("RELEASE_GOVERNOR_ENABLED", "true"))));

        Assert.False(disabled.Explicit);
    }

    [Fact]
    public void A_block_that_says_enabled_false_stays_disabled_without_an_override() =>
        Assert.True(Disabled(BootyConfigLoader.LoadEffective(Block("enabled: false"), Env(("RELEASE_GOVERNOR_STALL_MINUTES", "5")))).Explicit);

    [Fact]
    public void Errors_in_the_environment_and_the_file_are_all_reported()
    {
        var errors = Errors(BootyConfigLoader.LoadEffective(Block("colour: red"), Env(("RELEASE_GOVERNOR_STALL_MINUTES", "x"))));

        Assert.Equal(["RELEASE_GOVERNOR_STALL_MINUTES", "release_governor.colour"], errors.Select(e => e.Key));
    }

    [Fact]
    public void A_bad_override_makes_even_a_disabled_repository_invalid() =>
        Assert.Equal(
            "RELEASE_GOVERNOR_ENABLED",
            SingleError(BootyConfigLoader.LoadEffective(null, Env(("RELEASE_GOVERNOR_ENABLED", "perhaps")))).Key);

    private static Dictionary<string, string?> Env(params (string Name, string? Value)[] variables) =>
        variables.ToDictionary(v => v.Name, v => v.Value);
}
