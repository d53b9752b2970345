using System.Text;
using System.Text.RegularExpressions;

namespace ReleaseGovernor.Core.Risk;

/// <summary>
/// One gitignore-style pattern, matched against repository-relative paths with forward slashes and
/// no leading slash (<c>src/App/App.csproj</c>).
/// <list type="bullet">
/// <item><c>*</c> is any run of characters except <c>/</c>; <c>?</c> is one such character;
/// <c>[abc]</c>, <c>[a-z]</c> and <c>[!abc]</c> are character classes; <c>\x</c> is a literal x.</item>
/// <item><c>**</c> as a whole segment is any number of directories, zero included
/// (<c>**/migrations/**</c>, <c>a/**/b</c>); a trailing <c>/**</c> is everything inside.</item>
/// <item>A pattern with no slash except a trailing one matches a name at any depth (<c>*.csproj</c>);
/// otherwise it is anchored to the root, as is any pattern with a leading <c>/</c>.</item>
/// <item>A pattern that matches a directory matches every path under it; a trailing <c>/</c>
/// matches directories only (<c>infra/</c> matches <c>infra/k8s/x.yaml</c> but not a file <c>infra</c>).</item>
/// </list>
/// Negation (<c>!</c>) belongs to <see cref="PatternList"/>. Matching is case-sensitive, like Git, and
/// runs on a non-backtracking regex, so its time is linear in the path's length.
/// </summary>
public sealed class PathPattern
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private readonly Regex? regex;

    private PathPattern(string text, Regex? regex)
    {
        Text = text;
        this.regex = regex;
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    private const int CacheLimit = 4_096;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, PathPattern> Compiled = new(StringComparer.Ordinal);

    /// <summary>
    /// Compiles a pattern, once: the same text gives the same compiled pattern (building the regex costs
    /// milliseconds, matching microseconds). Never throws: an unclosed <c>[</c> is a literal, an empty pattern
    /// matches nothing.
    /// </summary>
    public static PathPattern Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (Compiled.TryGetValue(pattern, out var known)) return known;
        if (Compiled.Count >= CacheLimit) Compiled.Clear();
        return Compiled.GetOrAdd(pattern, Compile);
    }

    private static PathPattern Compile(string pattern)
    {
        var source = ToRegex(pattern.Trim());
        var regex = source is null
            ? null
            : new Regex(source, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, MatchTimeout);
        return new PathPattern(pattern, regex);
    }

    public bool IsMatch(string path) => regex is not null && regex.IsMatch(path);

    public override string ToString() => Text;

    /// <summary>The anchored regex for a pattern, or null when it can match nothing.</summary>
    internal static string? ToRegex(string pattern)
    {
        var directoryOnly = pattern.EndsWith('/');
        var body = pattern.Trim('/');
        if (body.Length == 0)
            return null;
        var anchored = pattern.StartsWith('/') || body.Contains('/');

        var segments = body.Split('/');
        var regex = new StringBuilder("^");
        if (!anchored)
            regex.Append("(?:.*/)?");
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            if (segments[i] == "**")
            {
                regex.Append(last ? ".*" : "(?:.*/)?");
                continue;
            }

            AppendSegment(regex, segments[i]);
            if (!last)
                regex.Append('/');
        }

        if (segments[^1] != "**")
            regex.Append(directoryOnly ? "/.*" : "(?:/.*)?");
        return regex.Append('$').ToString();
    }

    private static void AppendSegment(StringBuilder regex, string segment)
    {
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            switch (c)
            {
                case '*':
                    while (i + 1 < segment.Length && segment[i + 1] == '*')
                        i++;
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[' when CharacterClass.TryRead(segment, i, out var cls, out var end):
                    regex.Append(cls);
                    i = end;
                    break;
                case '\\' when i + 1 < segment.Length:
                    regex.Append(Regex.Escape(segment[++i].ToString()));
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
    }
}
