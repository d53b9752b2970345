using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Reliability;

/// <summary>
/// Thousands of generated bad requests: random bytes, truncated and deeply nested JSON, wrong types, huge strings,
/// invalid UTF-8, bad or absent headers. Never a 5xx while the database is up, never a stored event, and the server
/// still works afterwards.
/// </summary>
public sealed class BadInputFuzzTests : IAsyncLifetime
{
    private readonly GovernorApp _app = new();
    private readonly Random _random = new(20261121);
    private readonly string[] _fixtures = ["push/octokit-with-new-branch.json", "workflow_run/octokit-completed.json", "pull_request/octokit-labeled.json",
        "issue_comment/octokit-created.json", "installation/octokit-created.json"];

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        await _app.WaitReadyAsync();
    }

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Three_thousand_bad_requests_get_4xx_store_nothing_and_leave_the_server_healthy()
    {
        var statuses = new List<(string Kind, int Status, string Body)>();
        var requests = Enumerable.Range(0, 3000).Select(i => Generate(i)).ToList();
        foreach (var batch in requests.Chunk(50))
        {
            var answers = await Task.WhenAll(batch.Select(async r =>
            {
                var response = await _app.PostAsync(r.Event, r.Body, signature: r.Signature, contentType: r.ContentType, sign: r.Signature is not null);
                return (r.Kind, (int)response.StatusCode, await response.Content.ReadAsStringAsync());
            }));
            statuses.AddRange(answers);
        }

        var serverErrors = statuses.Where(s => s.Status >= 500).ToList();
        Assert.True(serverErrors.Count == 0, $"{serverErrors.Count} 5xx answers, first: {serverErrors.FirstOrDefault()}");
        Assert.All(statuses, s => Assert.True(s.Status is >= 400 and < 500 or 202, $"{s.Kind} answered {s.Status}: {s.Body}"));
        Assert.Equal(0, await _app.CountAsync("SELECT count(*) FROM mt_events"));
        Assert.Equal(0, await _app.CountAsync("SELECT count(*) FROM rg_deliveries"));
        Assert.Equal(HttpStatusCode.OK, (await _app.Client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _app.Client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _app.PostFixtureAsync("push/octokit-with-new-branch.json")).StatusCode);
    }

    private sealed record Request(string Kind, string Event, byte[] Body, string? Signature, string ContentType);

    private Request Generate(int i)
    {
        var fixture = _fixtures[i % _fixtures.Length];
        var gitHubEvent = fixture.Split('/')[0];
        return (i % 10) switch
        {
            0 => Signed("random bytes", gitHubEvent, RandomBytes(_random.Next(0, 4096))),
            1 => Signed("truncated json", gitHubEvent, Truncate(Fixtures.Read(fixture))),
            2 => Signed("deeply nested json", gitHubEvent, Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000))),
            3 => Signed("wrong types", gitHubEvent, WrongTypes(fixture)),
            4 => Signed("huge strings", gitHubEvent, HugeStrings(fixture)),
            5 => Signed("invalid utf-8", gitHubEvent, [.. Encoding.UTF8.GetBytes("{\"ref\":\""), 0xC3, 0x28, 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("\"}")]),
            6 => new Request("bad signature", gitHubEvent, Fixtures.Read(fixture), "sha256=" + Convert.ToHexStringLower(RandomBytes(32)), "application/json"),
            7 => new Request("absent signature", gitHubEvent, Fixtures.Read(fixture), null, "application/json"),
            8 => Signed("wrong content type", gitHubEvent, Fixtures.Read(fixture)) with { ContentType = _random.Next(2) == 0 ? "text/plain" : "application/x-www-form-urlencoded" },
            _ => Signed("odd unicode and json null", gitHubEvent, Encoding.UTF8.GetBytes(_random.Next(2) == 0 ? "null" : "{\"repository\":{\"full_name\":\"\u202e\u0000\ud83d\ude00/\uffff\"}}")),
        };
    }

    private static Request Signed(string kind, string gitHubEvent, byte[] body) => new(kind, gitHubEvent, body, SignedDelivery.Sign(body), "application/json");

    private byte[] RandomBytes(int n)
    {
        var bytes = new byte[n];
        _random.NextBytes(bytes);
        return bytes;
    }

    private byte[] Truncate(byte[] body) => body[.._random.Next(1, body.Length - 1)];

    /// <summary>A required member replaced by a value of another type.</summary>
    private byte[] WrongTypes(string fixture)
    {
        var json = JsonNode.Parse(Fixtures.Read(fixture))!.AsObject();
        JsonNode? odd = _random.Next(4) switch { 0 => 12345, 1 => new JsonArray(1, 2), 2 => true, _ => null };
        switch (fixture.Split('/')[0])
        {
            case "push": json["after"] = odd?.DeepClone() ?? JsonValue.Create(3.5); json["ref"] = new JsonObject(); break;
            case "workflow_run": json["workflow_run"]!["id"] = "not-a-number"; json["workflow_run"]!["head_sha"] = odd?.DeepClone(); break;
            case "pull_request": json["pull_request"]!["number"] = "seven"; break;
            case "issue_comment": json["comment"]!["body"] = new JsonArray(); break;
            default: json["installation"] = "x"; break;
        }
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    /// <summary>Megabyte strings where a sha or a name is expected.</summary>
    private byte[] HugeStrings(string fixture)
    {
        var json = JsonNode.Parse(Fixtures.Read(fixture))!.AsObject();
        var huge = new string('\u00e9', _random.Next(50_000, 300_000));
        switch (fixture.Split('/')[0])
        {
            case "push": json["repository"] = null; json["after"] = huge; break;
            case "workflow_run": json["workflow_run"]!["head_sha"] = huge; break;
            default: json.Remove("repository"); json["zen"] = huge; json.Remove("installation"); json.Remove("pull_request"); json.Remove("issue"); break;
        }
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }
}
