using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.GitHub.Api;

namespace ReleaseGovernor.IntegrationTests.GitHub;

/// <summary>Starts a fresh <see cref="FakeGitHub"/> per test and builds clients pointed at it with fast retries.</summary>
public abstract class GitHubTestBase : IAsyncLifetime
{
    protected static readonly RepoRef Shop = new("acme", "shop");
    protected const string Sha = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    protected const string BaseSha = "1111111111111111111111111111111111111111";
    protected const long InstallationId = 42;

    /// <summary>One connection pool for every test's transport, as <c>IHttpClientFactory</c> would hand out.</summary>
    private static readonly SocketsHttpHandler Handler = new();

    protected FakeGitHub GitHub { get; private set; } = null!;

    protected FakeRepo Repo => GitHub.Repo(Shop.Owner, Shop.Name);

    protected virtual FakeGitHubOptions FakeOptions => new();

    public async Task InitializeAsync()
    {
        GitHub = await FakeGitHub.StartAsync(FakeOptions);
        await SeedAsync();
    }

    /// <summary>Test data every test of the class needs.</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await GitHub.DisposeAsync();

    /// <summary>Token mode, retry delays of a few milliseconds, 5 s per attempt.</summary>
    protected GitHubOptions Options(Action<GitHubOptions>? configure = null)
    {
        var options = new GitHubOptions
        {
            ApiBaseUrl = GitHub.BaseUrl,
            Token = GitHub.Token,
            MaxRetries = 4,
            BaseDelay = TimeSpan.FromMilliseconds(1),
            MaxDelay = TimeSpan.FromMilliseconds(5),
            Timeout = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(options);
        return options;
    }

    protected static GitHubTransport Transport(GitHubOptions options, TimeProvider? retryClock = null,
        Microsoft.Extensions.Logging.ILogger<GitHubTransport>? logger = null) =>
        new(Handler, options, retryClock, logger);

    protected GitHubClient Client(Action<GitHubOptions>? configure = null, TimeProvider? retryClock = null)
    {
        var options = Options(configure);
        return new GitHubClient(Transport(options, retryClock), new StaticTokenSource(options.Token!));
    }

    /// <summary>Requests to <paramref name="path"/> with <paramref name="method"/> (each attempt counts).</summary>
    protected int Attempts(string method, string path) => GitHub.RequestsTo(method, path).Count;
}
