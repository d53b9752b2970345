using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// One attempt in a webhook's delivery log (<c>GET .../hook/deliveries</c>). <see cref="Guid"/> is the
/// <c>X-GitHub-Delivery</c> value, shared by the original and all its redeliveries; <see cref="Id"/> names this attempt.
/// </summary>
public sealed record HookDelivery(
    long Id,
    string Guid,
    DateTimeOffset DeliveredAt,
    bool Redelivery,
    string? Status,
    int StatusCode,
    string Event,
    string? Action,
    long? InstallationId,
    long? RepositoryId)
{
    /// <summary>GitHub's word for an attempt our endpoint answered 2xx.</summary>
    public bool Ok => string.Equals(Status, "OK", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One page of the delivery log, newest first, and the link to the next (older) page.</summary>
public sealed record HookDeliveryPage(IReadOnlyList<HookDelivery> Deliveries, string? Next);

/// <summary>One attempt with what GitHub sent: request headers and the payload, exactly as JSON text.</summary>
public sealed record HookDeliveryDetail(HookDelivery Delivery, IReadOnlyDictionary<string, string> Headers, string Payload);

/// <summary>Where the delivery log is: the App's webhook, or one repository webhook (token mode).</summary>
public sealed record HookDeliveryLog(string Path, string Description);

internal sealed record HookDeliveryJson(
    long Id,
    string Guid,
    [property: JsonPropertyName("delivered_at")] DateTimeOffset DeliveredAt,
    bool Redelivery,
    string? Status,
    [property: JsonPropertyName("status_code")] int StatusCode,
    string Event,
    string? Action,
    [property: JsonPropertyName("installation_id")] long? InstallationId,
    [property: JsonPropertyName("repository_id")] long? RepositoryId,
    HookDeliveryRequestJson? Request)
{
    public HookDelivery ToModel() => new(Id, Guid, DeliveredAt, Redelivery, Status, StatusCode, Event, Action, InstallationId, RepositoryId);
}

internal sealed record HookDeliveryRequestJson(Dictionary<string, JsonElement>? Headers, JsonElement Payload);
