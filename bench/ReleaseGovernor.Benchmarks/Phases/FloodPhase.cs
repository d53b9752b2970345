using System.Diagnostics;
using ReleaseGovernor.Benchmarks.Load;
using ReleaseGovernor.Testing.Webhooks;

namespace ReleaseGovernor.Benchmarks.Phases;

/// <summary>
/// 7. One repository's flood against another's verifications: N <c>workflow_run</c> deliveries to one repository
/// (4 in 5 of a CI workflow, 1 in 5 "Verify main" completed, each for a new sha), sent as fast as the server answers
/// them with <see cref="BenchOptions.Concurrency"/> in flight (as in phase 1), while a second repository's
/// verifications are sent one after the other; each is measured from its 2xx to its dispatch arriving at the fake
/// GitHub, and its deploy is then reported successful so the next one can be dispatched (its <c>.booty.yml</c> allows
/// a deploy per verification).
/// </summary>
public static class FloodPhase
{
    private const string Flooded = "bench-flood/monorepo";
    private const string Quiet = "bench-flood/quiet";
    private static readonly TimeSpan SampleLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PhaseLimit = TimeSpan.FromSeconds(300);
    private static readonly TimeSpan SampleSpacing = TimeSpan.FromMilliseconds(100);

    public static async Task RunAsync(BenchContext ctx, CancellationToken ct)
    {
        var o = ctx.Options;
        BenchContext.Phase($"[7] Flood of one repository: {o.FloodDeliveries:N0} deliveries to {Flooded}, {o.Concurrency} in flight, while " +
                           $"{Quiet}'s verifications are measured one after the other (2xx → dispatch)");
        // The quiet repository deploys once per measured verification: no hourly limit or cool-down gets in the way.
        ctx.GitHub.ServeConfig(Quiet, "release_governor:\n  enabled: true\n  max_deploys_per_hour: 1000000\n  cooldown_minutes: 0\n");
        await DispatchPhase.WarmUpAsync(ctx, ct, owner: "bench-flood-warm");
        var flood = Enumerable.Range(0, o.FloodDeliveries).Select(FloodDelivery).ToArray();
        await ctx.SettleDatabaseAsync(ct);

        var cpuBefore = ctx.Cpu.Sample();
        var clock = Stopwatch.StartNew();
        var sending = SendAllAsync(ctx.Sender, flood, o.Concurrency, ct);
        var samples = new List<FloodSample>();
        long backlogPeak = 0;
        TimeSpan? floodDrained = null;
        while (clock.Elapsed < PhaseLimit)
        {
            var backlog = await FloodedBacklogAsync(ctx, ct);
            backlogPeak = Math.Max(backlogPeak, backlog);
            var duringFlood = !sending.IsCompleted || backlog > 0;
            if (!duringFlood)
            {
                floodDrained = clock.Elapsed;
                break;
            }
            var started = Stopwatch.GetTimestamp();
            samples.Add(await SampleAsync(ctx, samples.Count, backlog, ct));
            var rest = SampleSpacing - Stopwatch.GetElapsedTime(started);
            if (rest > TimeSpan.Zero) await Task.Delay(rest, ct);
        }
        var floodResults = await sending;
        ctx.NoteCpu("7", ctx.Cpu.Sample().Minus(cpuBefore), clock.Elapsed, "benchmark", null);

        var floodErrors = floodResults.Count(r => !r.Ok);
        var measured = samples.Where(s => s.LatencyMs is not null).ToList();
        var missed = samples.Count(s => s.LatencyMs is null);
        var latency = new Latencies(measured.Select(s => s.LatencyMs!.Value));
        BenchContext.Note($"flood: {floodResults.Count - floodErrors:N0} of {floodResults.Count:N0} deliveries answered 2xx; {Flooded}'s outbox backlog " +
                          $"peaked at {backlogPeak:N0} items and drained {(floodDrained is { } d ? $"{d.TotalSeconds:0.0} s" : "not")} after the flood began");
        BenchContext.Note($"{Quiet}: {measured.Count} verifications during the flood (backlog of {Flooded} when sent: median " +
                          $"{Median(measured.Select(s => (double)s.Backlog)):N0} items), {missed} not dispatched within {SampleLimit.TotalSeconds:0} s; " +
                          $"2xx → dispatch p50 {Latencies.Ms(latency.P50)} / p99 {Latencies.Ms(latency.P99)} / max {Latencies.Ms(latency.Max)} ms");
        if (measured.Count < o.FloodMinSamples)
            BenchContext.Note($"fewer than {o.FloodMinSamples} verifications were measured during the flood: the figure is not met");
        var turns = await ctx.Db.TextAsync("""
            SELECT string_agg(repository || ' ' || round(p50::numeric, 1) || ' ms', ', ' ORDER BY repository) FROM (
                SELECT repository, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - created_at) * 1000) AS p50
                FROM rg_outbox WHERE repository LIKE 'bench-flood/%' AND completed_at IS NOT NULL GROUP BY repository) t
            """, ct);
        BenchContext.Note($"median outbox item time from enqueue to done: {turns ?? "none"}");
        foreach (var slow in measured.Select((s, i) => (s, i)).Where(x => x.s.LatencyMs > 1000).Take(5))
            BenchContext.Note($"  slow: verification {slow.i + 1} ({slow.s.Backlog:N0} flooded items pending when sent) took {Latencies.Ms(slow.s.LatencyMs!.Value)} ms: " +
                              $"2xx → .booty.yml read {Step(slow.s.Answered, ctx.GitHub.ConfigRead(slow.s.Sha))} ms → dispatch " +
                              $"{Step(ctx.GitHub.ConfigRead(slow.s.Sha), ctx.GitHub.DispatchArrival(slow.s.Sha))} ms");
        var slowItems = await ctx.Db.TextAsync($"""
            SELECT string_agg(kind || ' attempts ' || attempts || ' ' || round((extract(epoch FROM completed_at - created_at) * 1000)::numeric) || ' ms', ', ')
            FROM rg_outbox WHERE repository = '{Quiet}' AND (attempts > 1 OR completed_at - created_at > interval '1 second')
            """, ct);
        if (slowItems is not null) BenchContext.Note($"  {Quiet}'s items that took over 1 s or more than one attempt: {slowItems}");
        foreach (var line in ctx.Server.LastOutput().Split('\n').Where(l => l.Contains("failed", StringComparison.OrdinalIgnoreCase)).TakeLast(3))
            BenchContext.Note($"  server: {line.Trim()}");
        await ctx.DrainOutboxAsync(TimeSpan.FromSeconds(120), ct);

        ctx.Report.Add($"7. flood of {o.FloodDeliveries:N0} to one repository: another's verification 2xx → dispatch p50 / p99",
            measured.Count == 0 ? "no sample" : $"{Latencies.Ms(latency.P50)} / {Latencies.Ms(latency.P99)} ms ({measured.Count} verifications, max {Latencies.Ms(latency.Max)})",
            "p99 < 1 s", measured.Count >= o.FloodMinSamples && missed == 0 && latency.P99 < 1000);
        ctx.Report.Add("7. flood deliveries answered 2xx", $"{floodResults.Count - floodErrors:N0} of {floodResults.Count:N0}", "all", floodErrors == 0);
    }

