using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Webhooks;

/// <summary>
/// Signed payloads that can never be stored or used: a 400 naming the field and saying what is expected, in words,
/// never a 5xx (redelivering cannot help) and never a .NET type name; nothing stored; nothing raw in the log.
/// </summary>
public sealed class PayloadProblemTests : IAsyncLifetime
{
    private readonly LogCapture _logs = new();
    private readonly GovernorApp _app;

    public PayloadProblemTests() => _app = new GovernorApp(services: s => s.AddSingleton<ILoggerProvider>(_logs));

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        await _app.WaitReadyAsync();
    }

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task A_nul_character_in_a_comment_body_is_400_naming_the_field()
    {
        var json = JsonNode.Parse(Deliveries.Commented("octo-org/web", 7, "x", "alice", "MEMBER", "bob"))!;
        json["comment"]!["body"] = "hello\u0000world";

        var answer = await AssertBadAsync("issue_comment", json, "comment.body");

        Assert.Contains("NUL", (string?)answer["message"]);
    }

    [Fact]
    public async Task A_nul_character_in_the_repository_name_is_400_and_never_reaches_the_log_raw()
    {
        var json = JsonNode.Parse(Deliveries.Push("octo-org/web", new string('0', 40), new string('a', 40)))!;
        json["repository"]!["full_name"] = "octo-org/we\u0000b";

        await AssertBadAsync("push", json, "repository.full_name");

        Assert.DoesNotContain(_logs.Lines, l => l.Contains('\0'));
    }

    [Theory]
    [InlineData("a b/c")]
    [InlineData("a/b/c")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("octo-org/web\u202e")]
    public async Task A_repository_name_that_is_not_owner_slash_name_says_so(string fullName)
    {
        var json = JsonNode.Parse(Deliveries.Push("octo-org/web", new string('0', 40), new string('a', 40)))!;
        json["repository"]!["full_name"] = fullName;

        var answer = await AssertBadAsync("push", json, "repository.full_name");

        Assert.Contains("repository.full_name must be owner/name", (string?)answer["message"]);
        Assert.DoesNotContain("missing", (string?)answer["message"]);
    }

    [Fact]
    public async Task A_field_of_the_wrong_type_says_what_is_expected_without_type_names()
    {
        var json = JsonNode.Parse(Fixtures.Read("workflow_run/octokit-completed.json"))!;
        json["workflow_run"]!["id"] = "not-a-number";

        var answer = await AssertBadAsync("workflow_run", json, "workflow_run.id");

        Assert.Contains("workflow_run.id must be a whole number, got a string", (string?)answer["message"]);
    }

    [Fact]
    public async Task An_object_where_a_number_belongs_and_a_number_where_an_object_belongs_are_named()
    {
        var json = JsonNode.Parse(Fixtures.Read("workflow_run/octokit-completed.json"))!;
        json["workflow_run"] = 5;

        var answer = await AssertBadAsync("workflow_run", json, "workflow_run");

        Assert.Contains("workflow_run must be an object, got a number", (string?)answer["message"]);
    }

    [Fact]
    public async Task A_missing_required_field_is_named_in_words()
    {
        var json = JsonNode.Parse(Fixtures.Read("issue_comment/octokit-created.json"))!;
        json["comment"]!.AsObject().Remove("body");

        var answer = await AssertBadAsync("issue_comment", json, "comment.body");

        Assert.Contains("comment.body is required and missing", (string?)answer["message"]);
    }

    [Fact]
    public async Task A_null_where_text_is_required_is_named()
    {
        var json = JsonNode.Parse(Fixtures.Read("workflow_run/octokit-completed.json"))!;
        json["workflow_run"]!["head_sha"] = null;

        var answer = await AssertBadAsync("workflow_run", json, "workflow_run.head_sha");

        Assert.Contains("must be a string, got null", (string?)answer["message"]);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData(99999999999999999L)]
    public async Task A_date_that_cannot_be_read_in_a_member_the_governor_does_not_use_is_400_naming_it(object value)
    {
        var json = JsonNode.Parse(Fixtures.Read("workflow_run/octokit-completed.json"))!;
        json["workflow_run"]!["created_at"] = JsonValue.Create(value);

        var answer = await AssertBadAsync("workflow_run", json, "workflow_run.created_at");

        Assert.Contains("workflow_run.created_at must be a date and time", (string?)answer["message"]);
    }

    [Fact]
    public async Task A_number_where_the_author_association_belongs_says_a_string_is_expected()
    {
        var json = JsonNode.Parse(Fixtures.Read("issue_comment/octokit-created.json"))!;
        json["comment"]!["author_association"] = 3;

        var answer = await AssertBadAsync("issue_comment", json, "comment.author_association");

        Assert.Contains("comment.author_association must be a string, got a number", (string?)answer["message"]);
    }

    [Fact]
    public async Task An_action_that_is_not_text_is_named()
    {
        var json = JsonNode.Parse(Fixtures.Read("pull_request/octokit-labeled.json"))!;
        json["action"] = 5;

        var answer = await AssertBadAsync("pull_request", json, "action");

        Assert.Contains("action must be a string, got a number", (string?)answer["message"]);
    }

    [Theory]
    [InlineData("after", "")]
    [InlineData("after", "not-a-sha")]
    [InlineData("before", "")]
    public async Task A_push_whose_before_or_after_is_not_a_sha_is_400(string field, string value)
    {
        var json = JsonNode.Parse(Deliveries.Push("octo-org/web", new string('0', 40), new string('a', 40)))!;
        json[field] = value;

        var answer = await AssertBadAsync("push", json, field);

        Assert.Contains($"{field} must be a 40-character hex sha", (string?)answer["message"]);
    }

    private async Task<JsonNode> AssertBadAsync(string gitHubEvent, JsonNode json, string field)
    {
        var response = await _app.PostAsync(gitHubEvent, Encoding.UTF8.GetBytes(json.ToJsonString()));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        var answer = JsonNode.Parse(text)!;
        Assert.Equal(field, (string?)answer["detail"]!["field"]);
        Assert.DoesNotContain("ReleaseGovernor.", text);
        Assert.DoesNotContain("System.", text);
        Assert.Equal(0, await _app.CountAsync("SELECT count(*) FROM mt_events"));
        Assert.Equal(0, await _app.CountAsync("SELECT count(*) FROM rg_deliveries"));
        return answer;
    }
}
