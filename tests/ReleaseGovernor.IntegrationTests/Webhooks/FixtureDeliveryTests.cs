using System.Net;
using System.Text.Json.Nodes;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Webhooks;

/// <summary>Every real payload in the shared fixtures, signed and POSTed to the real endpoint.</summary>
public sealed class FixtureDeliveryTests : IAsyncLifetime
{
    private readonly GovernorApp _app = new();

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        await _app.WaitReadyAsync();
    }

    public Task DisposeAsync() => _app.DisposeAsync();

    /// <summary>fixture → (status, outcome, event types stored, delivery recorded).</summary>
    public static TheoryData<string, int, string, string[], bool> Expected => new()
    {
        { "push/octokit-payload.json", 200, "acknowledged", [], true },
        { "push/octokit-with-organization.json", 200, "acknowledged", [], true },
        { "push/probot-branch-update.json", 200, "acknowledged", [], true },
        { "push/octokit-with-new-branch.json", 200, "stored", ["main_advanced"], true },
        { "workflow_run/octokit-requested.json", 200, "stored", ["workflow_run_received"], true },
        { "workflow_run/octokit-completed.json", 200, "stored", ["workflow_run_received"], true },
        { "workflow_run/pkgprnew-in_progress.json", 200, "stored", ["workflow_run_received"], true },
        { "workflow_run/pkgprnew-requested-pull_request.json", 200, "stored", ["workflow_run_received"], true },
        { "workflow_run/hub4j-completed-workflow_dispatch.json", 200, "stored", ["workflow_run_received"], true },
        { "workflow_run/hub4j-completed-pull_request.json", 200, "stored", ["workflow_run_received"], true },
        { "pull_request/octokit-labeled.json", 200, "stored", ["pull_request_labeled"], true },
        { "pull_request/octokit-opened.json", 202, "ignored", [], false },
        { "pull_request/octokit-opened.with-null-body.json", 202, "ignored", [], false },
        { "pull_request/octokit-closed.json", 202, "ignored", [], false },
        { "pull_request/octokit-unlabeled.json", 200, "stored", ["pull_request_unlabeled"], true },
        { "pull_request/octokit-synchronize.json", 200, "stored", ["pull_request_synchronized"], true },
        { "issue_comment/octokit-created.json", 200, "stored", ["issue_comment_created"], true },
        { "issue_comment/octokit-created.with-installation.json", 200, "stored", ["issue_comment_created"], true },
        { "issue_comment/octokit-edited.json", 200, "stored", ["issue_comment_changed"], true },
        { "issue_comment/octokit-deleted.json", 200, "stored", ["issue_comment_changed"], true },
        { "ping/octokit-payload.json", 200, "stored", ["webhook_pinged"], true },
        { "ping/octokit-with-app_id.json", 200, "stored", ["webhook_pinged"], true },
        { "installation/octokit-created.json", 200, "stored", ["installation_changed"], true },
        { "installation/octokit-deleted.json", 200, "stored", ["installation_changed"], true },
        { "check_run/octokit-completed.json", 202, "ignored", [], false },
        { "check_run/octokit-completed.with-organization.json", 202, "ignored", [], false },
        { "check_suite/octokit-completed.json", 202, "ignored", [], false },
        { "check_suite/octokit-completed.with-organization.json", 202, "ignored", [], false },
        { "deployment_status/octokit-payload.json", 202, "ignored", [], false },
        { "deployment_status/octokit-gh-pages.json", 202, "ignored", [], false },
        { "star/octokit-created.json", 202, "ignored", [], false },
        { "workflow_job/octokit-completed.success.with-organization.json", 202, "ignored", [], false },
    };

    [Fact]
    public void Every_fixture_has_an_expectation()
    {
        var covered = Expected.Select(row => (string)row[0]).ToHashSet();
        Assert.DoesNotContain(Fixtures.All(), f => !covered.Contains(f));
    }

    [Theory]
    [MemberData(nameof(Expected))]
    public async Task A_signed_fixture_is_stored_or_ignored_as_documented(string fixture, int status, string outcome, string[] types, bool recorded)
    {
        var delivery = Guid.NewGuid().ToString();
        var response = await _app.PostFixtureAsync(fixture, delivery);

        Assert.Equal(status, (int)response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(outcome, (string?)answer["status"]);
        Assert.Equal(types, await _app.EventTypesAsync());
        Assert.Equal(recorded ? 1 : 0, await _app.CountAsync($"SELECT count(*) FROM rg_deliveries WHERE delivery_id = '{delivery}'"));
    }

    [Fact]
    public async Task A_push_to_the_default_branch_records_who_moved_it_where()
    {
        var delivery = Guid.NewGuid().ToString();
        await _app.PostFixtureAsync("push/octokit-with-new-branch.json", delivery);

        var stream = await _app.Store.ReadStreamAsync("repo/codertocat/hello-world");
        var pushed = Assert.IsType<ReleaseGovernor.Core.Events.MainAdvanced>(Assert.Single(stream).Data);
        Assert.Equal("master", pushed.Branch);
        Assert.Equal(new string('0', 40), pushed.Before);
        Assert.Equal("6113728f27ae82c7b1a177c8d03f9e96e0adf246", pushed.After);
        Assert.Equal(delivery, stream[0].Metadata.DeliveryId);
        Assert.Equal("push", stream[0].Metadata.GitHubEvent);
    }

    [Fact]
    public async Task A_workflow_run_without_path_or_attempt_is_stored_with_the_workflow_path_from_the_payload()
    {
        await _app.PostFixtureAsync("workflow_run/hub4j-completed-workflow_dispatch.json");

        var stream = await _app.Store.ReadStreamAsync("repo/gsmet/quarkus-bot-java-playground");
        var run = Assert.IsType<ReleaseGovernor.Core.Events.WorkflowRunReceived>(Assert.Single(stream).Data);
        Assert.Equal(".github/workflows/main.yml", run.WorkflowPath);
        Assert.Null(run.RunAttempt);
        Assert.Equal("completed", run.Action);
        Assert.Equal("success", run.Conclusion);
    }

    [Theory]
    [InlineData("workflow_run/octokit-completed.json", "workflow_run", "resumed")]
    [InlineData("workflow_run/octokit-completed.json", "workflow_run", null)]
    [InlineData("installation/octokit-created.json", "installation", "transferred")]
    public async Task A_run_or_installation_with_an_action_github_does_not_document_is_ignored(string fixture, string gitHubEvent, string? action)
    {
        var json = JsonNode.Parse(Fixtures.Read(fixture))!.AsObject();
        if (action is null) json.Remove("action");
        else json["action"] = action;

        var response = await _app.PostAsync(gitHubEvent, System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("ignored", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]);
        Assert.Empty(await _app.EventTypesAsync());
    }

    [Fact]
    public async Task The_same_delivery_posted_fifty_times_at_once_stores_one_set_of_events()
    {
        var delivery = Guid.NewGuid().ToString();
        var body = Fixtures.Read("workflow_run/octokit-completed.json");

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => _app.PostAsync("workflow_run", body, delivery)));
        var outcomes = await Task.WhenAll(responses.Select(async r => (string?)JsonNode.Parse(await r.Content.ReadAsStringAsync())!["status"]));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(outcomes, o => o == "stored");
        Assert.Equal(49, outcomes.Count(o => o == "duplicate"));
        Assert.Equal(["workflow_run_received"], await _app.EventTypesAsync());
        Assert.Equal(1, await _app.CountAsync("SELECT count(*) FROM rg_outbox"));
    }
}
