using Npgsql;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.IntegrationTests.Infrastructure;

/// <summary>A database as the previous release left it: its schema (migrations 001 and 002) and rows written by raw SQL.</summary>
public static class PreviousRelease
{
    public const int LastVersion = 2;

    public static async Task ApplySchemaAsync(NpgsqlDataSource data)
    {
        await ExecAsync(data, "CREATE TABLE rg_schema_migrations (version int PRIMARY KEY, name varchar NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        foreach (var (version, name, sql) in SchemaMigrator.Scripts.Where(s => s.Version <= LastVersion))
        {
            await ExecAsync(data, sql);
            await ExecAsync(data, $"INSERT INTO rg_schema_migrations (version, name) VALUES ({version}, '{name}')");
        }
    }

    public static async Task ExecAsync(NpgsqlDataSource data, string sql)
    {
        await using var cmd = data.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }
}
