using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Governor;

public sealed class ReleaseApiTests : IAsyncLifetime
{
    private const string A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private readonly GovernorApp _app = new(settings: new() { ["ReleaseGovernor:ApiToken"] = "api-token" });

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
        var json = JsonNode.Parse(await (await GetAsync("/api/repos/octo-org/web/release", "api-token")).Content.ReadAsStringAsync())!;

        Assert.Equal(A, (string?)json["production_sha_current"]);
        Assert.Equal("success", (string?)json["last_deploy_result"]);
        Assert.Equal("octo-org/web", (string?)json["repository"]);
    }

    [Fact]
    public async Task Needs_the_bearer_token_when_one_is_configured()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/api/repos/octo-org/web/release", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/api/repos/octo-org/web/release", "wrong")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_repository_is_404_saying_what_to_check()
    {
        var response = await GetAsync("/api/repos/nobody/nothing/release", "api-token");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(".booty.yml", await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _app.Client.SendAsync(request);
    }
}
