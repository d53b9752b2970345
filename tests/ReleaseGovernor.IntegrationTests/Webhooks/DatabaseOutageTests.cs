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

        await SetAllowConnectionsAsync(database, false);
        HttpResponseMessage during;
        try
        {
            during = await _app.PostAsync("push", push, delivery: "during");
        }
        finally
        {
            await SetAllowConnectionsAsync(database, true);
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

    /// <summary>Refuses (or allows) new connections to the database and ends the open ones: an outage as the server sees it.</summary>
    private static async Task SetAllowConnectionsAsync(string database, bool allow)
    {
        await using var admin = new NpgsqlConnection(await TestPostgres.AdminConnectionStringAsync());
        await admin.OpenAsync();
        await using var alter = new NpgsqlCommand($"ALTER DATABASE {database} WITH ALLOW_CONNECTIONS {(allow ? "true" : "false")}", admin);
        await alter.ExecuteNonQueryAsync();
        if (allow) return;
        await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @db AND pid <> pg_backend_pid()", admin);
        kill.Parameters.AddWithValue("db", database);
        await kill.ExecuteNonQueryAsync();
    }
}
