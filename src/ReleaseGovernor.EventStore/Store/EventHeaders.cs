using System.Text.Json;
using JasperFx.Events;
using ReleaseGovernor.Core.Events;

namespace ReleaseGovernor.EventStore.Store;

/// <summary>The header names every event carries in <c>mt_events.headers</c>, and the way back to <see cref="EventMetadata"/>.</summary>
public static class EventHeaders
{
    public const string DeliveryId = "delivery_id";
    public const string GitHubEvent = "github_event";
    public const string InstallationId = "installation_id";
    public const string Actor = "actor";

    private static readonly HashSet<string> Known = [DeliveryId, GitHubEvent, InstallationId, Actor];

    public static StoredEvent ToStored(IEvent e) => new(
        Sequence: e.Sequence,
        Id: e.Id,
        StreamId: e.StreamKey ?? "",
        Version: e.Version,
        Type: e.EventTypeName,
        Data: (ReleaseEvent)e.Data,
        Metadata: MetadataOf(e),
        Timestamp: e.Timestamp);

    private static EventMetadata MetadataOf(IEvent e)
    {
        var headers = e.Headers ?? new Dictionary<string, object>();
        var extra = headers.Where(h => !Known.Contains(h.Key) && Text(h.Value) is not null).ToDictionary(h => h.Key, h => Text(h.Value)!);
        return new EventMetadata(
            CorrelationId: e.CorrelationId ?? "",
            CausationId: e.CausationId,
            DeliveryId: Text(headers.GetValueOrDefault(DeliveryId)),
            GitHubEvent: Text(headers.GetValueOrDefault(GitHubEvent)),
            InstallationId: long.TryParse(Text(headers.GetValueOrDefault(InstallationId)), out var id) ? id : null,
            Actor: Text(headers.GetValueOrDefault(Actor)))
        { Extra = extra.Count > 0 ? extra : null };
    }

    /// <summary>A header value as text, however the serializer handed it back (string, number or JSON element).</summary>
    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        JsonElement { ValueKind: JsonValueKind.String } j => j.GetString(),
        JsonElement j => j.GetRawText(),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
