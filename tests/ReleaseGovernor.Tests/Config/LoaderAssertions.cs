using ReleaseGovernor.Core.Config;

namespace ReleaseGovernor.Tests.Config;

internal static class LoaderAssertions
{
    public static GovernorConfig Loaded(ConfigLoadResult result) =>
        Assert.IsType<ConfigLoadResult.Loaded>(result).Config;

    public static ConfigLoadResult.Disabled Disabled(ConfigLoadResult result) =>
        Assert.IsType<ConfigLoadResult.Disabled>(result);

    public static ConfigError SingleError(ConfigLoadResult result) =>
        Assert.Single(Assert.IsType<ConfigLoadResult.Invalid>(result).Errors);

    public static IReadOnlyList<ConfigError> Errors(ConfigLoadResult result) =>
        Assert.IsType<ConfigLoadResult.Invalid>(result).Errors;
}
