using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Npgsql;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Governor;

public sealed class ReleaseApiTests : IAsyncLifetime
{
    private const string A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string Token = "api-token";
    private readonly GovernorApp _app = new(settings: new() { ["ReleaseGovernor:ApiToken"] = Token });

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        await _app.WaitReadyAsync();
        await _app.Store.AppendAsync(StreamIds.Release(new RepoRef("octo-org", "web"), "production"), 0,
        [
            new DeployDispatchRequested(A, "deploy.yml", "main", new Dictionary<string, string> { ["sha"] = A }) { At = DateTimeOffset.UtcNow },
            new DeploySucceeded(A, 5, null) { At = DateTimeOffset.UtcNow },
        ], EventMetadata.ForCli("t"));
    }

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Serves_the_release_state_with_the_reference_field_names()
    {
        var json = JsonNode.Parse(await (await GetAsync("/api/repos/octo-org/web/release", Token)).Content.ReadAsStringAsync())!;

        Assert.Equal(A, (string?)json["production_sha_current"]);
        Assert.Equal("success", (string?)json["last_deploy_result"]);
        Assert.Equal("octo-org/web", (string?)json["repository"]);
    }

    [Fact]
    public async Task Needs_the_bearer_token_when_one_is_configured_and_says_so_in_www_authenticate()
    {
        var none = await GetAsync("/api/repos/octo-org/web/release", null);
        var wrong = await GetAsync("/api/repos/octo-org/web/release", "wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("Bearer", Assert.Single(none.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("Bearer", Assert.Single(wrong.Headers.WwwAuthenticate).Scheme);
        Assert.Contains("ReleaseGovernor__ApiToken", await none.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_repository_is_404_with_the_text_the_cli_prints_naming_close_ones()
    {
        var response = await GetAsync("/api/repos/octo-org/wbe/release", Token);
        var cli = await Booty.RunAsync(_app.ConnectionString, "governor", "status", "--repo", "octo-org/wbe", "--workspace", Booty.Workspace(null));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var message = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"];
        Assert.Contains("did you mean octo-org/web?", message);
        Assert.Equal(2, cli.ExitCode);
        Assert.Equal($"error: {message}", cli.Error.Trim());
    }

    [Fact]
    public async Task A_known_repository_without_release_history_gets_the_same_document_as_the_cli()
    {
        await _app.Store.AppendAsync(StreamIds.Repo(new RepoRef("octo-org", "api")), null,
            [new MainAdvanced("main", new string('0', 40), A, "octocat", 1, false) { At = DateTimeOffset.UtcNow }], EventMetadata.ForDelivery("d", "push", 5, "octocat"));

        var response = await GetAsync("/api/repos/Octo-Org/API/release", Token);
        var cli = await Booty.RunAsync(_app.ConnectionString, "governor", "status", "--repo", "octo-org/api", "--workspace", Booty.Workspace("release_governor:\n  enabled: true\n"), "--json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var api = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var local = JsonNode.Parse(cli.Out)!;
        Assert.Equal("octo-org/api", (string?)api["repository"]);
        Assert.Equal("pending", (string?)api["last_deploy_result"]);
        Assert.Null(api["production_sha_current"]);
        foreach (var field in new[] { "repository", "environment", "production_sha_current", "last_deploy_result", "last_decision", "in_flight", "hold", "version" })
            Assert.Equal(local[field]?.ToJsonString(), api[field]?.ToJsonString());
        Assert.Null(api["enabled"]);
        Assert.Contains("no decision recorded", (string?)api["enabled_from"]);
        Assert.Contains("fallback", (string?)local["enabled_from"]);
    }

    [Fact]
    public async Task Enabled_comes_from_the_last_decision_not_from_the_folder_the_cli_runs_in()
    {
        await _app.Store.AppendAsync(StreamIds.Release(new RepoRef("octo-org", "web"), "production"), null,
            [new DeployDecided(A, DecisionOutcome.Hold, ReasonCodes.Frozen, "x", null, [], null, []) { At = DateTimeOffset.UtcNow }], EventMetadata.ForCli("t"));

        var api = JsonNode.Parse(await (await GetAsync("/api/repos/octo-org/web/release", Token)).Content.ReadAsStringAsync())!;
        var cli = await Booty.RunAsync(_app.ConnectionString, "governor", "status", "--repo", "octo-org/web", "--workspace", Booty.Workspace(null));

        Assert.True((bool)api["enabled"]!);
        Assert.Contains("last decided sha aaaaaaa", (string?)api["enabled_from"]);
        Assert.Equal(0, cli.ExitCode);
        Assert.Contains("— enabled, from .booty.yml at the last decided sha aaaaaaa", cli.Out.Split('\n')[0]);
    }

    [Theory]
    [InlineData("/api/repos/octo-org/web/release?env=%00", "env")]
    [InlineData("/api/repos/octo-org/web/release?env=prod%2Feu", "env")]
    [InlineData("/api/repos/octo%20org/web/release", "repository")]
    public async Task A_bad_parameter_is_400_naming_it(string path, string field)
    {
        var response = await GetAsync(path, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["field"]);
    }

    [Fact]
    public async Task A_database_outage_is_503_with_retry_after()
    {
        var database = new NpgsqlConnectionStringBuilder(_app.ConnectionString).Database!;
        HttpResponseMessage during;
        await Outage.SetAllowConnectionsAsync(database, false);
        try
        {
            during = await GetAsync("/api/repos/octo-org/web/release", Token);
        }
        finally
        {
            await Outage.SetAllowConnectionsAsync(database, true);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.NotNull(during.Headers.RetryAfter);
        Assert.Contains("database is unavailable", await during.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/repos/octo-org/web/release", Token)).StatusCode);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _app.Client.SendAsync(request);
    }
}

/// <summary>The release API with neither a token nor AllowAnonymous: closed, with a 401 that says how to open it.</summary>
public sealed class ClosedReleaseApiTests : IAsyncLifetime
{
    private readonly GovernorApp _closed = new();
    private readonly GovernorApp _open = new(settings: new() { ["ReleaseGovernor:Api:AllowAnonymous"] = "true" });

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_closed.InitializeAsync(), _open.InitializeAsync());
        await Task.WhenAll(_closed.WaitReadyAsync(), _open.WaitReadyAsync());
        foreach (var app in new[] { _closed, _open })
            await app.Store.AppendAsync(StreamIds.Release(new RepoRef("octo-org", "web"), "production"), 0,
                [new HoldPlaced("x", "t", null) { At = DateTimeOffset.UtcNow }], EventMetadata.ForCli("t"));
    }

    public async Task DisposeAsync()
    {
        await _closed.DisposeAsync();
        await _open.DisposeAsync();
    }

    [Fact]
    public async Task Without_a_token_the_api_is_closed()
    {
        var response = await _closed.Client.GetAsync("/api/repos/octo-org/web/release");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("ReleaseGovernor__ApiToken", body);
        Assert.Contains("ReleaseGovernor__Api__AllowAnonymous=true", body);
        Assert.DoesNotContain("\"hold\"", body);
    }

    [Fact]
    public async Task Allow_anonymous_opens_it_explicitly()
    {
        var response = await _open.Client.GetAsync("/api/repos/octo-org/web/release");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

/// <summary>The token read from a file (a Docker or Kubernetes secret, a systemd credential), as the infra files set it.</summary>
public sealed class ReleaseApiTokenFileTests : IAsyncLifetime
{
    private static readonly string TokenFile = WriteToken();
    private readonly GovernorApp _app = new(settings: new() { ["ReleaseGovernor:ApiTokenFile"] = TokenFile });

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        await _app.WaitReadyAsync();
        await _app.Store.AppendAsync(StreamIds.Release(new RepoRef("octo-org", "web"), "production"), 0,
            [new HoldPlaced("x", "t", null) { At = DateTimeOffset.UtcNow }], EventMetadata.ForCli("t"));
    }

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task The_token_in_the_file_opens_the_api_and_nothing_else_does()
    {
        using var withToken = new HttpRequestMessage(HttpMethod.Get, "/api/repos/octo-org/web/release");
        withToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "from-the-file");

        Assert.Equal(HttpStatusCode.OK, (await _app.Client.SendAsync(withToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.Client.GetAsync("/api/repos/octo-org/web/release")).StatusCode);
    }

    private static string WriteToken()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rg-api-token-{Guid.NewGuid():N}");
        File.WriteAllText(path, "from-the-file\n");
        return path;
    }
}
