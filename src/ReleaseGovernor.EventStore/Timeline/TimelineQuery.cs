using Npgsql;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.EventStore.Timeline;

/// <summary>One page of a stream, newest first, and whether older events follow.</summary>
public sealed record TimelinePage(IReadOnlyList<StoredEvent> Events, int Page, bool HasOlder);

/// <summary>
/// Reads a stream a page at a time, newest first (the operator page's timeline): only the page's rows leave the database,
/// found through the stream's (stream_id, version) index however long the stream is.
/// </summary>
public static class TimelineQuery
{
    public const int PageSize = 50;

    public static async Task<TimelinePage> ReadAsync(NpgsqlDataSource db, string streamId, int page, CancellationToken ct, int pageSize = PageSize)
    {
        page = Math.Max(page, 1);
        await using var cmd = db.CreateCommand(
            $"SELECT {EventRows.SelectColumns} FROM mt_events WHERE stream_id = @id ORDER BY version DESC LIMIT @limit OFFSET @offset");
        cmd.Parameters.AddWithValue("id", streamId);
        cmd.Parameters.AddWithValue("limit", pageSize + 1);
        cmd.Parameters.AddWithValue("offset", (long)(page - 1) * pageSize);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var events = new List<StoredEvent>();
        while (await reader.ReadAsync(ct)) events.Add(EventRows.Read(reader));
        return new TimelinePage([.. events.Take(pageSize)], page, events.Count > pageSize);
    }

    /// <summary>One event of the stream by its global sequence, or null when the stream has no such event.</summary>
    public static async Task<StoredEvent?> ReadEventAsync(NpgsqlDataSource db, string streamId, long sequence, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {EventRows.SelectColumns} FROM mt_events WHERE stream_id = @id AND seq_id = @seq");
        cmd.Parameters.AddWithValue("id", streamId);
        cmd.Parameters.AddWithValue("seq", sequence);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? EventRows.Read(reader) : null;
    }
}
