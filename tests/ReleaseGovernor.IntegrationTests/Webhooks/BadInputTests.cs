using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Webhooks;

/// <summary>Every refused request gets its own status and a sentence saying what to fix, and stores nothing.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private readonly GovernorApp _app = new();
    private readonly byte[] _push = Fixtures.Read("push/octokit-with-new-branch.json");

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        await _app.WaitReadyAsync();
    }

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task A_missing_signature_is_401()
    {
        var response = await _app.PostAsync("push", _push, sign: false);
        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "X-Hub-Signature-256 header is missing");
    }

    [Fact]
    public async Task A_signature_made_with_another_secret_is_401()
    {
        var response = await _app.PostAsync("push", _push, signature: SignedDelivery.Sign(_push, "another-secret"));
        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "does not match");
    }

    [Fact]
    public async Task A_signature_over_other_bytes_is_401()
    {
        var tampered = _push.Append((byte)' ').ToArray();
        var response = await _app.PostAsync("push", tampered, signature: SignedDelivery.Sign(_push));
        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "does not match");
    }

    [Fact]
    public async Task A_malformed_signature_header_is_401()
    {
        var response = await _app.PostAsync("push", _push, signature: "sha1=abc");
        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "64 hex digits");
    }

    [Fact]
    public async Task A_form_encoded_delivery_is_415()
    {
        var response = await _app.PostAsync("push", _push, contentType: "application/x-www-form-urlencoded");
        await AssertRefusedAsync(response, HttpStatusCode.UnsupportedMediaType, "application/json");
    }

    [Fact]
    public async Task Malformed_json_is_400()
    {
        var body = Encoding.UTF8.GetBytes("{\"ref\": \"refs/heads/main\", ");
        var response = await _app.PostAsync("push", body);
        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "not usable");
    }

    [Fact]
    public async Task A_missing_required_field_is_400_naming_it()
    {
        var json = JsonNode.Parse(Fixtures.Read("workflow_run/octokit-completed.json"))!;
        json["workflow_run"]!.AsObject().Remove("head_sha");
        var response = await _app.PostAsync("workflow_run", Encoding.UTF8.GetBytes(json.ToJsonString()));

        var answer = await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "workflow_run.head_sha");
        Assert.Equal("workflow_run.head_sha", (string?)answer["detail"]!["field"]);
    }

    [Fact]
    public async Task A_field_of_the_wrong_type_is_400_naming_it()
    {
        var json = JsonNode.Parse(Fixtures.Read("workflow_run/octokit-completed.json"))!;
        json["workflow_run"]!["id"] = "not-a-number";
        var response = await _app.PostAsync("workflow_run", Encoding.UTF8.GetBytes(json.ToJsonString()));

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "workflow_run.id");
    }

    [Fact]
    public async Task A_labelled_pull_request_whose_head_is_not_a_commit_sha_is_400_naming_the_field()
    {
        var body = Deliveries.Labeled("acme/widgets", 7, "release:approved", by: "lead", author: "dev", headSha: "main");
        var response = await _app.PostAsync("pull_request", body);

        var answer = await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "pull_request.head.sha");
        Assert.Equal("pull_request.head.sha", (string?)answer["detail"]!["field"]);
    }

    [Fact]
    public async Task A_sha_sent_in_capitals_is_stored_in_its_one_lower_case_spelling()
    {
        const string before = "ABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCD";
        const string after = "0123456789ABCDEF0123456789ABCDEF01234567";
        var response = await _app.PostAsync("push", Deliveries.Push("acme/widgets", before, after));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await _app.CountAsync(
            $"SELECT count(*) FROM mt_events WHERE data->>'after' = '{after.ToLowerInvariant()}' AND data->>'before' = '{before.ToLowerInvariant()}'"));
    }

    [Fact]
    public async Task A_missing_repository_is_400_naming_it()
    {
        var json = JsonNode.Parse(_push)!;
        json.AsObject().Remove("repository");
        var response = await _app.PostAsync("push", Encoding.UTF8.GetBytes(json.ToJsonString()));

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "repository");
    }

    [Fact]
    public async Task A_body_over_25_megabytes_is_413()
    {
        var body = new byte[25 * 1024 * 1024 + 10];
        Array.Fill(body, (byte)' ');
        var response = await _app.PostAsync("push", body);
        await AssertRefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, "25 MB");
    }

    [Fact]
    public async Task A_missing_event_header_is_400()
    {
        var response = await _app.PostAsync("", _push);
        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "X-GitHub-Event");
    }

    private async Task<JsonNode> AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string says)
    {
        Assert.Equal(status, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains(says, (string?)answer["message"]);
        Assert.Equal(0, await _app.CountAsync("SELECT count(*) FROM mt_events"));
        Assert.Equal(0, await _app.CountAsync("SELECT count(*) FROM rg_deliveries"));
        Assert.Equal(0, await _app.CountAsync("SELECT count(*) FROM rg_outbox"));
        return answer;
    }
}
