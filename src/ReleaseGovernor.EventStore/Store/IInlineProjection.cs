using Npgsql;
using ReleaseGovernor.Core.Events;

namespace ReleaseGovernor.EventStore.Store;

/// <summary>A projection updated inside the append transaction: never behind, rolled back with the append.</summary>
public interface IInlineProjection
{
    Task ApplyAsync(IReadOnlyList<StoredEvent> appended, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct);
}
