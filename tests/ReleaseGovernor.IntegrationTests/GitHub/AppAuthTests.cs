using System.Security.Cryptography;
using ReleaseGovernor.GitHub.Api;

namespace ReleaseGovernor.IntegrationTests.GitHub;

public class AppAuthTests : GitHubTestBase
{
    private const string TokenPath = "/app/installations/42/access_tokens";
    private readonly FakeClock _clock = new();
    private readonly List<string> _logs = [];

    protected override FakeGitHubOptions FakeOptions => new() { TimeProvider = _clock };

    protected override Task SeedAsync()
    {
        Repo.SetFile("main", ".booty.yml", "release_governor: {}");
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Gets_an_installation_token_with_a_valid_app_jwt_and_uses_it()
    {
        var (client, _) = AppClient();

        await client.GetFileContentAsync(Shop, InstallationId, ".booty.yml", "main");

        var requests = GitHub.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[0].Is("POST", TokenPath));
        var jwt = Assert.Single(GitHub.Auth.AcceptedJwts);
        Assert.Equal(GitHub.AppId, jwt.Issuer);
        Assert.Equal("RS256", jwt.Algorithm);
        Assert.Equal(_clock.GetUtcNow().AddSeconds(-60), jwt.IssuedAt);
        Assert.Equal(_clock.GetUtcNow().AddMinutes(9), jwt.ExpiresAt);
        var token = Assert.Single(GitHub.Auth.IssuedTokens);
        Assert.Equal($"Bearer {token.Token}", requests[1].Header("Authorization"));
    }

    [Fact]
    public async Task Reuses_the_token_for_the_same_installation()
    {
        var (client, _) = AppClient();

        await client.GetFileContentAsync(Shop, InstallationId, ".booty.yml", "main");
        await client.GetFileContentAsync(Shop, InstallationId, ".booty.yml", "main");

        Assert.Equal(1, Attempts("POST", TokenPath));
        Assert.Equal(3, GitHub.Requests.Count);
    }

    [Fact]
    public async Task Refreshes_the_token_five_minutes_before_it_expires()
    {
        var (_, tokens) = AppClient();
        var first = await tokens.GetTokenAsync(InstallationId, default);

        _clock.Advance(TimeSpan.FromMinutes(54));
        Assert.Equal(first, await tokens.GetTokenAsync(InstallationId, default));

        _clock.Advance(TimeSpan.FromMinutes(1));
        var second = await tokens.GetTokenAsync(InstallationId, default);

        Assert.NotEqual(first, second);
        Assert.Equal(2, Attempts("POST", TokenPath));
    }

    [Fact]
    public async Task Keeps_one_token_per_installation()
    {
        var (_, tokens) = AppClient();

        var a = await tokens.GetTokenAsync(42, default);
        var b = await tokens.GetTokenAsync(43, default);

        Assert.NotEqual(a, b);
        Assert.Equal(1, Attempts("POST", "/app/installations/43/access_tokens"));
    }

    [Fact]
    public async Task Concurrent_callers_share_one_token_request()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        GitHub.InjectFault("POST", TokenPath, FakeFault.Hold(release.Task));
        var (_, tokens) = AppClient();

        var calls = Enumerable.Range(0, 5).Select(_ => tokens.GetTokenAsync(InstallationId, default)).ToArray();
        await GitHub.WaitForRequestAsync(r => r.Is("POST", TokenPath));
        release.SetResult();
        var results = await Task.WhenAll(calls);

        Assert.Single(results.Distinct());
        Assert.Equal(1, Attempts("POST", TokenPath));
    }

    [Fact]
    public async Task A_failed_token_request_is_not_cached()
    {
        GitHub.InjectFault("POST", TokenPath, FakeFault.Status(404, "Not Found"));
        var (_, tokens) = AppClient();

        var error = await Assert.ThrowsAsync<GitHubApiException>(() => tokens.GetTokenAsync(InstallationId, default));
        var token = await tokens.GetTokenAsync(InstallationId, default);

        Assert.Equal(TokenPath, error.Path);
        Assert.Equal(token, Assert.Single(GitHub.Auth.IssuedTokens).Token);
    }

    [Fact]
    public async Task A_jwt_signed_with_another_key_is_refused_with_a_hint()
    {
        using var otherKey = RSA.Create(2048);
        var (_, tokens) = AppClient(o => o.PrivateKeyPem = otherKey.ExportRSAPrivateKeyPem());

        var error = await Assert.ThrowsAsync<GitHubApiException>(() => tokens.GetTokenAsync(InstallationId, default));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains("GitHub__PrivateKeyPath", error.Message);
    }

    [Fact]
    public async Task Never_logs_a_token()
    {
        GitHub.InjectFault("POST", TokenPath, FakeFault.Status(500));
        GitHub.InjectFault("GET", "/repos/acme/shop/contents/*", FakeFault.Status(502));
        var (client, _) = AppClient();

        await client.GetFileContentAsync(Shop, InstallationId, ".booty.yml", "main");

        var token = Assert.Single(GitHub.Auth.IssuedTokens).Token;
        Assert.NotEmpty(_logs);
        Assert.DoesNotContain(_logs, line => line.Contains(token) || line.Contains("Bearer") || line.Contains("eyJ"));
    }

    private (GitHubClient Client, IGitHubTokenSource Tokens) AppClient(Action<GitHubOptions>? configure = null)
    {
        var options = Options(o =>
        {
            o.Token = null;
            o.AppId = GitHub.AppId;
            o.PrivateKeyPem = TestAppKey.PrivateKeyPem;
            configure?.Invoke(o);
        });
        var transport = Transport(options, logger: new ListLogger<GitHubTransport>(_logs));
        var tokens = new AppInstallationTokenSource(AppJwtFactory.FromOptions(options), transport, _clock,
            new ListLogger<AppInstallationTokenSource>(_logs));
        return (new GitHubClient(transport, tokens, new ListLogger<GitHubClient>(_logs)), tokens);
    }
}
