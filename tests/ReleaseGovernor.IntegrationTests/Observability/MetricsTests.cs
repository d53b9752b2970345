using System.Net;
using System.Net.Http.Headers;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Observability;

/// <summary>What an operator's Prometheus scrapes from /metrics after the server has worked: counters with their labels and values.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class MetricsTests : IAsyncLifetime
{
    private const string Repo = "octo-org/web";
    private const string ApiToken = "metrics-test-token";
    private const string Booty = "release_governor:\n  enabled: true\n  approval_mode: label\n  approval_label: release:approved\n";
    private const string Low = "1010101010101010101010101010101010101010";
    private const string High = "2020202020202020202020202020202020202020";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly string Release = StreamIds.Release(RepoRef.Parse(Repo), "production");

    private readonly GovernorApp _app = new(settings: new()
    {
        ["ReleaseGovernor:ApiToken"] = ApiToken,
        ["Telemetry:OutboxSampleInterval"] = "00:00:00.100",
    });

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        await _app.WaitReadyAsync();
        var gh = _app.GitHub.Repo("octo-org", "web");
        gh.SetFile(Low, ".booty.yml", Booty).SetCommit(Low, new FakeChangedFile("src/app.cs"));
        gh.SetFile(High, ".booty.yml", Booty).SetCommit(High, new FakeChangedFile("db/migrations/007.sql"));
        gh.SetPullRequestsForCommit(High, new FakePullRequest(7, High, AuthorLogin: "dev"));
        gh.OnDefaultBranch(Low, High);
    }

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task After_a_hold_a_low_risk_dispatch_a_duplicate_and_a_bad_signature_the_counters_say_so()
    {
        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, High, runId: 901));
        await Wait.ForStateAsync(_app.Store, Release, s => s.LastDecision?.Sha == High);
        var low = Deliveries.Verification(Repo, Low, runId: 902);
        Assert.Equal(HttpStatusCode.OK, (await _app.PostAsync("workflow_run", low, delivery: "low-1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _app.PostAsync("workflow_run", low, delivery: "low-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await _app.PostAsync("workflow_run", low, delivery: "forged", signature: "sha256=" + new string('0', 64))).StatusCode);
        await _app.GitHub.WaitForRequestAsync(r => r.Method == "POST" && r.Path == $"/repos/octo-org/web/statuses/{Low}", Bound);
        await Wait.ForOutboxDrainedAsync(_app.Db);

        var metrics = await ScrapeUntilAsync(m => m.Value("releasegovernor_outbox_depth") == 0
                                                  && m.Value("releasegovernor_dispatch_duration_seconds_count") == 1);

        Assert.Equal(2, metrics.Value("releasegovernor_deliveries_total", ("event", "workflow_run"), ("outcome", "stored")));
        Assert.Equal(1, metrics.Value("releasegovernor_deliveries_total", ("event", "workflow_run"), ("outcome", "duplicate")));
        Assert.Equal(1, metrics.Value("releasegovernor_deliveries_total", ("event", "workflow_run"), ("outcome", "unauthorized")));
        Assert.Equal(1, metrics.Value("releasegovernor_decisions_total", ("outcome", "hold"), ("reason", ReasonCodes.HighRiskNoApproval)));
        Assert.Equal(1, metrics.Value("releasegovernor_decisions_total", ("outcome", "allow"), ("reason", ReasonCodes.AllowLow)));
        Assert.Equal(2, metrics.Value("releasegovernor_decision_duration_seconds_count"));
        Assert.Equal(1, metrics.Value("releasegovernor_dispatches_total", ("outcome", "dispatched")));
        Assert.Equal(1, metrics.Value("releasegovernor_github_requests_total",
            ("method", "POST"), ("endpoint", "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches"), ("status_class", "2xx")));
        Assert.Equal(2, metrics.Value("releasegovernor_github_requests_total",
            ("method", "POST"), ("endpoint", "/repos/{owner}/{repo}/statuses/{sha}"), ("status_class", "2xx")));
        Assert.Equal(0, metrics.Value("releasegovernor_outbox_lag_seconds"));
        // No sha, repository or delivery id ever becomes a label.
        Assert.DoesNotContain(metrics.Samples, s => s.Labels.Values.Any(v => v.Contains(Low) || v.Contains("octo-org") || v.Contains("low-1")));
        // The instrumentations of ASP.NET Core, HttpClient and Npgsql are on.
        Assert.Contains(metrics.Samples, s => s.Name.StartsWith("http_server_request_duration_seconds", StringComparison.Ordinal));
        Assert.Contains(metrics.Samples, s => s.Name.StartsWith("http_client_request_duration_seconds", StringComparison.Ordinal));
        Assert.Contains(metrics.Samples, s => s.Name.StartsWith("db_client_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_an_API_token_set_a_scrape_without_it_is_refused_and_says_what_to_send()
    {
        var refused = await _app.Client.GetAsync("/metrics");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "not-it") } };
        var wrongToken = await _app.Client.SendAsync(wrong);
        var scraped = await ScrapeAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("Authorization: Bearer", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        Assert.Contains("invalid_token", wrongToken.Headers.WwwAuthenticate.ToString());
        Assert.Contains("# TYPE", scraped.Text);
    }

    private async Task<PrometheusText> ScrapeAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", ApiToken) } };
        var response = await _app.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new PrometheusText(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Scrapes until <paramref name="ready"/> holds (gauges are sampled, the exporter caches a scrape briefly), bounded.</summary>
    private async Task<PrometheusText> ScrapeUntilAsync(Func<PrometheusText, bool> ready)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            var metrics = await ScrapeAsync();
            if (ready(metrics)) return metrics;
            if (DateTime.UtcNow > deadline) Assert.Fail("The scrape never showed what the flow did:\n" + metrics.Text);
            await Task.Delay(50);
        }
    }
}
