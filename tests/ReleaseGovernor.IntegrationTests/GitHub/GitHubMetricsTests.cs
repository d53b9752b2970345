using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using ReleaseGovernor.GitHub.Api;

namespace ReleaseGovernor.IntegrationTests.GitHub;

/// <summary>What the GitHub metrics count: every attempt by endpoint template and status class, and the rate-limit budget GitHub reports.</summary>
public sealed class GitHubMetricsTests : GitHubTestBase, IDisposable
{
    private const string RunsPath = "/repos/acme/shop/actions/workflows/deploy.yml/runs";
    private const string RunsTemplate = "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs";
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly SocketsHttpHandler _handler = new();
    private readonly List<(string Instrument, long Value, Dictionary<string, string?> Tags)> _measured = [];

    public GitHubMetricsTests()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        // Only this test's meter: other tests' transports record on meters of their own.
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (_measured) _measured.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString())));
        });
        _listener.Start();
        Metrics = new GitHubMetrics(factory);
    }

    private GitHubMetrics Metrics { get; }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
        _handler.Dispose();
    }

    [Fact]
    public async Task Each_attempt_of_a_retried_call_is_counted_under_its_endpoint_template_and_status_class()
    {
        GitHub.InjectFault("GET", RunsPath, FakeFault.TooManyRequests(retryAfterSeconds: 0), times: 2);

        await MeteredClient().ListWorkflowRunsAsync(Shop, InstallationId, "deploy.yml");

        Assert.Equal(2, Requests(RunsTemplate, "4xx"));
        Assert.Equal(1, Requests(RunsTemplate, "2xx"));
        Assert.DoesNotContain(Measured(), m => m.Tags.Values.Any(v => v?.Contains("acme") == true));
    }

    [Fact]
    public async Task The_rate_limit_budget_GitHub_reports_is_kept_per_installation()
    {
        GitHub.InjectFault("GET", RunsPath, FakeFault.PrimaryRateLimit(DateTimeOffset.UtcNow.AddHours(1)));

        await Assert.ThrowsAsync<GitHubRateLimitedException>(() => MeteredClient().ListWorkflowRunsAsync(Shop, InstallationId, "deploy.yml"));
        _listener.RecordObservableInstruments();

        var remaining = Assert.Single(Measured(), m => m.Instrument == "releasegovernor.github.ratelimit.remaining");
        Assert.Equal(0, remaining.Value);
        Assert.Equal("42", remaining.Tags["installation"]);
    }

    private GitHubClient MeteredClient()
    {
        var options = Options();
        return new GitHubClient(new GitHubTransport(_handler, options, metrics: Metrics), new StaticTokenSource(options.Token!));
    }

    private List<(string Instrument, long Value, Dictionary<string, string?> Tags)> Measured()
    {
        lock (_measured) return [.. _measured];
    }

    private long Requests(string endpoint, string statusClass) =>
        Measured().Where(m => m.Instrument == "releasegovernor.github.requests" && m.Tags["endpoint"] == endpoint
                              && m.Tags["status_class"] == statusClass && m.Tags["method"] == "GET").Sum(m => m.Value);
}
