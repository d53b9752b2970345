namespace ReleaseGovernor.Core.Config;

/// <summary>
/// One key of the <c>release_governor</c> block: its snake_case name, what it accepts, and how it
/// reads and writes a <see cref="GovernorConfig"/>.
/// </summary>
internal sealed record ConfigKey(
    string Name,
    bool IsList,
    string Expectation,
    Func<GovernorConfig, string> Render,
    Func<GovernorConfig, string?, KeyUpdate> FromText,
    Func<GovernorConfig, IReadOnlyList<string>, GovernorConfig>? FromList = null)
{
    /// <summary>The server environment variable that overrides this key.</summary>
    public string Variable => EnvironmentOverrides.Prefix + Name.ToUpperInvariant();
}

/// <summary>The config with one key set, or the requirement the value failed (without the "got ..." part).</summary>
internal readonly record struct KeyUpdate(GovernorConfig? Config, string? Problem)
{
    public static KeyUpdate Set(GovernorConfig config) => new(config, null);

    public static KeyUpdate Reject(string problem) => new(null, problem);
}
