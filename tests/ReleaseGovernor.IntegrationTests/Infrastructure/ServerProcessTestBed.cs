using Npgsql;

namespace ReleaseGovernor.IntegrationTests.Infrastructure;

/// <summary>
/// A fresh migrated database and a fake GitHub for tests that run the published server as separate processes (replicas,
/// kill -9): the processes come and go, these two stay for the whole test and end with it.
/// </summary>
public abstract class ServerProcessTestBed : IAsyncLifetime
{
    protected string Db { get; private set; } = "";
    protected NpgsqlDataSource Data { get; private set; } = null!;
    protected FakeGitHub GitHub { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Db = await TestPostgres.CreateDatabaseAsync();
        Data = NpgsqlDataSource.Create(Db);
        GitHub = await FakeGitHub.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await GitHub.DisposeAsync();
        await Data.DisposeAsync();
    }
}
