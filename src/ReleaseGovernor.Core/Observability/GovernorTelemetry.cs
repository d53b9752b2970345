using System.Diagnostics;

namespace ReleaseGovernor.Core.Observability;

/// <summary>
/// The names the governor's OpenTelemetry signals go by: one <see cref="System.Diagnostics.Metrics.Meter"/> and one
/// <see cref="ActivitySource"/>, both <c>ReleaseGovernor</c>, and the attribute names its spans and metrics share.
/// </summary>
public static class GovernorTelemetry
{
    public const string MeterName = "ReleaseGovernor";
    public const string SourceName = "ReleaseGovernor";

    /// <summary>Span attribute: the <c>X-GitHub-Delivery</c> id a span works for (never a metric label).</summary>
    public const string DeliveryIdAttribute = "releasegovernor.delivery.id";

    public const string GitHubEventAttribute = "github.event";
    public const string OutboxItemAttribute = "releasegovernor.outbox.item.id";
    public const string OutboxKindAttribute = "releasegovernor.outbox.kind";
    public const string OutboxAttemptAttribute = "releasegovernor.outbox.attempt";
    public const string RepositoryAttribute = "releasegovernor.repository";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The W3C <c>traceparent</c> of the current span, to carry work done later in the same trace; null outside a trace.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>The span context a stored <c>traceparent</c> names, or default (no parent) when there is none or it is not valid.</summary>
    public static ActivityContext ParentFrom(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;
}
