using System.Text.RegularExpressions;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// The REST endpoint a request path belongs to, as GitHub's docs name it (<c>/repos/{owner}/{repo}/statuses/{sha}</c>):
/// a metric label that never carries a repository, sha, number or user. A path the governor does not call is <c>other</c>.
/// </summary>
internal static partial class GitHubEndpointTemplate
{
    public const string Other = "other";

    private static readonly (Regex Pattern, string Template)[] Known =
    [
        (Repo(""), "/repos/{owner}/{repo}"),
        (Repo("/actions/workflows/[^/]+/dispatches"), "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches"),
        (Repo("/actions/workflows/[^/]+/runs"), "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs"),
        (Repo("/actions/runs/[0-9]+"), "/repos/{owner}/{repo}/actions/runs/{run_id}"),
        (Repo("/contents/.+"), "/repos/{owner}/{repo}/contents/{path}"),
        (Repo("/compare/[^/]+"), "/repos/{owner}/{repo}/compare/{basehead}"),
        (Repo("/commits/[^/]+/pulls"), "/repos/{owner}/{repo}/commits/{commit_sha}/pulls"),
        (Repo("/commits/[^/]+"), "/repos/{owner}/{repo}/commits/{ref}"),
        (Repo("/statuses/[^/]+"), "/repos/{owner}/{repo}/statuses/{sha}"),
        (Repo("/issues"), "/repos/{owner}/{repo}/issues"),
        (Repo("/issues/[0-9]+"), "/repos/{owner}/{repo}/issues/{issue_number}"),
        (Repo("/issues/[0-9]+/comments"), "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
        (Repo("/pulls/[0-9]+"), "/repos/{owner}/{repo}/pulls/{pull_number}"),
        (Repo("/collaborators/[^/]+/permission"), "/repos/{owner}/{repo}/collaborators/{username}/permission"),
        (Anchored("/orgs/[^/]+/teams/[^/]+/memberships/[^/]+"), "/orgs/{org}/teams/{team_slug}/memberships/{username}"),
        (Anchored("/app/installations/[0-9]+/access_tokens"), "/app/installations/{installation_id}/access_tokens"),
    ];

    /// <param name="pathAndQuery">The request's path below the API root, with or without its query.</param>
    public static string Of(string pathAndQuery, string? apiRootPath = null)
    {
        var path = pathAndQuery.Split('?', 2)[0];
        if (apiRootPath is { Length: > 1 } root && path.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal))
            path = path[root.TrimEnd('/').Length..];
        foreach (var (pattern, template) in Known)
            if (pattern.IsMatch(path)) return template;
        return Other;
    }

    private static Regex Repo(string rest) => Anchored("/repos/[^/]+/[^/]+" + rest);

    private static Regex Anchored(string pattern) =>
        new("^" + pattern + "/?$", RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromMilliseconds(50));
}
