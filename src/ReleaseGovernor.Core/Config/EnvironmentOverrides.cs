using System.Collections;

namespace ReleaseGovernor.Core.Config;

/// <summary>
/// Server environment variables <c>RELEASE_GOVERNOR_&lt;KEY&gt;</c> that override keys of every
/// repository's config (design §5). The caller reads the process environment and passes it in.
/// </summary>
public static class EnvironmentOverrides
{
    public const string Prefix = "RELEASE_GOVERNOR_";

    /// <summary>The environment approval signal of <c>approval_mode: environment</c>; not a config key.</summary>
    public const string ApprovedVariable = "RELEASE_GOVERNOR_APPROVED";

    /// <summary>
    /// Applies every <c>RELEASE_GOVERNOR_*</c> variable to <paramref name="config"/>. Unknown variables and
    /// values a key does not accept are errors naming the variable; variables with a null value are unset.
    /// List keys take comma-separated patterns.
    /// </summary>
    public static OverrideResult Apply(GovernorConfig config, IReadOnlyDictionary<string, string?> environment)
    {
        var errors = new List<ConfigError>();
        var result = config;
        foreach (var (name, value) in environment.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal) || name == ApprovedVariable || value is null)
                continue;

            var key = ConfigKeys.Find(name[Prefix.Length..].ToLowerInvariant());
            if (key is null || key.Variable != name)
            {
                errors.Add(Error(name, UnknownVariable(name)));
                continue;
            }

            var update = key.FromText(result, value);
            if (update.Config is { } updated)
                result = updated;
            else
                errors.Add(Error(name, $"{update.Problem}, got {ConfigValues.Show(value)}"));
        }

        return new OverrideResult(errors.Count == 0 ? result : config, errors);
    }

    /// <summary>The errors in the override variables alone; a server checks these at startup.</summary>
    public static IReadOnlyList<ConfigError> Validate(IReadOnlyDictionary<string, string?> environment) =>
        Apply(GovernorConfig.Default, environment).Errors;

    /// <summary>True when <c>RELEASE_GOVERNOR_APPROVED</c> is 1, true or yes (any case).</summary>
    public static bool IsEnvironmentApproved(IReadOnlyDictionary<string, string?> environment) =>
        environment.TryGetValue(ApprovedVariable, out var value)
        && value?.Trim().ToLowerInvariant() is "1" or "true" or "yes";

    /// <summary>Copies a non-generic variable table, such as the one <c>Environment.GetEnvironmentVariables()</c> returns.</summary>
    public static IReadOnlyDictionary<string, string?> Snapshot(IDictionary variables)
    {
        var copy = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in variables)
        {
            if (entry.Key is string name)
                copy[name] = entry.Value?.ToString();
        }

        return copy;
    }

    private static string UnknownVariable(string name)
    {
        var known = ConfigKeys.Names.Where(n => n != HealthCheckReader.Key).Concat(ConfigKeys.Nested.Select(k => k.Name))
            .Append(ApprovedVariable[Prefix.Length..].ToLowerInvariant()).ToList();
        var suggestion = KeySuggester.Suggest(name[Prefix.Length..], known);
        return suggestion is null
            ? $"unknown variable; known variables: {string.Join(", ", known.Select(k => Prefix + k.ToUpperInvariant()))}"
            : $"unknown variable (did you mean {Prefix}{suggestion.ToUpperInvariant()}?)";
    }

    private static ConfigError Error(string variable, string message) =>
        new(ConfigError.EnvironmentSource, variable, null, message);
}
