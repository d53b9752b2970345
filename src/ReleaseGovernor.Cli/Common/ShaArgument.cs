using System.CommandLine;
using ReleaseGovernor.Core.Commits;

namespace ReleaseGovernor.Cli;

/// <summary>The &lt;sha&gt; argument: a full 40-character commit sha.</summary>
public static class ShaArgument
{
    public static Argument<string> Create() => new("sha") { Description = "The full 40-character commit sha" };

    public static Sha Read(ParseResult parse, Argument<string> argument) => Parse(parse.GetValue(argument), null);

    /// <summary>A sha given on the command line (<paramref name="option"/> names the option, null for the argument).</summary>
    public static Sha Parse(string? given, string? option)
    {
        var text = given?.Trim() ?? "";
        return Sha.TryParse(text, out var sha)
            ? sha
            : throw new CliException($"{(option is null ? "" : option + " ")}'{text}' is not a full commit sha: pass all 40 hex characters (git rev-parse <ref> prints it).");
    }
}
