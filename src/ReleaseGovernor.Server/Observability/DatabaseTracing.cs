using System.Diagnostics;
using Npgsql;

namespace ReleaseGovernor.Server.Observability;

/// <summary>
/// What Npgsql traces when tracing is on: only commands run inside a trace (a webhook request, an outbox item), as
/// child spans of it. The outbox worker's claims and the gauges' samples run outside any trace; traced, each poll would
/// be a trace of its own, most of the exported volume and none of it about a delivery. No first-response event per
/// command (the span's duration says enough) and no span per physical connection opened (the pool's metrics,
/// <c>db.client.connection.*</c>, count those).
/// </summary>
public static class DatabaseTracing
{
    public static void Configure(NpgsqlTracingOptionsBuilder tracing) => tracing
        .ConfigureCommandFilter(_ => Activity.Current is not null)
        .ConfigureBatchFilter(_ => Activity.Current is not null)
        .EnableFirstResponseEvent(false)
        .EnablePhysicalOpenTracing(false);
}
