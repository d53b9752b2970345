using ReleaseGovernor.Core.Config;
using static ReleaseGovernor.Tests.Config.LoaderAssertions;

namespace ReleaseGovernor.Tests.Config;

public class DisabledConfigTests
{
    [Theory]
    [InlineData(null, "absent: no .booty.yml")]
    [InlineData("", "absent: .booty.yml is empty")]
    [InlineData("  \n\n", "absent: .booty.yml is empty")]
    [InlineData("# nothing here yet\n", "absent: .booty.yml is empty")]
    [InlineData("---\n", "absent: .booty.yml is empty")]
    [InlineData("test_command: make test\n", "absent: no release_governor key in .booty.yml")]
    [InlineData("release_governor:\n", "absent: the release_governor block in .booty.yml is empty")]
    [InlineData("release_governor: ~\n", "absent: the release_governor block in .booty.yml is empty")]
    [InlineData("release_governor: {}\n", "absent: the release_governor block in .booty.yml is empty")]
    public void An_absent_or_empty_block_disables_the_governor(string? yaml, string reason)
    {
        var disabled = Disabled(BootyConfigLoader.Load(yaml));

        Assert.Equal(reason, disabled.Reason);
        Assert.False(disabled.Explicit);
        Assert.Null(disabled.Config);
    }

    [Fact]
    public void Enabled_false_disables_it_explicitly_and_keeps_the_rest_of_the_block()
    {
        var disabled = Disabled(BootyConfigLoader.Load("release_governor:\n  enabled: false\n  cooldown_minutes: 3\n"));

        Assert.Equal("disabled: release_governor.enabled is false in .booty.yml", disabled.Reason);
        Assert.True(disabled.Explicit);
        Assert.Equal(GovernorConfig.Default with { Enabled = false, CooldownMinutes = 3 }, disabled.Config);
    }

    [Fact]
    public void The_reason_names_the_file_it_was_given() =>
        Assert.Equal("absent: no booty.yaml", Disabled(BootyConfigLoader.Load(null, "booty.yaml")).Reason);

    [Fact]
    public void A_disabled_block_with_a_bad_key_is_still_invalid()
    {
        var error = SingleError(BootyConfigLoader.Load("release_governor:\n  enabled: false\n  colldown_minutes: 3\n"));

        Assert.Equal("release_governor.colldown_minutes", error.Key);
    }
}
