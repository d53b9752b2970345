using Npgsql;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.IntegrationTests.Infrastructure;

/// <summary>A fresh migrated database and an event store over it, per test class instance.</summary>
public sealed class FreshStore : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource DataSource { get; private set; } = null!;
    public MartenEventStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync();
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        Store = new MartenEventStore(DataSource);
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    public async Task<string?> TextAsync(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        return await cmd.ExecuteScalarAsync() as string;
    }

    public async Task DisposeAsync() => await DataSource.DisposeAsync();
}
