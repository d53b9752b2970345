using ReleaseGovernor.Core.Releases;
using System.Text;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>Builds escaped REST paths and query strings.</summary>
internal static class GitHubPaths
{
    public static string Repo(RepoRef repo) => $"/repos/{Escape(repo.Owner)}/{Escape(repo.Name)}";

    public static string Escape(string segment) => Uri.EscapeDataString(segment);

    /// <summary>Escapes each segment of a file path, keeping the slashes.</summary>
    public static string FilePath(string path) =>
        string.Join('/', path.Trim('/').Split('/').Select(Uri.EscapeDataString));

    /// <summary><c>?a=1&amp;b=2</c> from the pairs whose value is not null; empty when none.</summary>
    public static string Query(params (string Name, string? Value)[] pairs)
    {
        var sb = new StringBuilder();
        foreach (var (name, value) in pairs)
        {
            if (value is null) continue;
            sb.Append(sb.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return sb.ToString();
    }
}
