using Npgsql;
using ReleaseGovernor.EventStore.Local;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.Cli;

/// <summary>Finds and opens the database: --db, else ConnectionStrings__ReleaseGovernor, else the local embedded one.</summary>
public static class Database
{
    public const string ConnectionVariable = "ConnectionStrings__ReleaseGovernor";

    public static async Task<NpgsqlDataSource> OpenAsync(string? db, IReadOnlyDictionary<string, string?> env, CancellationToken ct)
    {
        var connectionString = db is { Length: > 0 } ? db
            : env.GetValueOrDefault(ConnectionVariable) is { Length: > 0 } fromEnv ? fromEnv
            : await LocalAsync(env, ct);

        NpgsqlDataSource dataSource;
        try
        {
            dataSource = NpgsqlDataSource.Create(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"The connection string is not valid ({e.Message}). Check --db or {ConnectionVariable}.");
        }

        try
        {
            await SchemaMigrator.MigrateAsync(dataSource, ct);
            return dataSource;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            await dataSource.DisposeAsync();
            throw new CliException($"Cannot reach the database at {Describe(connectionString)}: {e.Message}. " +
                                   $"Check that PostgreSQL is running and --db or {ConnectionVariable} is right.");
        }
    }

    private static async Task<string> LocalAsync(IReadOnlyDictionary<string, string?> env, CancellationToken ct)
    {
        var folder = LocalDatabase.DataFolder(env.GetValueOrDefault("ReleaseGovernor__DataFolder"));
        if (!LocalDatabase.Exists(folder))
            throw new CliException($"No database: pass --db, set {ConnectionVariable}, or start the server once " +
                                   $"(dotnet run --project src/ReleaseGovernor.Server) to create the local one in {folder}.");
        try
        {
            return await LocalDatabase.StartAsync(folder, ct);
        }
        catch (LocalPostgresException e)
        {
            throw new CliException($"The local database in {folder} could not be started: {e.Message}");
        }
    }

    /// <summary>Host, port and database of a connection string: never the password.</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            return $"{b.Host}:{b.Port}/{b.Database}";
        }
        catch (ArgumentException)
        {
            return "(unparseable connection string)";
        }
    }
}