    /// <summary>Every delivery once, <paramref name="concurrency"/> at a time, each sender taking the next as soon as it is answered.</summary>
    private static async Task<IReadOnlyList<DeliveryResult>> SendAllAsync(WebhookSender sender, (string Event, byte[] Body)[] deliveries,
        int concurrency, CancellationToken ct)
    {
        var results = new DeliveryResult[deliveries.Length];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < deliveries.Length)
                results[i] = await sender.SendAsync(deliveries[i].Event, deliveries[i].Body, ct);
        }, ct)));
        return results;
    }

    /// <summary>The flooded repository's i-th delivery: a CI run's requested / in_progress / completed, or a verification.</summary>
    private static (string Event, byte[] Body) FloodDelivery(int i)
    {
        const string ci = ".github/workflows/ci.yml";
        var sha = Deliveries.RandomSha();
        var runId = 60_000_000L + i;
        var body = (i % 5) switch
        {
            0 => Deliveries.WorkflowRun(Flooded, runId, sha, "CI", ci, "requested", null),
            1 => Deliveries.WorkflowRun(Flooded, runId, sha, "CI", ci, "in_progress", null),
            2 or 3 => Deliveries.WorkflowRun(Flooded, runId, sha, "CI", ci, "completed", "success"),
            _ => Deliveries.Verification(Flooded, sha, runId),
        };
        return ("workflow_run", body);
    }

    /// <summary>One verification of the quiet repository to its dispatch; then its deploy succeeds and the governor has recorded it.</summary>
    private static async Task<FloodSample> SampleAsync(BenchContext ctx, int n, long backlog, CancellationToken ct)
    {
        var sha = Deliveries.RandomSha();
        var answer = await ctx.Sender.SendAsync("workflow_run", Deliveries.Verification(Quiet, sha, 70_000_000L + n), ct);
        if (!answer.Ok) return new FloodSample(backlog, sha, answer.Answered, null);
        var clock = Stopwatch.StartNew();
        while (ctx.GitHub.DispatchArrival(sha) is null && clock.Elapsed < SampleLimit) await Task.Delay(2, ct);
        if (ctx.GitHub.DispatchArrival(sha) is not { } arrived || ctx.GitHub.RunIdOf(sha) is not { } runId)
            return new FloodSample(backlog, sha, answer.Answered, null);
        var latency = Stopwatch.GetElapsedTime(answer.Answered, arrived).TotalMilliseconds;

        await ctx.Sender.SendAsync("workflow_run", Deliveries.Deploy(Quiet, runId, sha, sha, "completed", "success"), ct);
        clock.Restart();
        while (await ctx.Db.ScalarAsync($"SELECT count(*) FROM rg_outbox WHERE repository = '{Quiet}' AND completed_at IS NULL", null, ct) > 0
               && clock.Elapsed < SampleLimit)
            await Task.Delay(2, ct);
        return new FloodSample(backlog, sha, answer.Answered, latency);
    }

    private static Task<long> FloodedBacklogAsync(BenchContext ctx, CancellationToken ct) =>
        ctx.Db.ScalarAsync($"SELECT count(*) FROM rg_outbox WHERE repository = '{Flooded}' AND completed_at IS NULL", null, ct);

    private static string Step(long? from, long? to) =>
        from is { } f && to is { } t ? Latencies.Ms(Stopwatch.GetElapsedTime(f, t).TotalMilliseconds) : "?";

    private static double Median(IEnumerable<double> values) => new Latencies(values).P50;

    /// <summary>One verification of the quiet repository: the flooded backlog when it was sent, and its latency (null: never dispatched).</summary>
    private sealed record FloodSample(long Backlog, string Sha, long Answered, double? LatencyMs);
}
