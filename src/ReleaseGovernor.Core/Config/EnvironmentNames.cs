namespace ReleaseGovernor.Core.Config;

/// <summary>
/// What an environment name may be. GitHub allows up to 255 characters; the governor also refuses <c>/</c> and
/// control characters, because the name is the last part of the release stream id <c>release/owner/name/env</c>.
/// </summary>
public static class EnvironmentNames
{
    public const int MaxLength = 255;

    /// <summary>What is wrong with <paramref name="name"/>, or null when it is a usable environment name.</summary>
    public static string? Problem(string name) =>
        name.Length == 0 ? "must be a non-empty environment name"
        : name.Length > MaxLength ? $"must be an environment name of at most {MaxLength} characters"
        : name.Contains('/') ? "must be an environment name without '/' (it names the release stream release/owner/name/<environment>)"
        : name.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            ? "must be an environment name without control or invisible formatting characters"
        : null;
}
