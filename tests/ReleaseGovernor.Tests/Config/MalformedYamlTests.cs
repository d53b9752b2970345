using ReleaseGovernor.Core.Config;
using static ReleaseGovernor.Tests.Config.LoaderAssertions;

namespace ReleaseGovernor.Tests.Config;

public class MalformedYamlTests
{
    [Theory]
    [InlineData("release_governor:\n  enabled: true\n   cooldown_minutes: 5\n", 3)]
    [InlineData("release_governor:\n  high_risk_paths: [a, b\n", 3)]
    [InlineData("release_governor:\n  approval_label: \"release:approved\n", 2)]
    [InlineData("release_governor:\n  a: 1\n  b: c: d\n", 3)]
    // YamlDotNet's scanner throws InvalidOperationException on this one.
    [InlineData(":elease_governor:\n  enabled: tre\n  high_risk_paths: [\"a/**\"[ 'b']\n  medium_risk_paths:\n", 3)]
    public void Malformed_yaml_is_invalid_with_the_line_of_the_problem(string yaml, int line)
    {
        var error = SingleError(BootyConfigLoader.Load(yaml));

        Assert.Equal(".booty.yml", error.File);
        Assert.Equal(line, error.Line);
        Assert.StartsWith("invalid YAML: ", error.Message);
        Assert.DoesNotContain("Idx:", error.Message);
    }

    [Fact]
    public void A_duplicate_key_is_invalid()
    {
        var error = SingleError(BootyConfigLoader.Load("release_governor:\n  cooldown_minutes: 1\n  cooldown_minutes: 2\n"));

        Assert.Equal(3, error.Line);
        Assert.Contains("Duplicate key", error.Message);
    }

    [Fact]
    public void A_second_document_is_invalid()
    {
        var error = SingleError(BootyConfigLoader.Load("release_governor:\n  enabled: true\n---\nrelease_governor:\n  enabled: false\n"));

        Assert.Equal(3, error.Line);
        Assert.Equal("expected a single YAML document, found another one here", error.Message);
    }

    [Fact]
    public void Deep_nesting_is_refused_before_it_is_loaded()
    {
        var yaml = "release_governor: " + new string('[', 100_000) + new string(']', 100_000) + "\n";

        var error = SingleError(BootyConfigLoader.Load(yaml));

        Assert.Equal("YAML is nested more than 64 levels deep", error.Message);
    }

    [Fact]
    public void An_unknown_alias_is_invalid() =>
        Assert.StartsWith("invalid YAML: ", SingleError(BootyConfigLoader.Load("release_governor: *nowhere\n")).Message);
}
