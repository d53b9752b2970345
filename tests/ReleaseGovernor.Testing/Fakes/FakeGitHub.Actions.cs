using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReleaseGovernor.Testing.Fakes;

public sealed partial class FakeGitHub
{
    private async Task Dispatch(RouteCall call)
    {
        var repo = RepoOf(call);
        var json = call.Request.Json as JsonObject;
        if (json?["ref"] is not JsonValue refValue || refValue.GetValueKind() != JsonValueKind.String)
        {
            await FakeHttp.Error(call.Context, 422, "Invalid request.\n\n\"ref\" wasn't supplied.");
            return;
        }
        var inputs = (json["inputs"] as JsonObject ?? [])
            .ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : p.Value?.ToJsonString() ?? "");
        if (inputs.Count > 25)
        {
            await FakeHttp.Error(call.Context, 422, "Invalid request.\n\nNo more than 25 properties are allowed; " + inputs.Count + " were supplied.");
            return;
        }

        long? runId = null;
        if (CreateRunOnDispatch)
        {
            runId = NextId();
            var sha = inputs.GetValueOrDefault("sha");
            repo.AddRun(new FakeRun(runId.Value, call["workflow"], sha ?? new string('0', 40), _options.TimeProvider.GetUtcNow(),
                Event: "workflow_dispatch", DisplayTitle: sha is null ? "Deploy" : $"Deploy {sha}",
                HeadBranch: refValue.GetValue<string>(), Status: "queued", Conclusion: null));
        }
        repo.Record(new FakeDispatch(call["workflow"], refValue.GetValue<string>(), inputs, runId));

        var wantsDetails = json["return_run_details"] is JsonValue r && r.GetValueKind() == JsonValueKind.True;
        if (DispatchReturnsRunDetails && wantsDetails && runId is { } id)
        {
            await FakeHttp.Json(call.Context, 200, new
            {
                workflow_run_id = id,
                run_url = $"{BaseUrl}/repos/{repo.Owner}/{repo.Name}/actions/runs/{id}",
                html_url = HtmlUrl(repo, $"actions/runs/{id}"),
            });
            return;
        }
        await FakeHttp.Empty(call.Context, 204);
    }

    /// <summary>Newest first; filters event, head_sha, status and created (<c>&gt;=date</c> or a date).</summary>
    private Task ListRuns(RouteCall call)
    {
        var repo = RepoOf(call);
        var query = call.Context.Request.Query;
        var since = ParseCreated(query["created"].FirstOrDefault());
        var runs = repo.Runs
            .Where(r => r.WorkflowFile == call["workflow"])
            .Where(r => query["event"].FirstOrDefault() is not { } e || r.Event == e)
            .Where(r => query["head_sha"].FirstOrDefault() is not { } sha || r.HeadSha == sha)
            .Where(r => query["status"].FirstOrDefault() is not { } s || r.Status == s || r.Conclusion == s)
            .Where(r => since is null || r.CreatedAt >= since)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .ToList();
        var perPage = Math.Clamp(FakeHttp.IntQuery(call.Context, "per_page") ?? 30, 1, 100);
        var page = Math.Max(1, FakeHttp.IntQuery(call.Context, "page") ?? 1);
        return FakeHttp.Json(call.Context, 200, new
        {
            total_count = runs.Count,
            workflow_runs = runs.Skip((page - 1) * perPage).Take(perPage).Select(r => RenderRun(repo, r)).ToArray(),
        });
    }

    /// <summary>Runs of every workflow of the repository, newest first; filters head_sha.</summary>
    private Task ListRepositoryRuns(RouteCall call)
    {
        var repo = RepoOf(call);
        var sha = call.Context.Request.Query["head_sha"].FirstOrDefault();
        var runs = repo.Runs.Where(r => sha is null || r.HeadSha == sha).OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).ToList();
        var perPage = Math.Clamp(FakeHttp.IntQuery(call.Context, "per_page") ?? 30, 1, 100);
        return FakeHttp.Json(call.Context, 200, new { total_count = runs.Count, workflow_runs = runs.Take(perPage).Select(r => RenderRun(repo, r)).ToArray() });
    }

    private Task GetRun(RouteCall call)
    {
        var repo = RepoOf(call);
        var id = long.Parse(call["id"], CultureInfo.InvariantCulture);
        return repo.Runs.FirstOrDefault(r => r.Id == id) is { } run
            ? FakeHttp.Json(call.Context, 200, RenderRun(repo, run))
            : FakeHttp.NotFound(call.Context);
    }

    private object RenderRun(FakeRepo repo, FakeRun run) => new
    {
        id = run.Id,
        name = run.Name,
        display_title = run.DisplayTitle ?? run.Name,
        head_sha = run.HeadSha,
        head_branch = run.HeadBranch,
        status = run.Status,
        conclusion = run.Conclusion,
        html_url = HtmlUrl(repo, $"actions/runs/{run.Id}"),
        url = $"{BaseUrl}/repos/{repo.Owner}/{repo.Name}/actions/runs/{run.Id}",
        path = run.Path,
        @event = run.Event,
        run_number = run.Id,
        run_attempt = run.RunAttempt,
        workflow_id = 161335,
        created_at = FakeHttp.Iso(run.CreatedAt),
        updated_at = FakeHttp.Iso(run.CreatedAt),
        run_started_at = FakeHttp.Iso(run.CreatedAt),
        pull_requests = Array.Empty<object>(),
    };

    private static DateTimeOffset? ParseCreated(string? created)
    {
        if (string.IsNullOrEmpty(created)) return null;
        var value = created.StartsWith(">=", StringComparison.Ordinal) ? created[2..] : created;
        return DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }
}
