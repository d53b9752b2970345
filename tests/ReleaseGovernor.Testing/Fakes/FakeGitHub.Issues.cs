using System.Globalization;
using System.Text.Json.Nodes;

namespace ReleaseGovernor.Testing.Fakes;

public sealed partial class FakeGitHub
{
    private static readonly string[] StatusStates = ["error", "failure", "pending", "success"];

    /// <summary>Rejects descriptions over 140 characters with 422, as GitHub is observed to.</summary>
    private Task CreateStatus(RouteCall call)
    {
        var repo = RepoOf(call);
        var json = call.Request.Json as JsonObject;
        var state = json?["state"]?.GetValue<string>();
        if (state is null || !StatusStates.Contains(state))
            return FakeHttp.Error(call.Context, 422, "Validation Failed", [new { resource = "Status", field = "state", code = "invalid" }]);
        var description = json!["description"]?.GetValue<string>();
        if (description?.Length > 140)
            return FakeHttp.Error(call.Context, 422, "Validation Failed",
                [new { resource = "Status", code = "custom", field = "description", message = "description is too long (maximum is 140 characters)" }]);
        var status = new FakeStatus(call["sha"], state, description, json["target_url"]?.GetValue<string>(), json["context"]?.GetValue<string>());
        repo.Record(status);
        return FakeHttp.Json(call.Context, 201, new
        {
            id = NextId(),
            state,
            description,
            target_url = status.TargetUrl,
            context = status.Context ?? "default",
            created_at = FakeHttp.Iso(_options.TimeProvider.GetUtcNow()),
        });
    }

    private Task ListLabels(RouteCall call) =>
        FakeHttp.Page(call.Context, RepoOf(call).Labels(Number(call)), RenderLabel);

    private Task ListComments(RouteCall call)
    {
        var repo = RepoOf(call);
        var number = Number(call);
        return FakeHttp.Page(call.Context, repo.Comments(number).OrderBy(c => c.Id).ToList(), c => RenderComment(repo, number, c));
    }

    private Task CreateComment(RouteCall call)
    {
        var repo = RepoOf(call);
        var number = Number(call);
        if ((call.Request.Json as JsonObject)?["body"]?.GetValue<string>() is not { } body)
            return FakeHttp.Error(call.Context, 422, "Validation Failed", [new { resource = "IssueComment", field = "body", code = "missing_field" }]);
        var comment = new FakeComment(NextId(), body, "release-governor[bot]", _options.TimeProvider.GetUtcNow(), "NONE");
        repo.AddComment(number, comment);
        return FakeHttp.Json(call.Context, 201, RenderComment(repo, number, comment));
    }

    /// <summary>Filters by state (open, closed, all) and by all of the comma-separated labels; includes PRs like GitHub.</summary>
    private Task ListIssues(RouteCall call)
    {
        var repo = RepoOf(call);
        var query = call.Context.Request.Query;
        var state = query["state"].FirstOrDefault() ?? "open";
        var labels = (query["labels"].FirstOrDefault() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var issues = repo.Issues
            .Where(i => state == "all" || i.State == state)
            .Where(i => labels.All(l => i.Labels.Contains(l, StringComparer.OrdinalIgnoreCase)))
            .OrderByDescending(i => i.Number)
            .ToList();
        return FakeHttp.Page(call.Context, issues, i => RenderIssue(repo, i));
    }

    private Task CreateIssue(RouteCall call)
    {
        var repo = RepoOf(call);
        var json = call.Request.Json as JsonObject;
        if (json?["title"]?.GetValue<string>() is not { } title)
            return FakeHttp.Error(call.Context, 422, "Validation Failed", [new { resource = "Issue", field = "title", code = "missing_field" }]);
        var labels = (json["labels"] as JsonArray ?? []).Select(l => l!.GetValue<string>()).ToList();
        var issue = repo.CreateIssue(title, json["body"]?.GetValue<string>(), labels);
        return FakeHttp.Json(call.Context, 201, RenderIssue(repo, issue));
    }

    private static int Number(RouteCall call) => int.Parse(call["number"], CultureInfo.InvariantCulture);

    private static object RenderComment(FakeRepo repo, int number, FakeComment comment) => new
    {
        id = comment.Id,
        body = comment.Body,
        user = new { login = comment.Login },
        author_association = comment.AuthorAssociation,
        created_at = FakeHttp.Iso(comment.CreatedAt),
        updated_at = FakeHttp.Iso(comment.CreatedAt),
        html_url = HtmlUrl(repo, $"issues/{number}#issuecomment-{comment.Id}"),
    };

    private static object RenderIssue(FakeRepo repo, FakeIssue issue) => new
    {
        id = 10_000 + issue.Number,
        number = issue.Number,
        title = issue.Title,
        body = issue.Body,
        state = issue.State,
        html_url = HtmlUrl(repo, $"{(issue.IsPullRequest ? "pull" : "issues")}/{issue.Number}"),
        labels = issue.Labels.Select(RenderLabel).ToArray(),
        pull_request = issue.IsPullRequest ? new { url = HtmlUrl(repo, $"pull/{issue.Number}") } : null,
    };
}
