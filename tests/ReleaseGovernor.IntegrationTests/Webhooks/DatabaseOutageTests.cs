using System.Net;
using Npgsql;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Webhooks;

/// <summary>While the database refuses connections, deliveries get 503 (never 2xx for what is not stored); afterwards all is well.</summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private readonly GovernorApp _app = new();

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        await _app.WaitReadyAsync();
    }

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Deliveries_during_an_outage_get_503_and_are_stored_once_redelivered()
    {
        var database = new NpgsqlConnectionStringBuilder(_app.ConnectionString).Database!;
        var push = Deliveries.Push("octo-org/web", new string('0', 40), new string('a', 40));
        var stored = await _app.PostAsync("push", push, delivery: "before");

        await Outage.SetAllowConnectionsAsync(database, false);
        HttpResponseMessage during;
        try
        {
            during = await _app.PostAsync("push", push, delivery: "during");
        }
        finally
        {
            await Outage.SetAllowConnectionsAsync(database, true);
        }
        var redelivered = await _app.PostAsync("push", push, delivery: "during");

        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Contains("nothing was stored", await during.Content.ReadAsStringAsync());
        Assert.NotNull(during.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Equal(2, await _app.CountAsync("SELECT count(*) FROM rg_deliveries"));
        Assert.Equal(2, await _app.CountAsync("SELECT count(*) FROM mt_events"));
    }
}
