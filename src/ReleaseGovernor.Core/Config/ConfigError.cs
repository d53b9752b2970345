namespace ReleaseGovernor.Core.Config;

/// <summary>
/// One problem in a configuration source. <paramref name="File"/> is the file name (or
/// <c>environment</c> for server variables), <paramref name="Key"/> the dotted key or variable name.
/// </summary>
public sealed record ConfigError(string File, string Key, int? Line, string Message)
{
    /// <summary>The source of errors raised by <see cref="EnvironmentOverrides"/>.</summary>
    public const string EnvironmentSource = "environment";

    /// <summary>For example <c>.booty.yml:7: release_governor.cooldown_minutes: must be an integer &gt;= 0, got "soon"</c>.</summary>
    public override string ToString()
    {
        var where = Line is { } line ? $"{File}:{line}" : File;
        return Key.Length == 0 ? $"{where}: {Message}" : $"{where}: {Key}: {Message}";
    }
}
