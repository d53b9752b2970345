using System.Net;
using ReleaseGovernor.GitHub.Api;

namespace ReleaseGovernor.IntegrationTests.GitHub;

public class RetryTests : GitHubTestBase
{
    private const string ComparePath = $"/repos/acme/shop/compare/{BaseSha}...{Sha}";

    protected override Task SeedAsync()
    {
        Repo.SetCompare(BaseSha, Sha, new FakeCompare("ahead", 1, 0, [new("src/app.cs")]));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Retries_server_errors_until_success()
    {
        GitHub.InjectFault("GET", ComparePath, FakeFault.Status(500), times: 2);

        var result = await Compare();

        Assert.Equal("ahead", result.Status);
        Assert.Equal(3, Attempts("GET", ComparePath));
    }

    [Fact]
    public async Task Gives_up_on_server_errors_after_the_retry_bound()
    {
        GitHub.InjectFault("GET", ComparePath, FakeFault.Status(503, "Service Unavailable"), times: 100);

        var error = await Assert.ThrowsAsync<GitHubApiException>(() => Compare(o => o.MaxRetries = 2));

        Assert.Equal(3, Attempts("GET", ComparePath));
        Assert.Equal(3, error.Attempts);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal("GET", error.Method);
        Assert.Equal(ComparePath, error.Path);
        Assert.Equal("Service Unavailable", error.GitHubMessage);
        Assert.True(error.IsRetryable);
        Assert.False(error.OutcomeUnknown);
        Assert.Contains("try again later", error.Message);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(422)]
    [InlineData(400)]
    public async Task Does_not_retry_client_errors(int status)
    {
        GitHub.InjectFault("GET", ComparePath, FakeFault.Status(status, "Nope"), times: 5);

        var error = await Assert.ThrowsAsync<GitHubApiException>(() => Compare());

        Assert.Equal(1, Attempts("GET", ComparePath));
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Equal("Nope", error.GitHubMessage);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public async Task A_422_carries_GitHubs_reason_and_is_not_retried()
    {
        var inputs = Enumerable.Range(0, 26).ToDictionary(i => $"in{i}", i => "v");

        var error = await Assert.ThrowsAsync<GitHubApiException>(() =>
            Client().CreateWorkflowDispatchAsync(Shop, null, "deploy.yml", "main", inputs));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.StatusCode);
        Assert.Contains("No more than 25 properties", error.GitHubMessage);
        Assert.Contains("fix them rather than retrying", error.Message);
        Assert.False(error.OutcomeUnknown);
        Assert.Equal(1, error.Attempts);
    }

    [Fact]
    public async Task A_403_without_rate_limit_signs_is_a_permission_error_and_not_retried()
    {
        GitHub.InjectFault("GET", ComparePath, FakeFault.Status(403, "Resource not accessible by integration"), times: 5);

        var error = await Assert.ThrowsAsync<GitHubApiException>(() => Compare());

        Assert.IsNotType<GitHubRateLimitedException>(error);
        Assert.Equal(1, Attempts("GET", ComparePath));
        Assert.Contains("permission", error.Message);
    }

    [Fact]
    public async Task Retries_an_attempt_that_times_out()
    {
        GitHub.InjectFault("GET", ComparePath, FakeFault.Slow(TimeSpan.FromSeconds(30)));

        var result = await Compare(o => o.Timeout = TimeSpan.FromMilliseconds(300));

        Assert.Equal("ahead", result.Status);
        Assert.Equal(2, Attempts("GET", ComparePath));
    }

    [Fact]
    public async Task Reports_a_timeout_once_every_attempt_timed_out()
    {
        GitHub.InjectFault("GET", ComparePath, FakeFault.Slow(TimeSpan.FromSeconds(30)), times: 100);

        var error = await Assert.ThrowsAsync<GitHubTimeoutException>(() => Compare(o =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(200);
            o.MaxRetries = 2;
        }));

        Assert.Equal(3, error.Attempts);
        Assert.Equal(3, Attempts("GET", ComparePath));
        Assert.Null(error.StatusCode);
        Assert.True(error.IsRetryable);
        Assert.Contains("GitHub__Timeout", error.Message);
    }

    [Fact]
    public async Task Retries_a_reset_connection()
    {
        GitHub.InjectFault("GET", ComparePath, FakeFault.ConnectionReset());

        var result = await Compare();

        Assert.Equal("ahead", result.Status);
        Assert.Equal(2, Attempts("GET", ComparePath));
    }

    [Fact]
    public async Task Reports_a_network_error_once_every_attempt_failed()
    {
        GitHub.InjectFault("GET", ComparePath, FakeFault.ConnectionReset(), times: 100);

        var error = await Assert.ThrowsAsync<GitHubApiException>(() => Compare(o => o.MaxRetries = 1));

        Assert.Equal(2, error.Attempts);
        Assert.Null(error.StatusCode);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_then_reported()
    {
        var options = Options(o => o.MaxRetries = 1);
        options.ApiBaseUrl = "http://127.0.0.1:1";
        var client = new GitHubClient(Transport(options), new StaticTokenSource("t"));

        var error = await Assert.ThrowsAsync<GitHubApiException>(() => client.GetCommitAsync(Shop, null, Sha));

        Assert.Equal(2, error.Attempts);
        Assert.Contains("GitHub__ApiBaseUrl", error.Message);
    }

    [Fact]
    public async Task Caller_cancellation_stops_retrying()
    {
        GitHub.InjectFault("GET", ComparePath, FakeFault.Slow(TimeSpan.FromSeconds(30)), times: 100);
        using var cts = new CancellationTokenSource();
        var call = Client().CompareAsync(Shop, null, BaseSha, Sha, cts.Token);
        await GitHub.WaitForRequestAsync(r => r.Path == ComparePath);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, Attempts("GET", ComparePath));
    }

    private Task<CompareResult> Compare(Action<GitHubOptions>? configure = null) =>
        Client(configure).CompareAsync(Shop, InstallationId, BaseSha, Sha);
}
