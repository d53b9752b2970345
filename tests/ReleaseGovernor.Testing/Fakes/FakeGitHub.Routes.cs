using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ReleaseGovernor.Testing.Fakes;

public sealed partial class FakeGitHub
{
    private const string RepoPrefix = "/repos/(?<owner>[^/]+)/(?<repo>[^/]+)";

    private sealed record Route(string Method, Regex Pattern, bool AppLevel, Func<RouteCall, Task> Handle);

    internal sealed record RouteCall(HttpContext Context, GroupCollection Groups, RecordedRequest Request)
    {
        public string this[string group] => Groups[group].Value;
    }

    /// <summary>The endpoints served, as a table.</summary>
    private Route[] BuildRoutes() =>
    [
        App("POST", @"/app/installations/(?<id>\d+)/access_tokens", CreateInstallationToken),
        App("GET", "/app/hook/deliveries", ListDeliveries),
        App("GET", @"/app/hook/deliveries/(?<id>\d+)", GetDelivery),
        App("POST", @"/app/hook/deliveries/(?<id>\d+)/attempts", Redeliver),
        Repo("GET", @"/hooks/(?<hook>\d+)/deliveries", ListDeliveries),
        Repo("GET", @"/hooks/(?<hook>\d+)/deliveries/(?<id>\d+)", GetDelivery),
        Repo("POST", @"/hooks/(?<hook>\d+)/deliveries/(?<id>\d+)/attempts", Redeliver),
        Repo("GET", "", GetRepository),
        Repo("GET", "/collaborators/(?<user>[^/]+)/permission", GetPermission),
        new("GET", new Regex("^/orgs/(?<org>[^/]+)/teams/(?<team>[^/]+)/memberships/(?<user>[^/]+)$", RegexOptions.CultureInvariant), AppLevel: false,
            GetTeamMembership),
        Repo("GET", "/contents/(?<path>.+)", GetContent),
        Repo("GET", @"/compare/(?<base>.+?)\.\.\.(?<head>.+)", Compare),
        Repo("GET", "/commits/(?<sha>[^/]+)/pulls", ListPullsForCommit),
        Repo("GET", @"/pulls/(?<number>\d+)", GetPullRequest),
        Repo("GET", "/commits/(?<sha>[^/]+)", GetCommit),
        Repo("POST", "/actions/workflows/(?<workflow>[^/]+)/dispatches", Dispatch),
        Repo("GET", "/actions/workflows/(?<workflow>[^/]+)/runs", ListRuns),
        Repo("GET", @"/actions/runs/(?<id>\d+)", GetRun),
        Repo("GET", "/actions/runs", ListRepositoryRuns),
        Repo("POST", @"/actions/runs/(?<id>\d+)/deployment_protection_rule", ReviewProtectionRule),
        Repo("POST", "/statuses/(?<sha>[^/]+)", CreateStatus),
        Repo("GET", @"/issues/(?<number>\d+)/labels", ListLabels),
        Repo("GET", @"/issues/(?<number>\d+)/comments", ListComments),
        Repo("POST", @"/issues/(?<number>\d+)/comments", CreateComment),
        Repo("GET", "/issues", ListIssues),
        Repo("POST", "/issues", CreateIssue),
    ];

    private static Route App(string method, string pattern, Func<RouteCall, Task> handle) =>
        new(method, new Regex($"^{pattern}$", RegexOptions.CultureInvariant), AppLevel: true, handle);

    private static Route Repo(string method, string pattern, Func<RouteCall, Task> handle) =>
        new(method, new Regex($"^{RepoPrefix}{pattern}$", RegexOptions.CultureInvariant), AppLevel: false, handle);

    private FakeRepo RepoOf(RouteCall call) => Repo(call["owner"], call["repo"]);

    private static string HtmlUrl(FakeRepo repo, string rest) => $"https://github.com/{repo.Owner}/{repo.Name}/{rest}";
}
