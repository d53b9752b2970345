using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ReleaseGovernor.IntegrationTests.Infrastructure;
using ReleaseGovernor.Processing.Recovery;

namespace ReleaseGovernor.IntegrationTests.Webhooks;

/// <summary>
/// While the database refuses connections, deliveries get 503 (never 2xx for what is not stored); afterwards all is
/// well, and the next delivery sweep stores what was answered 503 and never redelivered.
/// </summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private readonly GovernorApp _app = new(settings: DeliveryLogs.Settings());

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        await _app.WaitReadyAsync();
        await DeliveryLogs.WaitForSweepsAsync(_app.Store, 1); // the startup sweep, of an empty log
    }

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Deliveries_during_an_outage_get_503_and_are_stored_once_redelivered_or_swept()
    {
        var database = new NpgsqlConnectionStringBuilder(_app.ConnectionString).Database!;
        var push = Deliveries.Push("octo-org/web", new string('0', 40), new string('a', 40));
        var forgotten = Deliveries.Push("octo-org/web", new string('a', 40), new string('b', 40));
        var stored = await _app.PostLoggedAsync("push", push, "before");

        await Outage.SetAllowConnectionsAsync(database, false);
        HttpResponseMessage during;
        try
        {
            during = await _app.PostLoggedAsync("push", push, "during");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _app.PostLoggedAsync("push", forgotten, "during-never-redelivered")).StatusCode);
        }
        finally
        {
            await Outage.SetAllowConnectionsAsync(database, true);
            _app.Db.Clear(); // the test's own pooled connections were ended by the outage
        }
        var redelivered = await _app.PostLoggedAsync("push", push, "during");
        var sweep = await _app.Services.GetRequiredService<DeliverySweep>().SweepAsync("interval", CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Contains("nothing was stored", await during.Content.ReadAsStringAsync());
        Assert.NotNull(during.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        var swept = Assert.IsType<SweepResult.Swept>(sweep).Record;
        Assert.Equal(1, swept.Recovered); // "during" has an OK attempt (the redelivery): left alone
        Assert.Equal("during-never-redelivered", Assert.Single(swept.Deliveries).Guid);
        Assert.Equal(3, await _app.CountAsync("SELECT count(*) FROM rg_deliveries"));
        Assert.Equal(3, await _app.CountAsync("SELECT count(*) FROM mt_events WHERE stream_id LIKE 'repo/%'"));
        Assert.Equal(1, await _app.CountAsync("SELECT count(*) FROM mt_events WHERE correlation_id = 'during-never-redelivered'"));
    }
}
