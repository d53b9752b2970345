using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using ReleaseGovernor.Benchmarks.Load;
using ReleaseGovernor.Testing.Webhooks;

namespace ReleaseGovernor.Benchmarks.Phases;

/// <summary>
/// Phase 6: 64 concurrent 24 MB bodies with a bogus signature (what anyone who can reach the port can send), while
/// signed deliveries keep arriving at a steady rate. Prints the server's peak resident set, every status the flood
/// got (5xx counted), and the signed deliveries' answers and latency meanwhile.
/// </summary>
public static class UnsignedFloodPhase
{
    public const int Bodies = 64;
    public const int BodyBytes = 24 * 1024 * 1024;
    public const int LegitPerSecond = 20;

    public static async Task RunAsync(BenchContext ctx, RssSampler rss, CancellationToken ct)
    {
        BenchContext.Phase($"[6] Unsigned flood: {Bodies} concurrent {BodyBytes / 1024 / 1024} MB bodies with a bogus signature, " +
                           $"signed pushes at {LegitPerSecond}/s meanwhile");
        var before = ctx.Server.StatusKb("VmRSS") ?? 0;
        rss.Reset();
        var body = Encoding.ASCII.GetBytes("{\"pad\":\"" + new string('x', BodyBytes - 10) + "\"}");
        using var floodClient = WebhookSender.CreateClient(ctx.Server.BaseUrl);
        floodClient.Timeout = TimeSpan.FromSeconds(120);

        using var stopLegit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var legit = Task.Run(() => SendLegitAsync(ctx, stopLegit.Token), ct);
        var clock = Stopwatch.StartNew();
        var flood = await Task.WhenAll(Enumerable.Range(0, Bodies).Select(i => PostBogusAsync(floodClient, body, i, ct)));
        var floodSeconds = clock.Elapsed.TotalSeconds;
        await stopLegit.CancelAsync();
        var legitResults = await legit;
        var peak = rss.MaxKb;
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var after = ctx.Server.StatusKb("VmRSS") ?? 0;

        var byStatus = flood.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Count()} × {(g.Key == 0 ? "no answer" : g.Key.ToString())}");
        var serverErrors = flood.Count(s => s >= 500 && s != 503);
        var busy = flood.Count(s => s == 503);
        var legitOk = legitResults.Count(r => r.Status == 200);
        var latencies = legitResults.Where(r => r.Status == 200).Select(r => r.LatencyMs).Order().ToList();
        BenchContext.Note($"flood answered in {floodSeconds:0.0} s: {string.Join(", ", byStatus)}");
        BenchContext.Note($"server RSS: {before / 1024} MB before, peak {peak / 1024} MB, {after / 1024} MB 3 s after");
        BenchContext.Note($"signed pushes meanwhile: {legitOk} of {legitResults.Count} answered 200" +
                          (latencies.Count > 0 ? $", p50 {Latencies.Ms(Pct(latencies, 0.5))} / p99 {Latencies.Ms(Pct(latencies, 0.99))} ms" : ""));

        ctx.Report.Add($"6. unsigned flood {Bodies} × 24 MB: server peak RSS (before / peak / 3 s after)",
            $"{before / 1024} / **{peak / 1024}** / {after / 1024} MB", "< 512 MB", peak / 1024 < 512);
        ctx.Report.Add("6. flood answers", string.Join(", ", byStatus), "no 5xx", serverErrors == 0 && busy == 0 && flood.All(s => s != 0));
        ctx.Report.Add("6. signed deliveries during the flood answered 200", $"{legitOk} of {legitResults.Count}",
            "all", legitResults.Count > 0 && legitOk == legitResults.Count);
    }

    private static double Pct(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private static async Task<int> PostBogusAsync(HttpClient client, byte[] body, int i, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, WebhookSender.Route) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("X-GitHub-Event", "push");
        request.Headers.TryAddWithoutValidation("X-GitHub-Delivery", $"flood-{i}");
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + new string('0', 64));
        try
        {
            using var response = await client.SendAsync(request, ct);
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return 0;
        }
    }

    private static async Task<List<DeliveryResult>> SendLegitAsync(BenchContext ctx, CancellationToken stop)
    {
        var results = new List<DeliveryResult>();
        var pending = new List<Task<DeliveryResult>>();
        var interval = TimeSpan.FromSeconds(1.0 / LegitPerSecond);
        var next = Stopwatch.GetTimestamp();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var body = Deliveries.Push("bench-org/flood", new string('0', 40), $"{i + 1:x40}", installation: 42);
            pending.Add(ctx.Sender.SendAsync("push", body, CancellationToken.None));
            next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero)
            {
                try { await Task.Delay(wait, stop); }
                catch (OperationCanceledException) { break; }
            }
        }
        results.AddRange(await Task.WhenAll(pending));
        return results;
    }
}
