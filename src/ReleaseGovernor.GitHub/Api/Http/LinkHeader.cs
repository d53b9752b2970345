using System.Net.Http.Headers;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>Reads RFC 8288 <c>Link</c> headers as GitHub sends them: <c>&lt;url&gt;; rel="next", &lt;url&gt;; rel="last"</c>.</summary>
internal static class LinkHeader
{
    public static string? Next(HttpResponseHeaders headers) =>
        headers.TryGetValues("Link", out var values) ? Find(string.Join(",", values), "next") : null;

    public static string? Find(string header, string rel)
    {
        foreach (var link in header.Split(','))
        {
            var parts = link.Split(';');
            var url = parts[0].Trim();
            if (url.Length < 2 || url[0] != '<' || url[^1] != '>') continue;
            foreach (var parameter in parts.Skip(1))
            {
                var kv = parameter.Split('=', 2);
                if (kv.Length == 2 && kv[0].Trim() == "rel"
                    && kv[1].Trim().Trim('"').Split(' ').Contains(rel, StringComparer.OrdinalIgnoreCase))
                    return url[1..^1];
            }
        }
        return null;
    }
}
