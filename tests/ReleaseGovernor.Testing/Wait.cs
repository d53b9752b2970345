using Npgsql;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.Testing;

/// <summary>Bounded waits for work the server does in the background: poll, never sleep a fixed time.</summary>
public static class Wait
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>The projected release state once it satisfies <paramref name="condition"/>.</summary>
    public static async Task<ReleaseState> ForStateAsync(IEventStore store, string releaseStream, Func<ReleaseState, bool> condition)
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (true)
        {
            if (await store.LoadReleaseStateAsync(releaseStream) is { } state && condition(state)) return state;
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>Until no outbox item is pending; fails with the pending items and their last errors.</summary>
    public static async Task ForOutboxDrainedAsync(NpgsqlDataSource db)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (await ScalarAsync(db, "SELECT count(*) FROM rg_outbox WHERE completed_at IS NULL") > 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The outbox did not drain: " + await PendingAsync(db));
            await Task.Delay(20);
        }
    }

    public static async Task UntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (!condition()) await Task.Delay(10, timeout.Token);
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    private static async Task<string> PendingAsync(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand(
            "SELECT kind || ' attempts=' || attempts || ' lease=' || coalesce(lease_owner, '-') || ' error=' || coalesce(last_error, '-') FROM rg_outbox WHERE completed_at IS NULL LIMIT 5");
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return string.Join(" | ", rows);
    }
}
