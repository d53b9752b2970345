using System.Net;
using System.Net.Http.Headers;
using ReleaseGovernor.IntegrationTests.Page;
using static ReleaseGovernor.IntegrationTests.Page.PageTestBed;

namespace ReleaseGovernor.IntegrationTests.Observability;

/// <summary>What Prometheus scrapes about the operator page: sign-ins, answers by route and status, and GitHub's access answers.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class PageMetricsTests : IAsyncLifetime
{
    private const string ApiToken = "page-metrics-token";
    private readonly PageTestBed _bed = new(new(SignInSettings()) { ["ReleaseGovernor:ApiToken"] = ApiToken });

    public async Task InitializeAsync()
    {
        await _bed.InitializeAsync();
        _bed.App.GitHub.OAuth.AddUser("alice", Web);
    }

    public Task DisposeAsync() => _bed.DisposeAsync();

    [Fact]
    public async Task A_sign_in_a_timeline_and_a_repository_out_of_reach_are_counted_without_naming_anyone()
    {
        var alice = await _bed.SignInAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"/repos/{Web}/production")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync($"/repos/{Payroll}/production")).StatusCode);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        PrometheusText metrics;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", ApiToken) } };
            metrics = new PrometheusText(await (await _bed.App.Client.SendAsync(request)).Content.ReadAsStringAsync());
            if (metrics.Value("releasegovernor_page_views_total", ("status", "404")) is not null) break;
            Assert.True(DateTime.UtcNow < deadline, "The scrape never showed the page views:\n" + metrics.Text);
            await Task.Delay(50);
        }

        Assert.Equal(1, metrics.Value("releasegovernor_page_signins_total", ("outcome", "succeeded")));
        Assert.Equal(1, metrics.Value("releasegovernor_page_views_total", ("route", "/repos/{owner}/{repo}/{env}"), ("status", "200")));
        Assert.Equal(1, metrics.Value("releasegovernor_page_views_total", ("route", "/repos/{owner}/{repo}/{env}"), ("status", "404")));
        Assert.Equal(1, metrics.Value("releasegovernor_page_access_checks_total", ("result", "allowed")));
        Assert.Equal(1, metrics.Value("releasegovernor_page_access_checks_total", ("result", "denied")));
        Assert.DoesNotContain("alice", metrics.Text);
        Assert.DoesNotContain("octo-org", metrics.Text);
    }
}
