namespace ReleaseGovernor.Core.Events;

/// <summary>
/// Who and what caused an append. <see cref="CorrelationId"/> is the X-GitHub-Delivery id (or <c>cli:&lt;guid&gt;</c>);
/// <see cref="CausationId"/> the event or command that led here. <see cref="Recovered"/> (header <c>recovered: true</c>) marks a
/// delivery the server never took and that the delivery sweep read back from GitHub's delivery log; its
/// <see cref="CausationId"/> is then <c>delivery-log:&lt;GitHub's delivery id&gt;</c>.
/// </summary>
public sealed record EventMetadata(
    string CorrelationId,
    string? CausationId = null,
    string? DeliveryId = null,
    string? GitHubEvent = null,
    long? InstallationId = null,
    string? Actor = null,
    bool Recovered = false)
{
    public static EventMetadata ForCli(string actor) =>
        new($"cli:{Guid.NewGuid():N}", Actor: actor);

    public static EventMetadata ForSystem(string reason) =>
        new($"system:{reason}:{Guid.NewGuid():N}", Actor: "system");

    public static EventMetadata ForDelivery(string deliveryId, string gitHubEvent, long? installationId, string? actor) =>
        new(deliveryId, DeliveryId: deliveryId, GitHubEvent: gitHubEvent, InstallationId: installationId, Actor: actor);

    /// <summary>A delivery read back from the delivery log (GitHub's numeric delivery id) instead of received on the webhook route.</summary>
    public EventMetadata RecoveredFrom(long logDeliveryId) =>
        this with { Recovered = true, CausationId = $"delivery-log:{logDeliveryId}" };

    public EventMetadata CausedBy(string causationId) => this with { CausationId = causationId };
}

/// <summary>An event as it sits in the log: its global sequence, its stream position and its metadata.</summary>
public sealed record StoredEvent(
    long Sequence,
    Guid Id,
    string StreamId,
    long Version,
    string Type,
    ReleaseEvent Data,
    EventMetadata Metadata,
    DateTimeOffset Timestamp);
