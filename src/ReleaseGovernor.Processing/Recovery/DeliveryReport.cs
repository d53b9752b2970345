using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.GitHub.Api;

namespace ReleaseGovernor.Processing.Recovery;

/// <summary>
/// One delivery of the log beside what the governor made of it. <see cref="State"/> is <c>received</c> (an attempt was
/// answered OK), a sweep outcome (<see cref="SweepOutcomes"/>), or <c>missing</c> (no OK attempt and no sweep has
/// taken it yet).
/// </summary>
public sealed record DeliveryRow(string Guid, string Event, string? Action, DateTimeOffset DeliveredAt, int Attempts, int LastStatusCode,
    string State, string? Why, DateTimeOffset? SweptAt);

/// <summary>The log since a time, and the last sweep. <see cref="Complete"/> is false when the listing stopped early (why in <see cref="StoppedBecause"/>).</summary>
public sealed record DeliveryReportResult(string Log, DateTimeOffset Since, bool Complete, string? StoppedBecause, IReadOnlyList<DeliveryRow> Deliveries,
    DeliverySweepCompleted? LastSweep);

/// <summary>What the delivery log holds against what was stored: GitHub's attempts joined with the sweeps' records.</summary>
public sealed class DeliveryReport(IEventStore store, GitHubClient github, DeliverySweepOptions options)
{
    public const string Received = "received";
    public const string Missing = "missing";

    public async Task<DeliveryReportResult> LoadAsync(DateTimeOffset since, CancellationToken ct)
    {
        var log = github.DeliveryLog();
        var listed = new List<HookDelivery>();
        string? next = null, stopped = null;
        for (var requests = 0; ; requests++)
        {
            if (requests == options.DeliveriesMaxRequests)
            {
                stopped = $"listing stopped after {requests} page(s) (ReleaseGovernor__Recovery__DeliveriesMaxRequests)";
                break;
            }
            var page = await github.ListHookDeliveriesAsync(log, next, ct: ct);
            listed.AddRange(page.Deliveries.TakeWhile(d => d.DeliveredAt >= since));
            next = page.Next;
            if (next is null || page.Deliveries.Any(d => d.DeliveredAt < since)) break;
        }

        var sweeps = (await store.ReadStreamAsync(StreamIds.DeliverySweeps, ct)).Select(e => e.Data).OfType<DeliverySweepCompleted>().ToList();
        var outcomes = new Dictionary<string, (SweptDelivery Delivery, DateTimeOffset At)>(StringComparer.Ordinal);
        foreach (var sweep in sweeps)
            foreach (var d in sweep.Deliveries)
                outcomes[d.Guid] = (d, sweep.At);

        var rows = listed.GroupBy(d => d.Guid, StringComparer.Ordinal).Select(g =>
        {
            var first = g.MinBy(d => d.Id)!;
            var last = g.MaxBy(d => d.Id)!;
            var swept = outcomes.TryGetValue(g.Key, out var o) ? o : ((SweptDelivery, DateTimeOffset)?)null;
            var state = g.Any(d => d.Ok) ? Received : swept?.Item1.Outcome ?? Missing;
            return new DeliveryRow(g.Key, first.Event, first.Action, first.DeliveredAt, g.Count(), last.StatusCode, state,
                state == Received ? null : swept?.Item1.Why, state == Received ? null : swept?.Item2);
        }).OrderByDescending(r => r.DeliveredAt).ToList();
        return new DeliveryReportResult(log.Description, since, stopped is null, stopped, rows, sweeps.LastOrDefault());
    }
}
