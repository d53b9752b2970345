using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using ReleaseGovernor.Core.Events;

namespace ReleaseGovernor.EventStore.Store;

/// <summary>Maps rows of <c>mt_events</c> to <see cref="StoredEvent"/> and metadata to the <c>headers</c> column.</summary>
internal static class EventRows
{
    public const string SelectColumns =
        "seq_id, id, stream_id, version, type, data::text, correlation_id, causation_id, headers::text, timestamp";

    public static StoredEvent Read(NpgsqlDataReader r)
    {
        var type = r.GetString(4);
        var headers = r.IsDBNull(8) ? null : JsonSerializer.Deserialize<Headers>(r.GetString(8), EventJson.Options);
        var metadata = new EventMetadata(
            CorrelationId: r.IsDBNull(6) ? "" : r.GetString(6),
            CausationId: r.IsDBNull(7) ? null : r.GetString(7),
            DeliveryId: headers?.DeliveryId,
            GitHubEvent: headers?.GitHubEvent,
            InstallationId: headers?.InstallationId,
            Actor: headers?.Actor);
        return new StoredEvent(
            Sequence: r.GetInt64(0),
            Id: r.GetGuid(1),
            StreamId: r.GetString(2),
            Version: r.GetInt64(3),
            Type: type,
            Data: EventJson.Deserialize(type, r.GetString(5)),
            Metadata: metadata,
            Timestamp: r.GetFieldValue<DateTimeOffset>(9));
    }

    public static string HeadersJson(EventMetadata m) =>
        JsonSerializer.Serialize(new Headers(m.DeliveryId, m.GitHubEvent, m.InstallationId, m.Actor), EventJson.Options);

    /// <summary>The <c>headers</c> column: delivery_id, github_event, installation_id, actor.</summary>
    private sealed record Headers(
        string? DeliveryId,
        [property: JsonPropertyName("github_event")] string? GitHubEvent,
        long? InstallationId,
        string? Actor);
}
