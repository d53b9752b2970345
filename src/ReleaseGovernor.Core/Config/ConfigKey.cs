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
    bool AddedLater = false,
    string? Parent = null)
{
    /// <summary>
    /// A key of a nested block (<paramref name="Parent"/>, e.g. <c>health_check</c>) named <c>parent_child</c>: set in
    /// <c>.booty.yml</c> inside its block, overridden by <c>RELEASE_GOVERNOR_PARENT_CHILD</c>; the block's own key renders it.
    /// </summary>
    public string? Child => Parent is null ? null : Name[(Parent.Length + 1)..];

    /// <summary>The server environment variable that overrides this key.</summary>
    public string Variable => EnvironmentOverrides.Prefix + Name.ToUpperInvariant();
}
