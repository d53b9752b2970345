using System.Collections;

namespace ReleaseGovernor.Cli;

/// <summary>The process environment as a plain dictionary, so commands are testable with any environment.</summary>
public static class EnvironmentSnapshot
{
    public static IReadOnlyDictionary<string, string?> FromProcess() =>
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => e.Value as string, StringComparer.Ordinal);
}
