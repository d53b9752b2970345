using ReleaseGovernor.Core.Config;
using static ReleaseGovernor.Tests.Config.LoaderAssertions;

namespace ReleaseGovernor.Tests.Config;

/// <summary>A misspelt <c>release_governor</c> key is an error with a suggestion, not a silently disabled governor.</summary>
public class SectionTypoTests
{
    [Theory]
    [InlineData("release_governer")]
    [InlineData("release-governor")]
    [InlineData("releaseGovernor")]
    [InlineData("release_govenor")]
    public void A_top_level_key_close_to_release_governor_gets_a_did_you_mean(string key)
    {
        var error = SingleError(BootyConfigLoader.Load($"other_tool: {{}}\n{key}:\n  enabled: true\n"));

        Assert.Equal(key, error.Key);
        Assert.Equal(2, error.Line);
        Assert.Equal("unknown top-level key (did you mean release_governor?)", error.Message);
    }

    [Fact]
    public void Other_tools_keys_are_still_left_alone()
    {
        var result = BootyConfigLoader.Load("other_tool:\n  x: 1\nrenovate: {}\n");

        var disabled = Assert.IsType<ConfigLoadResult.Disabled>(result);
        Assert.Equal("absent: no release_governor key in .booty.yml", disabled.Reason);
    }
}
