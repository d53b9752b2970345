using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace ReleaseGovernor.Core.Config;

/// <summary>
/// Parses YAML text into one document's root node, or one error with a line. The text is first
/// walked as a flat event stream, so a hostile file cannot nest deep enough to exhaust the stack
/// of the recursive node loader.
/// </summary>
internal static partial class YamlDocumentReader
{
    public const int MaxDepth = 64;

    public readonly record struct Outcome(YamlNode? Root, ConfigError? Error);

    public static Outcome Read(string text, string fileName)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            if (Precheck(parser, fileName) is { } problem)
                return new Outcome(null, problem);

            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return new Outcome(stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode, null);
        }
        catch (YamlException e)
        {
            return new Outcome(null, new ConfigError(fileName, "", LineOf(e.Start), $"invalid YAML: {Reason(e)}"));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException)
        {
            // YamlDotNet's scanner fails on some malformed input with these instead of a YamlException.
            var line = parser.Current is { } last ? LineOf(last.Start) : null;
            return new Outcome(null, new ConfigError(fileName, "", line, "invalid YAML: could not be parsed past this line"));
        }
    }

    private static ConfigError? Precheck(IParser parser, string fileName)
    {
        var depth = 0;
        var documents = 0;
        while (parser.MoveNext())
        {
            var current = parser.Current!;
            switch (current)
            {
                case DocumentStart when ++documents > 1:
                    return new ConfigError(fileName, "", LineOf(current.Start),
                        "expected a single YAML document, found another one here");
                case MappingStart or SequenceStart when ++depth > MaxDepth:
                    return new ConfigError(fileName, "", LineOf(current.Start),
                        $"YAML is nested more than {MaxDepth} levels deep");
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
            }
        }

        return null;
    }

    private static int? LineOf(Mark mark) => mark.Line > 0 ? (int)mark.Line : null;

    /// <summary>The exception's message without YamlDotNet's "(Line: 3, Col: 1, Idx: 20) - (...): " prefix.</summary>
    private static string Reason(YamlException e)
    {
        var reason = PositionPrefix().Replace(e.Message, "");
        return reason.Length == 0 ? "could not be parsed" : reason;
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();
}
