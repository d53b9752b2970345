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
