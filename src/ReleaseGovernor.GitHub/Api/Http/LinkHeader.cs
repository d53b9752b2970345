using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>Reads RFC 8288 <c>Link</c> headers as GitHub sends them: <c>&lt;url&gt;; rel="next", &lt;url&gt;; rel="last"</c>.</summary>
internal static partial class LinkHeader
{
    public static string? Next(HttpResponseHeaders headers) =>
        headers.TryGetValues("Link", out var values) ? Find(string.Join(",", values), "next") : null;

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
