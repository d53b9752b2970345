namespace ReleaseGovernor.GitHub.Api;

/// <summary>
/// An app webhook delivery attempt. <see cref="Guid"/> is shared by the original and its redeliveries;
/// <see cref="Status"/> is "OK" on success.
/// </summary>
public sealed record HookDelivery(
    long Id,
    string Guid,
    DateTimeOffset DeliveredAt,
    bool Redelivery,
    string Status,
    int StatusCode,
    string Event,
    string? Action,
    long? InstallationId,
    long? RepositoryId);

/// <summary>One page of deliveries; pass <see cref="NextCursor"/> back for the next page (null: no more).</summary>
public sealed record HookDeliveryPage(IReadOnlyList<HookDelivery> Deliveries, string? NextCursor);
