using Npgsql;

namespace ReleaseGovernor.IntegrationTests.Infrastructure;

/// <summary>
/// A database as the previous release left it: its schema, from the scripts it shipped (kept under
/// tests/fixtures/previous-release, the event store still hand-written), and rows written by raw SQL.
/// </summary>
public static class PreviousRelease
{
    /// <summary>The last script of the previous release.</summary>
    public const int LastVersion = 3;

    public static async Task ApplySchemaAsync(NpgsqlDataSource data, int upTo = LastVersion)
    {
        await ExecAsync(data, "CREATE TABLE rg_schema_migrations (version int PRIMARY KEY, name varchar NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        var folder = Path.Combine(Path.GetDirectoryName(Fixtures.Folder)!, "previous-release");
        foreach (var file in Directory.GetFiles(folder, "*.sql").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            var version = int.Parse(name[..name.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture);
            if (version > upTo) continue;
            await ExecAsync(data, await File.ReadAllTextAsync(file));
            await ExecAsync(data, $"INSERT INTO rg_schema_migrations (version, name) VALUES ({version}, '{name}')");
        }
    }

    public static async Task ExecAsync(NpgsqlDataSource data, string sql)
    {
        await using var cmd = data.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }
}
