using ReleaseGovernor.GitHub.Api;

namespace ReleaseGovernor.IntegrationTests.GitHub;

public class ContentsTests : GitHubTestBase
{
    [Fact]
    public async Task Reads_a_file_at_a_ref_and_decodes_its_base64()
    {
        var yaml = "release_governor:\n  enabled: true\n  cooldown_minutes: 30\n" + new string('#', 200);
        Repo.SetFile(Sha, ".booty.yml", yaml);

        var content = await Client().GetFileContentAsync(Shop, InstallationId, ".booty.yml", Sha);

        Assert.Equal(yaml, content);
        var request = Assert.Single(GitHub.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/repos/acme/shop/contents/.booty.yml", request.Path);
        Assert.Equal(Sha, request.Query("ref"));
    }

    [Fact]
    public async Task Sends_GitHub_headers_on_every_call()
    {
        Repo.SetFile("main", "a.txt", "x");

        await Client().GetFileContentAsync(Shop, null, "a.txt", "main");

        var request = Assert.Single(GitHub.Requests);
        Assert.Equal("ReleaseGovernor", request.Header("User-Agent"));
        Assert.Equal("application/vnd.github+json", request.Header("Accept"));
        Assert.Equal("2022-11-28", request.Header("X-GitHub-Api-Version"));
        Assert.Equal($"Bearer {GitHub.Token}", request.Header("Authorization"));
        Assert.Null(request.Header(GitHubCallContext.HeaderName));
    }

    [Fact]
    public async Task Sends_the_correlation_id_of_the_current_scope()
    {
        Repo.SetFile("main", "a.txt", "x");
        var client = Client();

        using (GitHubCallContext.Begin("delivery-72d3162e"))
            await client.GetFileContentAsync(Shop, null, "a.txt", "main");
        await client.GetFileContentAsync(Shop, null, "a.txt", "main");

        Assert.Equal("delivery-72d3162e", GitHub.Requests[0].Header(GitHubCallContext.HeaderName));
        Assert.Null(GitHub.Requests[1].Header(GitHubCallContext.HeaderName));
    }

    [Fact]
    public async Task Returns_null_for_a_missing_file_without_retrying()
    {
        var content = await Client().GetFileContentAsync(Shop, null, ".booty.yml", Sha);

        Assert.Null(content);
        Assert.Equal(1, Attempts("GET", "/repos/acme/shop/contents/.booty.yml"));
    }

    [Fact]
    public async Task Escapes_path_segments_but_keeps_slashes()
    {
        Repo.SetFile("main", "deploy/my file#1.yml", "ok");

        var content = await Client().GetFileContentAsync(Shop, null, "deploy/my file#1.yml", "main");

        Assert.Equal("ok", content);
        Assert.Equal("/repos/acme/shop/contents/deploy/my file#1.yml", Assert.Single(GitHub.Requests).Path);
    }

    [Theory]
    [InlineData("/api/v3")]
    [InlineData("/api/v3/")]
    public async Task Keeps_the_path_of_a_GitHub_Enterprise_base_address(string apiRoot)
    {
        var content = await Client(o => o.ApiBaseUrl = GitHub.BaseUrl + apiRoot).GetFileContentAsync(Shop, null, "a.txt", "main");

        Assert.Null(content); // the fake serves nothing under /api/v3: 404
        var request = Assert.Single(GitHub.Requests);
        Assert.Equal("/api/v3/repos/acme/shop/contents/a.txt", request.Path);
        Assert.Equal("main", request.Query("ref"));
    }

    [Fact]
    public async Task A_bad_token_is_a_401_that_names_the_settings()
    {
        var client = new GitHubClient(Transport(Options()), new StaticTokenSource("wrong"));

        var error = await Assert.ThrowsAsync<GitHubApiException>(() => client.GetFileContentAsync(Shop, null, "a.txt", "main"));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal("Bad credentials", error.GitHubMessage);
        Assert.Contains("GitHub__Token", error.Message);
        Assert.False(error.IsRetryable);
        Assert.Equal(1, error.Attempts);
    }
}
