namespace ReleaseGovernor.Core.Config;

/// <summary>
/// The config after server environment overrides, or the errors in those variables.
/// When <see cref="Errors"/> is not empty, <see cref="Config"/> is the config that was passed in, unchanged.
/// </summary>
public sealed record OverrideResult(GovernorConfig Config, IReadOnlyList<ConfigError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
