using Npgsql;

namespace ReleaseGovernor.IntegrationTests.Infrastructure;

/// <summary>A database outage as the server sees it: new connections refused, open ones ended.</summary>
public static class Outage
{
    public static async Task SetAllowConnectionsAsync(string database, bool allow)
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
