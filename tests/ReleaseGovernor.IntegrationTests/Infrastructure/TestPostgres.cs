using Npgsql;
using ReleaseGovernor.EventStore.Local;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.IntegrationTests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests run against: <c>RELEASEGOVERNOR_TEST_DB</c> when set, else a throwaway
/// cluster started once per test run in a temp folder on a free loopback port and removed at exit.
/// Every test gets a database of its own.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<Task<string>> Server = new(StartAsync);

    /// <summary>A fresh, migrated database; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(bool migrate = true)
    {
        var admin = await Server.Value;
        var name = $"rg_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        if (migrate)
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await SchemaMigrator.MigrateAsync(dataSource);
        }
        return connectionString;
    }

    /// <summary>The server's own connection string (database <c>postgres</c>).</summary>
    public static Task<string> AdminConnectionStringAsync() => Server.Value;

    private static async Task<string> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("RELEASEGOVERNOR_TEST_DB") is { Length: > 0 } given)
            return given;

        var folder = Path.Combine(Path.GetTempPath(), $"rg-test-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        var cluster = new LocalPostgresCluster(Path.Combine(folder, "data"));
        Directory.CreateDirectory(folder);
        await cluster.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            cluster.StopAsync().GetAwaiter().GetResult();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return cluster.ConnectionString();
    }
}
