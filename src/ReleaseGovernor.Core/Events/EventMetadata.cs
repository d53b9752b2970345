namespace ReleaseGovernor.Core.Events;

/// <summary>
/// Who and what caused an append. <see cref="CorrelationId"/> is the X-GitHub-Delivery id (or <c>cli:&lt;guid&gt;</c>);
/// <see cref="CausationId"/> the event or command that led here.
/// </summary>
public sealed record EventMetadata(
    string CorrelationId,
    string? CausationId = null,
    string? DeliveryId = null,
    string? GitHubEvent = null,
    long? InstallationId = null,
    string? Actor = null)
{
    /// <summary>Further headers stored with the event (e.g. <c>recovered</c>), by name.</summary>
    public IReadOnlyDictionary<string, string>? Extra { get; init; }

    public static EventMetadata ForCli(string actor) =>
        new($"cli:{Guid.NewGuid():N}", Actor: actor);

    public static EventMetadata ForSystem(string reason) =>
        new($"system:{reason}:{Guid.NewGuid():N}", Actor: "system");

    public static EventMetadata ForDelivery(string deliveryId, string gitHubEvent, long? installationId, string? actor) =>
        new(deliveryId, DeliveryId: deliveryId, GitHubEvent: gitHubEvent, InstallationId: installationId, Actor: actor);

    public EventMetadata CausedBy(string causationId) => this with { CausationId = causationId };

    /// <summary>The header marking events of a delivery the server never took, read back from GitHub's delivery log by the sweep.</summary>
    public const string RecoveredHeader = "recovered";

    /// <summary>Whether these events came from GitHub's delivery log rather than the webhook route (header <c>recovered: true</c>).</summary>
    public bool Recovered => Extra?.GetValueOrDefault(RecoveredHeader) == "true";

    /// <summary>
    /// Metadata of a delivery read back from the delivery log: header <c>recovered: true</c>, causation
    /// <c>delivery-log:&lt;GitHub's delivery id&gt;</c>.
    /// </summary>
    public EventMetadata RecoveredFrom(long logDeliveryId) => this with
    {
        CausationId = $"delivery-log:{logDeliveryId}",
        Extra = new Dictionary<string, string>(Extra ?? new Dictionary<string, string>()) { [RecoveredHeader] = "true" },
    };
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
