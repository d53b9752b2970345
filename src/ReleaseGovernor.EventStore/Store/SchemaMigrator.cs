using System.Reflection;
using JasperFx;
using Npgsql;
using ReleaseGovernor.EventStore.Projections;

namespace ReleaseGovernor.EventStore.Store;

/// <summary>
/// Creates and upgrades the schema, one process at a time (a session advisory lock, so replicas starting together
/// serialise): Marten's event store and documents first (Marten owns mt_*), then the governor's versioned SQL scripts
/// for its own tables (rg_*), each once, then release snapshots for streams that have none yet (a database of the
/// release before snapshots) or whose snapshot is behind.
/// </summary>
public static class SchemaMigrator
{
    /// <summary>Advisory lock key for migrations ("rg-migr" as a number).</summary>
    private const long MigrationLockKey = 0x72672D6D696772;

    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = LoadScripts();

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await Exec(connection, null, $"SELECT pg_advisory_lock({MigrationLockKey})", ct);
        try
        {
            await GovernorStore.For(dataSource).Storage.ApplyAllConfiguredChangesToDatabaseAsync(AutoCreate.CreateOrUpdate);
            await ApplyScriptsAsync(connection, ct);
            await new ProjectionRebuilder(dataSource).CatchUpAsync(ct);
        }
        finally
        {
            await Exec(connection, null, $"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
        }
        await EventSession.RehearseAsync(GovernorStore.For(dataSource), dataSource, ct);
    }

    private static async Task ApplyScriptsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
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

    private static async Task Exec(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct)
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
