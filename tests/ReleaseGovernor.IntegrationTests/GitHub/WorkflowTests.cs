using System.Text.Json.Nodes;
using ReleaseGovernor.GitHub.Api;

namespace ReleaseGovernor.IntegrationTests.GitHub;

public class WorkflowTests : GitHubTestBase
{
    private const string DispatchPath = "/repos/acme/shop/actions/workflows/deploy.yml/dispatches";
    private static readonly Dictionary<string, string> Inputs = new() { ["sha"] = Sha };

    [Fact]
    public async Task Dispatch_sends_ref_inputs_and_asks_for_run_details()
    {
        var result = await Client().CreateWorkflowDispatchAsync(Shop, InstallationId, "deploy.yml", "main", Inputs);

        var request = Assert.Single(GitHub.Requests);
        Assert.Equal(DispatchPath, request.Path);
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal("main", (string?)request.Json!["ref"]);
        Assert.Equal(Sha, (string?)request.Json["inputs"]!["sha"]);
        Assert.True((bool?)request.Json["return_run_details"]);

        var run = Assert.Single(Repo.Runs);
        Assert.Equal(run.Id, result.RunId);
        Assert.Equal($"{GitHub.BaseUrl}/repos/acme/shop/actions/runs/{run.Id}", result.RunUrl);
        Assert.Equal($"https://github.com/acme/shop/actions/runs/{run.Id}", result.HtmlUrl);
    }

    [Fact]
    public async Task Dispatch_answered_with_204_has_no_run_details()
    {
        GitHub.DispatchReturnsRunDetails = false;

        var result = await Client().CreateWorkflowDispatchAsync(Shop, InstallationId, "deploy.yml", "main", Inputs);

        Assert.Equal(DispatchResult.NoDetails, result);
        Assert.Single(Repo.Dispatches);
    }

    [Fact]
    public async Task Dispatch_with_api_version_2026_leaves_out_the_removed_flag()
    {
        await Client(o => o.ApiVersion = "2026-03-10").CreateWorkflowDispatchAsync(Shop, null, "deploy.yml", "main", Inputs);

        var request = Assert.Single(GitHub.Requests);
        Assert.Equal("2026-03-10", request.Header("X-GitHub-Api-Version"));
        Assert.False(((JsonObject)request.Json!).ContainsKey("return_run_details"));
    }

    [Fact]
    public async Task Dispatch_is_not_repeated_after_a_server_error_because_it_may_have_run()
    {
        GitHub.InjectFault("POST", DispatchPath, FakeFault.Status(502, "Bad Gateway"), times: 5);

        var error = await Assert.ThrowsAsync<GitHubApiException>(() =>
            Client().CreateWorkflowDispatchAsync(Shop, null, "deploy.yml", "main", Inputs));

        Assert.Equal(1, Attempts("POST", DispatchPath));
        Assert.True(error.OutcomeUnknown);
        Assert.True(error.IsRetryable);
        Assert.Contains("check its effect before sending it again", error.Message);
    }

    [Fact]
    public async Task Dispatch_that_times_out_is_not_repeated()
    {
        GitHub.InjectFault("POST", DispatchPath, FakeFault.Slow(TimeSpan.FromSeconds(30)));

        var error = await Assert.ThrowsAsync<GitHubTimeoutException>(() =>
            Client(o => o.Timeout = TimeSpan.FromMilliseconds(300)).CreateWorkflowDispatchAsync(Shop, null, "deploy.yml", "main", Inputs));

        Assert.Equal(1, error.Attempts);
        Assert.True(error.OutcomeUnknown);
    }

    [Fact]
    public async Task Dispatch_refused_by_a_rate_limit_is_retried_because_nothing_ran()
    {
        GitHub.InjectFault("POST", DispatchPath, FakeFault.SecondaryRateLimit(retryAfterSeconds: 0));

        var result = await Client().CreateWorkflowDispatchAsync(Shop, null, "deploy.yml", "main", Inputs);

        Assert.NotNull(result.RunId);
        Assert.Equal(2, Attempts("POST", DispatchPath));
        Assert.Single(Repo.Dispatches);
    }

    [Fact]
    public async Task Lists_runs_of_a_workflow_with_filters_newest_first()
    {
        var since = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        Repo.AddRun(new FakeRun(1, "deploy.yml", Sha, since.AddHours(-1), "workflow_dispatch"));
        Repo.AddRun(new FakeRun(2, "deploy.yml", Sha, since.AddMinutes(5), "workflow_dispatch", DisplayTitle: $"Deploy {Sha}"));
        Repo.AddRun(new FakeRun(3, "deploy.yml", Sha, since.AddMinutes(9), "workflow_dispatch", Status: "in_progress", Conclusion: null, RunAttempt: 2));
        Repo.AddRun(new FakeRun(4, "deploy.yml", Sha, since.AddMinutes(7), "push"));
        Repo.AddRun(new FakeRun(5, "verify.yml", Sha, since.AddMinutes(7), "workflow_dispatch"));

        var runs = await Client().ListWorkflowRunsAsync(Shop, InstallationId, "deploy.yml",
            @event: "workflow_dispatch", createdSince: since, headSha: Sha, perPage: 50);

        var request = Assert.Single(GitHub.Requests);
        Assert.Equal("/repos/acme/shop/actions/workflows/deploy.yml/runs", request.Path);
        Assert.Equal("workflow_dispatch", request.Query("event"));
        Assert.Equal(">=2026-03-01T12:00:00Z", request.Query("created"));
        Assert.Equal(Sha, request.Query("head_sha"));
        Assert.Equal("50", request.Query("per_page"));

        Assert.Equal([3L, 2L], runs.Select(r => r.Id));
        var running = runs[0];
        Assert.Equal("in_progress", running.Status);
        Assert.Null(running.Conclusion);
        Assert.Equal(2, running.RunAttempt);
        Assert.Equal(".github/workflows/deploy.yml", running.Path);
        Assert.Equal("workflow_dispatch", running.Event);
        Assert.Equal("main", running.HeadBranch);
        Assert.Equal(since.AddMinutes(9), running.CreatedAt);
        Assert.Equal($"Deploy {Sha}", runs[1].DisplayTitle);
    }

    [Fact]
    public async Task Gets_one_run_by_id()
    {
        var created = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        Repo.AddRun(new FakeRun(77, "deploy.yml", Sha, created, "workflow_dispatch", Name: "Deploy", DisplayTitle: $"Deploy {Sha}",
            Conclusion: "failure"));

        var run = await Client().GetWorkflowRunAsync(Shop, InstallationId, 77);

        Assert.Equal("/repos/acme/shop/actions/runs/77", Assert.Single(GitHub.Requests).Path);
        Assert.Equal(new WorkflowRun(77, "Deploy", $"Deploy {Sha}", Sha, "main", "completed", "failure",
            "https://github.com/acme/shop/actions/runs/77", ".github/workflows/deploy.yml", "workflow_dispatch", 1, created), run);
    }
}
