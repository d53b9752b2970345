using System.Net;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Observability;

/// <summary><c>OTEL_SDK_DISABLED=true</c>: the governor works as before, and /metrics says why it has nothing.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryOffTests : IAsyncLifetime
{
    private readonly GovernorApp _app = new(settings: new() { ["OTEL_SDK_DISABLED"] = "true" });

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        await _app.WaitReadyAsync();
    }

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Metrics_answer_404_naming_the_setting_and_deliveries_are_still_stored()
    {
        var metrics = await _app.Client.GetAsync("/metrics");
        var delivery = await _app.PostAsync("push", Deliveries.Push("octo-org/web", new string('0', 40), new string('a', 40)));

        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        Assert.Contains("OTEL_SDK_DISABLED=true", await metrics.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, delivery.StatusCode);
        Assert.Equal(1, await _app.CountAsync("SELECT count(*) FROM mt_events WHERE type = 'main_advanced'"));
    }
}
