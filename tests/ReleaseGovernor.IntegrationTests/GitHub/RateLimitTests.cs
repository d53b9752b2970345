using System.Net;
using ReleaseGovernor.GitHub.Api;

namespace ReleaseGovernor.IntegrationTests.GitHub;

public class RateLimitTests : GitHubTestBase
{
    private const string RunsPath = "/repos/acme/shop/actions/workflows/deploy.yml/runs";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Waits_the_Retry_After_of_a_429_before_trying_again()
    {
        var clock = new FakeClock();
        GitHub.InjectFault("GET", RunsPath, FakeFault.TooManyRequests(retryAfterSeconds: 1));
        var call = Client(retryClock: clock).ListWorkflowRunsAsync(Shop, null, "deploy.yml");

        var delay = await clock.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(1), Wait);
        Assert.Equal(1, Attempts("GET", RunsPath)); // still waiting: no second request yet

        clock.Advance(delay);
        await call;

        Assert.Equal(2, Attempts("GET", RunsPath));
    }

    [Fact]
    public async Task Retries_a_429_with_Retry_After_zero_at_once()
    {
        GitHub.InjectFault("GET", RunsPath, FakeFault.TooManyRequests(retryAfterSeconds: 0), times: 2);

        await Client().ListWorkflowRunsAsync(Shop, null, "deploy.yml");

        Assert.Equal(3, Attempts("GET", RunsPath));
    }

    [Fact]
    public async Task Retries_a_403_secondary_rate_limit()
    {
        GitHub.InjectFault("GET", RunsPath, FakeFault.SecondaryRateLimit(retryAfterSeconds: 0));

        await Client().ListWorkflowRunsAsync(Shop, null, "deploy.yml");

        Assert.Equal(2, Attempts("GET", RunsPath));
    }

    [Fact]
    public async Task Waits_until_x_ratelimit_reset_for_a_primary_limit()
    {
        var clock = new FakeClock();
        GitHub.InjectFault("GET", RunsPath, FakeFault.PrimaryRateLimit(clock.GetUtcNow().AddSeconds(30)));
        var call = Client(retryClock: clock).ListWorkflowRunsAsync(Shop, null, "deploy.yml");

        var delay = await clock.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(30), Wait);
        clock.Advance(delay);
        await call;

        Assert.Equal(2, Attempts("GET", RunsPath));
    }

    [Fact]
    public async Task Fails_at_once_when_Retry_After_exceeds_the_cap()
    {
        GitHub.InjectFault("GET", RunsPath, FakeFault.TooManyRequests(retryAfterSeconds: 120), times: 5);

        var error = await Assert.ThrowsAsync<GitHubRateLimitedException>(() =>
            Client().ListWorkflowRunsAsync(Shop, null, "deploy.yml"));

        Assert.Equal(1, Attempts("GET", RunsPath));
        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.NotNull(error.RetryAt);
        Assert.True(error.IsRetryable);
        Assert.Contains("GitHub__MaxRetryAfter", error.Message);
    }

    [Fact]
    public async Task A_primary_limit_resetting_in_an_hour_fails_at_once()
    {
        var reset = DateTimeOffset.UtcNow.AddHours(1);
        GitHub.InjectFault("GET", RunsPath, FakeFault.PrimaryRateLimit(reset), times: 5);

        var error = await Assert.ThrowsAsync<GitHubRateLimitedException>(() =>
            Client().ListWorkflowRunsAsync(Shop, null, "deploy.yml"));

        Assert.Equal(1, error.Attempts);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(reset.ToUnixTimeSeconds()), error.RetryAt);
    }

    [Fact]
    public async Task A_secondary_limit_without_hints_means_a_minute_which_can_exceed_the_cap()
    {
        GitHub.InjectFault("GET", RunsPath, FakeFault.SecondaryRateLimit(retryAfterSeconds: null), times: 5);

        var error = await Assert.ThrowsAsync<GitHubRateLimitedException>(() =>
            Client(o => o.MaxRetryAfter = TimeSpan.FromSeconds(30)).ListWorkflowRunsAsync(Shop, null, "deploy.yml"));

        Assert.Equal(1, error.Attempts);
        Assert.Equal(TimeSpan.FromMinutes(1), error.RetryAfter);
        Assert.Contains("secondary rate limit", error.GitHubMessage);
    }

    [Fact]
    public async Task Reports_a_limit_that_outlasts_the_retries()
    {
        GitHub.InjectFault("GET", RunsPath, FakeFault.SecondaryRateLimit(retryAfterSeconds: 0), times: 100);

        var error = await Assert.ThrowsAsync<GitHubRateLimitedException>(() =>
            Client(o => o.MaxRetries = 3).ListWorkflowRunsAsync(Shop, null, "deploy.yml"));

        Assert.Equal(4, error.Attempts);
        Assert.Equal(4, Attempts("GET", RunsPath));
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Contains("Still rate limited after 4 attempt(s)", error.Message);
    }

    [Fact]
    public async Task Keeps_the_rate_budget_GitHub_last_reported()
    {
        var reset = DateTimeOffset.UtcNow.AddHours(1);
        GitHub.InjectFault("GET", RunsPath, FakeFault.PrimaryRateLimit(reset));
        var client = Client();
        Assert.Null(client.LastRateBudget);

        await Assert.ThrowsAsync<GitHubRateLimitedException>(() => client.ListWorkflowRunsAsync(Shop, null, "deploy.yml"));

        Assert.Equal(new GitHubRateBudget(5000, 0, DateTimeOffset.FromUnixTimeSeconds(reset.ToUnixTimeSeconds())), client.LastRateBudget);
    }
}
