using ReleaseGovernor.Core.Events;

namespace ReleaseGovernor.Processing.Ingestion;

/// <summary>What one delivery becomes: events to append (and later process), or only an acknowledgement.</summary>
public sealed record IngestPlan(string? Repository, long? InstallationId, string? Actor, IReadOnlyList<PlannedEvent> Events, string? Note)
{
    /// <summary>GitHub's delivery-log id when the delivery was read back from the log rather than received (header <c>recovered: true</c>).</summary>
    public long? RecoveredFromLog { get; init; }

    /// <summary>The metadata every event of the delivery is stored with.</summary>
    public EventMetadata MetadataFor(string deliveryId, string gitHubEvent)
    {
        var metadata = EventMetadata.ForDelivery(deliveryId, gitHubEvent, InstallationId, Actor);
        return RecoveredFromLog is { } logId ? metadata.RecoveredFrom(logId) : metadata;
    }

    public static IngestPlan Acknowledge(string? repository, long? installationId, string? actor, string note) =>
        new(repository, installationId, actor, [], note);
}

/// <summary>An event for a stream; <see cref="Process"/> asks the processor to act on it after commit.</summary>
public sealed record PlannedEvent(string StreamId, ReleaseEvent Event, bool Process);

/// <summary>Outcome of routing: a plan, a route we do not handle, or a payload missing what we need.</summary>
public abstract record RouteResult
{
    private RouteResult() { }
    public sealed record Planned(IngestPlan Plan) : RouteResult;
    public sealed record Ignored(string Reason) : RouteResult;
    public sealed record BadPayload(string Field, string Problem) : RouteResult;
}
