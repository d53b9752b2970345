using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Processing.Observability;

namespace ReleaseGovernor.Processing.Ingestion;

/// <summary>
/// A delivery whose origin is established: its signature checked on the webhook route, or read from GitHub's
/// delivery log with the App's (or token's) credentials. <see cref="LogDeliveryId"/> is set for the latter.
/// </summary>
public sealed record VerifiedDelivery(string DeliveryId, string GitHubEvent, byte[] Body, DateTimeOffset ReceivedAt, long? LogDeliveryId = null);

/// <summary>What became of a delivery.</summary>
public abstract record IntakeOutcome
{
    private IntakeOutcome() { }

    /// <summary>An event or action the governor does not handle; nothing stored.</summary>
    public sealed record Ignored(string Reason) : IntakeOutcome;

    /// <summary>The payload misses what the governor needs; nothing stored, and sending it again cannot help.</summary>
    public sealed record BadPayload(string Field, string Problem) : IntakeOutcome;

    /// <summary>The delivery id was stored before; nothing new stored.</summary>
    public sealed record Duplicate : IntakeOutcome;

    /// <summary>Stored: its events (none for a delivery only acknowledged) and outbox items, committed.</summary>
    public sealed record Stored(IngestPlan Plan, IReadOnlyList<StoredEvent> Events) : IntakeOutcome;
}

/// <summary>
/// The one ingestion path, shared by the webhook route and the delivery sweep: route the payload, then store it
/// (<see cref="DeliveryIngestor"/>: dedupe on the delivery id, events and outbox in one transaction). Database
/// failures are thrown for the caller to answer.
/// </summary>
public sealed class DeliveryIntake(DeliveryIngestor ingestor, GovernorMetrics metrics)
{
    public async Task<IntakeOutcome> TakeAsync(VerifiedDelivery delivery, CancellationToken ct)
    {
        switch (DeliveryRouter.Route(delivery.GitHubEvent, delivery.Body, delivery.ReceivedAt))
        {
            case RouteResult.Ignored ignored:
                return new IntakeOutcome.Ignored(ignored.Reason);
            case RouteResult.BadPayload bad:
                return new IntakeOutcome.BadPayload(bad.Field, bad.Problem);
            case RouteResult.Planned { Plan: var plan }:
                var stored = await ingestor.IngestAsync(delivery.DeliveryId, delivery.GitHubEvent, plan with { RecoveredFromLog = delivery.LogDeliveryId }, ct);
                if (stored.Duplicate) return new IntakeOutcome.Duplicate();
                if (delivery.LogDeliveryId is not null) metrics.Recovered(delivery.GitHubEvent);
                return new IntakeOutcome.Stored(plan, stored.Events);
            default:
                throw new InvalidOperationException("unreachable");
        }
    }
}
