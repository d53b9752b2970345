using Npgsql;
using ReleaseGovernor.EventStore.Local;

namespace ReleaseGovernor.Benchmarks.Infrastructure;

/// <summary>
/// The PostgreSQL the benchmark measures against: a throwaway cluster in a temporary folder on a free port
/// (the same <see cref="LocalPostgresCluster"/> the server uses for its local database), or the one given with --db.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private const string MainDatabase = "rg_bench";
    private readonly LocalPostgresCluster? _cluster;
    private readonly string? _folder;
    private readonly List<string> _created = [];

    private BenchDatabase(string connectionString, LocalPostgresCluster? cluster, string? folder)
    {
        ConnectionString = connectionString;
        _cluster = cluster;
        _folder = folder;
    }

    /// <summary>The database the server runs on (its schema is migrated by the server at start).</summary>
    public string ConnectionString { get; }

    public string Description => _cluster is not null
        ? $"temporary cluster in {_folder}, port {_cluster.Port}"
        : $"--db {Describe(ConnectionString)}";

    public static async Task<BenchDatabase> StartAsync(string? db, string workFolder, CancellationToken ct)
    {
        if (db is { Length: > 0 })
        {
            string normalized;
            try { normalized = WithPool(db); }
            catch (ArgumentException e) { throw new BenchmarkException($"--db is not a valid connection string ({e.Message})."); }
            await CheckReachableAsync(normalized, ct);
            return new BenchDatabase(normalized, null, null);
        }

        var folder = Path.Combine(workFolder, "postgres");
        LocalPostgresCluster cluster;
        try
        {
            cluster = new LocalPostgresCluster(folder);
            await cluster.StartAsync(null, ct);
            await cluster.EnsureDatabaseAsync(MainDatabase, ct);
        }
        catch (LocalPostgresException e)
        {
            throw new BenchmarkException($"Could not start a temporary PostgreSQL: {e.Message} Or pass --db with a throwaway database.");
        }
        return new BenchDatabase(WithPool(cluster.ConnectionString(MainDatabase)), cluster, folder);
    }

    /// <summary>The temporary cluster's postmaster (to count PostgreSQL's CPU), or null with --db.</summary>
    public int? PostmasterPid()
    {
        if (_folder is null) return null;
        try
        {
            var first = File.ReadLines(Path.Combine(_folder, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>A new empty database beside the main one; dropped at the end.</summary>
    public async Task<string> CreateFreshDatabaseAsync(string prefix, CancellationToken ct)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];
        await using (var connection = new NpgsqlConnection(WithDatabase(ConnectionString, "postgres", pooling: false)))
        {
            try
            {
                await connection.OpenAsync(ct);
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
                await create.ExecuteNonQueryAsync(ct);
            }
            catch (PostgresException e)
            {
                throw new BenchmarkException($"Could not create the database {name} for the rebuild phase: {e.MessageText}. " +
                                             "Give the --db user CREATEDB (ALTER ROLE ... CREATEDB) or run without --db.");
            }
        }
        _created.Add(name);
        return WithDatabase(ConnectionString, name, pooling: true);
    }

    /// <summary>libpq connection parameters for pgbench (the password goes through PGPASSWORD, not the command line).</summary>
    public (string ConnInfo, string? Password) LibpqConnInfo()
    {
        var b = new NpgsqlConnectionStringBuilder(ConnectionString);
        static string Quote(string v) => "'" + v.Replace("\\", "\\\\").Replace("'", "\\'") + "'";
        var parts = new List<string>
        {
            $"host={Quote(b.Host ?? "127.0.0.1")}", $"port={b.Port}", $"user={Quote(b.Username ?? "postgres")}",
            $"dbname={Quote(b.Database ?? "postgres")}",
        };
        return (string.Join(' ', parts), b.Password);
    }

    public async Task ExecAsync(string sql, CancellationToken ct, string? connectionString = null)
    {
        await using var connection = new NpgsqlConnection(connectionString ?? ConnectionString);
        await connection.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<long> ScalarAsync(string sql, Action<NpgsqlParameterCollection>? bind, CancellationToken ct, string? connectionString = null)
    {
        await using var connection = new NpgsqlConnection(connectionString ?? ConnectionString);
        await connection.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        bind?.Invoke(cmd.Parameters);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<string?> TextAsync(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, connection);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var name in _created)
        {
            try { await ExecAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", CancellationToken.None, WithDatabase(ConnectionString, "postgres", pooling: false)); }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                Console.Error.WriteLine($"  note: could not drop the rebuild database {name}: {e.Message}");
            }
        }
        if (_cluster is not null)
        {
            try { await _cluster.StopAsync(); }
            catch (LocalPostgresException e) { Console.Error.WriteLine($"  note: stopping the temporary PostgreSQL: {e.Message}"); }
            try { if (_folder is not null) Directory.Delete(_folder, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private static async Task CheckReachableAsync(string connectionString, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new BenchmarkException($"Cannot connect to --db {Describe(connectionString)}: {e.Message}. Check that PostgreSQL runs and the connection string is right.");
        }
    }

    /// <summary>Room for the server's in-flight deliveries and its workers (Npgsql's own default size).</summary>
    private static string WithPool(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = true, MaxPoolSize = 100 }.ConnectionString;

    private static string WithDatabase(string connectionString, string database, bool pooling) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database, Pooling = pooling }.ConnectionString;

    public static string Describe(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{b.Host}:{b.Port}/{b.Database}";
    }
}
