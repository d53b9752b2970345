namespace ReleaseGovernor.Core.Config;

/// <summary>The config with one key set, or the requirement the value failed (without the "got ..." part).</summary>
internal readonly record struct KeyUpdate(GovernorConfig? Config, string? Problem)
{
    public static KeyUpdate Set(GovernorConfig config) => new(config, null);

    public static KeyUpdate Reject(string problem) => new(null, problem);
}
