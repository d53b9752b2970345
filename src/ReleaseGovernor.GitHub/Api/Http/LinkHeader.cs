using System.Text.RegularExpressions;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// Reads RFC 8288 <c>Link</c> headers as GitHub sends them: <c>&lt;url&gt;; rel="next", &lt;url&gt;; rel="last"</c>.
/// Octokit's own parser (<c>ApiInfo.Links</c>) splits the header on commas and loses every link when a URL holds
/// one (e.g. <c>labels=a,b</c>), so the pager reads the header itself.
/// </summary>
internal static partial class LinkHeader
{
    public static string? Next(IReadOnlyDictionary<string, string>? headers) =>
        headers?.FirstOrDefault(h => string.Equals(h.Key, "Link", StringComparison.OrdinalIgnoreCase)).Value is { } value
            ? Find(value, "next")
            : null;

    /// <summary>The URL whose <c>rel</c> includes <paramref name="rel"/>. URLs may contain commas, so links are matched, not split.</summary>
    public static string? Find(string header, string rel)
    {
        foreach (Match link in LinkPattern().Matches(header))
        {
            foreach (Match parameter in RelPattern().Matches(link.Groups["params"].Value))
            {
                var values = parameter.Groups["value"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (values.Contains(rel, StringComparer.OrdinalIgnoreCase)) return link.Groups["url"].Value;
            }
        }
        return null;
    }

    [GeneratedRegex("<(?<url>[^>]*)>(?<params>[^<]*)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex("""rel\s*=\s*"?(?<value>[^";,]*)"?""", RegexOptions.IgnoreCase)]
    private static partial Regex RelPattern();
}
