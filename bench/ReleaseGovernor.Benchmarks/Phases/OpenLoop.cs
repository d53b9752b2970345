using System.Diagnostics;
using ReleaseGovernor.Benchmarks.Load;

namespace ReleaseGovernor.Benchmarks.Phases;

/// <summary>One delivery of an open-loop run: when it was due to be sent, and what came back.</summary>
public readonly record struct PacedResult(long Due, DeliveryResult Delivery)
{
    /// <summary>From the time it was due to be sent (not when the sender got to it): no coordinated omission.</summary>
    public double LatencyMs => Delivery.LatencyFromMs(Due);

    /// <summary>How late the sender started it.</summary>
    public double SendLagMs => Stopwatch.GetElapsedTime(Due, Delivery.Started).TotalMilliseconds;
}

/// <summary>
/// Open-loop pacing: delivery i is sent at start + i / rate whether or not earlier ones were answered, so a slow answer
/// cannot slow the arrivals down (as it would with a fixed number of senders).
/// </summary>
public static class OpenLoop
{
    public static async Task<IReadOnlyList<PacedResult>> RunAsync(int count, double perSecond,
        Func<int, (string Event, byte[] Body)> delivery, WebhookSender sender, CancellationToken ct)
    {
        var interval = Stopwatch.Frequency / perSecond;
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;
        var sends = new List<Task<PacedResult>>(count);
        var i = 0;
        while (i < count)
        {
            ct.ThrowIfCancellationRequested();
            var now = Stopwatch.GetTimestamp();
            for (; i < count && start + (long)(i * interval) <= now; i++)
            {
                var due = start + (long)(i * interval);
                var (gitHubEvent, body) = delivery(i);
                sends.Add(SendAsync(due, gitHubEvent, body));
            }
            if (i >= count) break;
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), start + (long)(i * interval));
            if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
        }
        return await Task.WhenAll(sends);

        async Task<PacedResult> SendAsync(long due, string gitHubEvent, byte[] body)
        {
            await Task.Yield(); // the pacing loop goes on at once
            return new PacedResult(due, await sender.SendAsync(gitHubEvent, body, ct));
        }
    }
}
