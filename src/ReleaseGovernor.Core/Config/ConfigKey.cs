namespace ReleaseGovernor.Core.Config;

/// <summary>
/// One key of the <c>release_governor</c> block: its snake_case name, what it accepts, and how it
/// reads and writes a <see cref="GovernorConfig"/>. <paramref name="CheckItem"/> says what is wrong with one
/// entry of a list key (null: acceptable). <paramref name="AddedLater"/> keys appear in the canonical form only
/// when set away from their default, so fingerprints recorded before the key existed stay the same.
/// </summary>
internal sealed record ConfigKey(
    string Name,
    bool IsList,
    string Expectation,
    Func<GovernorConfig, string> Render,
    Func<GovernorConfig, string?, KeyUpdate> FromText,
    Func<GovernorConfig, IReadOnlyList<string>, GovernorConfig>? FromList = null,
    Func<string, string?>? CheckItem = null,
    bool AddedLater = false)
{
    /// <summary>The server environment variable that overrides this key.</summary>
    public string Variable => EnvironmentOverrides.Prefix + Name.ToUpperInvariant();
}
