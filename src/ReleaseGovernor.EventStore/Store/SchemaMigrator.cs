using System.Reflection;
using Npgsql;

namespace ReleaseGovernor.EventStore.Store;

/// <summary>
/// Creates and upgrades the schema: versioned SQL scripts embedded in this assembly, applied in order,
/// each once, under a transaction-scoped advisory lock so several processes starting at once serialise.
/// </summary>
public static class SchemaMigrator
{
    /// <summary>Advisory lock key for migrations ("rg-migr" as a number).</summary>
    private const long MigrationLockKey = 0x72672D6D696772;

    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = LoadScripts();

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await Exec(connection, tx, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", ct);
        await Exec(connection, tx, """
            CREATE TABLE IF NOT EXISTS rg_schema_migrations (
                version    int PRIMARY KEY,
                name       varchar NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, ct);

        var applied = new HashSet<int>();
        await using (var cmd = new NpgsqlCommand("SELECT version FROM rg_schema_migrations", connection, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) applied.Add(reader.GetInt32(0));

        foreach (var (version, name, sql) in Scripts.Where(s => !applied.Contains(s.Version)))
        {
            await Exec(connection, tx, sql, ct);
            await using var record = new NpgsqlCommand(
                "INSERT INTO rg_schema_migrations (version, name) VALUES (@v, @n)", connection, tx);
            record.Parameters.AddWithValue("v", version);
            record.Parameters.AddWithValue("n", name);
            await record.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    private static async Task Exec(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static IReadOnlyList<(int, string, string)> LoadScripts()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".sql", StringComparison.Ordinal) && n.Contains(".Migrations.", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[(n.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..];
                var version = int.Parse(file[..file.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture);
                return (version, file, Read(assembly, n));
            })
            .OrderBy(s => s.version)
            .ToList();
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
