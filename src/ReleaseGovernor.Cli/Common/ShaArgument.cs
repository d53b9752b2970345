using System.CommandLine;
using System.Text.RegularExpressions;

namespace ReleaseGovernor.Cli;

/// <summary>The &lt;sha&gt; argument: a full 40-character commit sha.</summary>
public static partial class ShaArgument
{
    public static Argument<string> Create() => new("sha") { Description = "The full 40-character commit sha" };

    public static string Read(ParseResult parse, Argument<string> argument)
    {
        var sha = parse.GetValue(argument)?.Trim() ?? "";
        return Full().IsMatch(sha)
            ? sha.ToLowerInvariant()
            : throw new CliException($"'{sha}' is not a full commit sha: pass all 40 hex characters (git rev-parse <ref> prints it).");
    }

    [GeneratedRegex("^[0-9a-fA-F]{40}$")]
    private static partial Regex Full();
}
