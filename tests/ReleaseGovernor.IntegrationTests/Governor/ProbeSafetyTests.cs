using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Health;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Governor;

/// <summary>
/// The probe URL comes from the repository: a server without ReleaseGovernor__HealthChecks__AllowedHosts does not probe
/// its own loopback, and an allowed host cannot redirect the probe to one that is not. A refused probe is recorded with
/// what to change, nothing is sent, and production health stays unknown.
/// </summary>
public sealed class ProbeSafetyTests : IAsyncLifetime
{
    private const string Repo = "octo-org/web";
    private const string A = "a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2";
    private static readonly string Release = StreamIds.Release(RepoRef.Parse(Repo), "production");
    private FakeHealthEndpoint _health = null!;

    public async Task InitializeAsync() => _health = await FakeHealthEndpoint.StartAsync();

    public async Task DisposeAsync() => await _health.DisposeAsync();

    [Fact]
    public async Task An_https_url_on_a_loopback_address_is_refused_without_a_request_and_recorded_with_the_setting_to_change()
    {
        var port = new Uri(_health.BaseUrl).Port;
        var refused = await RefusedProbeAsync(allowedHosts: null, $"https://127.0.0.1:{port}/healthz");

        Assert.Equal($"127.0.0.1 resolves to 127.0.0.1, which is not a public address; the server probes it only when 127.0.0.1 is in {"ReleaseGovernor__HealthChecks__AllowedHosts"}",
            refused.Reason);
        Assert.Equal(0, _health.Requests);
    }

    [Fact]
    public async Task Plain_http_is_refused_unless_the_host_is_allowed()
    {
        var refused = await RefusedProbeAsync(allowedHosts: null, _health.HealthUrl);

        Assert.StartsWith("http to 127.0.0.1 is not probed: use https, or add 127.0.0.1 to ReleaseGovernor__HealthChecks__AllowedHosts", refused.Reason);
        Assert.Equal(0, _health.Requests);
    }

    [Fact]
    public async Task An_allowed_host_cannot_redirect_the_probe_to_a_host_that_is_not()
    {
        var port = new Uri(_health.BaseUrl).Port;
        var refused = await RefusedProbeAsync(allowedHosts: "127.0.0.1", $"{_health.BaseUrl}/redirect?to=https://localhost:{port}/healthz");

        Assert.StartsWith($"redirected to https://localhost:{port}/healthz, which is refused: localhost resolves to ", refused.Reason);
        Assert.Equal(1, _health.Requests);
    }

    private async Task<HealthCheckRefused> RefusedProbeAsync(string? allowedHosts, string url)
    {
        var settings = new Dictionary<string, string?>();
        if (allowedHosts is not null) settings["ReleaseGovernor:HealthChecks:AllowedHosts"] = allowedHosts;
        var app = new GovernorApp(settings: settings);
        await app.InitializeAsync();
        try
        {
            await app.WaitReadyAsync();
            var gh = app.GitHub.Repo("octo-org", "web");
            gh.SetFile(A, ".booty.yml", $"""
                release_governor:
                  enabled: true
                  health_check:
                    url: "{url}"
                    interval_seconds: 1
                """).SetCommit(A, new FakeChangedFile("src/app.cs")).OnDefaultBranch(A);
            await app.PostAsync("workflow_run", Deliveries.Verification(Repo, A, runId: 77));
            await Wait.UntilAsync(() => gh.Dispatches.Any(d => d.RunId is not null));
            await Wait.ForStateAsync(app.Store, Release, s => s.InFlight?.RunId is not null);
            await app.PostAsync("workflow_run", Deliveries.Deploy(Repo, gh.Dispatches[0].RunId!.Value, tipSha: A, deployedSha: A, "completed", "success"));

            var state = await Wait.ForStateAsync(app.Store, Release, s => s.Health.Refused is not null);
            await Wait.ForOutboxDrainedAsync(app.Db);
            Assert.Equal((HealthStatus.Unknown, false), (state.Health.Status, state.Health.Watching));
            var events = (await app.Store.ReadStreamAsync(Release)).Select(e => e.Data).ToList();
            Assert.Empty(events.OfType<HealthCheckPassed>());
            Assert.Empty(events.OfType<HealthCheckFailed>());
            var refused = Assert.Single(events.OfType<HealthCheckRefused>());
            Assert.Equal((A, 1), (refused.Sha, refused.Probe));
            return refused;
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
