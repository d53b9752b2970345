using Npgsql;
using ReleaseGovernor.Server.Hosting;

namespace ReleaseGovernor.IntegrationTests.Infra;

/// <summary>The server prepares its repeated statements unless the connection string says otherwise.</summary>
public sealed class DatabaseConnectionTests
{
    [Fact]
    public void A_connection_string_without_preparation_settings_gets_the_servers()
    {
        var built = new NpgsqlConnectionStringBuilder(DatabaseConnection.WithDefaults("Host=db;Database=rg;Username=rg;Password=secret"));

        Assert.Equal(DatabaseConnection.MaxAutoPrepare, built.MaxAutoPrepare);
        Assert.Equal(DatabaseConnection.AutoPrepareMinUsages, built.AutoPrepareMinUsages);
        Assert.Equal(("db", "rg", "rg", "secret"), (built.Host, built.Database, built.Username, built.Password));
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;MaxAutoPrepare=5", 5)]
    public void The_operators_own_setting_wins(string connectionString, int expected)
    {
        var built = new NpgsqlConnectionStringBuilder(DatabaseConnection.WithDefaults(connectionString));

        Assert.Equal(expected, built.MaxAutoPrepare);
    }
}
