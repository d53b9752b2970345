using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.Server.Page;

/// <summary>
/// Links to GitHub and within the page. A URL that came in a payload is linked only when it is http(s): anything a
/// webhook sender can shape is untrusted, and a <c>javascript:</c> link would run in the viewer's session.
/// </summary>
public sealed class PageLinks(string webBaseUrl)
{
    public string Commit(RepoRef repo, string sha) => $"{webBaseUrl}/{Path(repo)}/commit/{Uri.EscapeDataString(sha)}";

    public string Repository(RepoRef repo) => $"{webBaseUrl}/{Path(repo)}";

    public string Issue(RepoRef repo, int number) => $"{webBaseUrl}/{Path(repo)}/issues/{number}";

    public static string Timeline(RepoRef repo, string environment, int page = 1) =>
        $"/repos/{Path(repo)}/{Uri.EscapeDataString(environment)}{(page > 1 ? $"?page={page}" : "")}";

    public static string Event(RepoRef repo, string environment, long sequence) =>
        $"/repos/{Path(repo)}/{Uri.EscapeDataString(environment)}/events/{sequence}";

    public static string Replay(RepoRef repo, string environment) =>
        $"/repos/{Path(repo)}/{Uri.EscapeDataString(environment)}/replay";

    /// <summary>The URL when it is an absolute http(s) URL, else null (shown as text, never linked).</summary>
    public static string? Safe(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri.AbsoluteUri : null;

    public static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    private static string Path(RepoRef repo) => $"{Uri.EscapeDataString(repo.Owner)}/{Uri.EscapeDataString(repo.Name)}";
}
