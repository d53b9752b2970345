namespace ReleaseGovernor.Core.Events;

// ---- What the delivery sweep found: appended to deliveries/sweeps ----

/// <summary>
/// One sweep of GitHub's delivery log, back to <see cref="PreviousCheckpoint"/> (or the log's 3-day horizon).
/// <see cref="Guids"/> deliveries were seen, <see cref="Received"/> of them answered OK by us; <see cref="Missing"/> had
/// no OK attempt and were not settled by an earlier sweep, and each of those is in <see cref="Deliveries"/> with its
/// outcome. <see cref="StoppedBecause"/> is null when the sweep reached the checkpoint, else why it stopped early
/// (request cap, rate limit, budget); then <see cref="NotBefore"/> may say when the next sweep may start.
/// </summary>
public sealed record DeliverySweepCompleted(
    string Trigger,
    string Log,
    DeliveryCheckpoint? PreviousCheckpoint,
    DeliveryCheckpoint? Checkpoint,
    int Listed,
    int Guids,
    int Received,
    int Missing,
    int Recovered,
    int AlreadyStored,
    int Failed,
    int Requests,
    string? StoppedBecause,
    DateTimeOffset? NotBefore,
    IReadOnlyList<SweptDelivery> Deliveries) : ReleaseEvent;

/// <summary>The newest delivery-log attempt at or before which everything is settled.</summary>
public sealed record DeliveryCheckpoint(long DeliveryId, DateTimeOffset DeliveredAt);

/// <summary>
/// A delivery the sweep acted on: <see cref="Outcome"/> is one of <see cref="SweepOutcomes"/>; <see cref="Why"/> says
/// why it was not recovered.
/// </summary>
public sealed record SweptDelivery(string Guid, long DeliveryId, string Event, string? Action, DateTimeOffset DeliveredAt, string Outcome, string? Why);

/// <summary>Outcomes of one swept delivery.</summary>
public static class SweepOutcomes
{
    /// <summary>Read from the log and stored through the ingestion path, metadata <c>recovered: true</c>.</summary>
    public const string Recovered = "recovered";

    /// <summary>Its delivery id was in the store already (stored, but GitHub never saw our answer).</summary>
    public const string AlreadyStored = "already_stored";

    /// <summary>An event the governor does not handle: nothing to store.</summary>
    public const string Ignored = "ignored";

    /// <summary>The payload lacks what the governor needs; sending it again cannot help.</summary>
    public const string Unusable = "unusable";

    /// <summary>Could not be recovered now (GitHub or the database failed); the next sweep tries again.</summary>
    public const string Failed = "failed";

    /// <summary>Whether the delivery needs no further sweep.</summary>
    public static bool IsSettled(string outcome) => outcome != Failed;
}
