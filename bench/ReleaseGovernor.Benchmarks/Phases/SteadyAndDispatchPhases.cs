using System.Diagnostics;
using ReleaseGovernor.Benchmarks.Infrastructure;
using ReleaseGovernor.Benchmarks.Load;
using ReleaseGovernor.Testing.Webhooks;

namespace ReleaseGovernor.Benchmarks.Phases;

/// <summary>2. Latency at a steady rate: the ingest mix, open loop, at a rate well under the limit.</summary>
public static class SteadyRatePhase
{
    public static async Task RunAsync(BenchContext ctx, CancellationToken ct)
    {
        var o = ctx.Options;
        var count = o.SteadyRate * o.SteadySeconds;
        BenchContext.Phase($"[2/6] Latency at a steady rate: {o.SteadyRate} deliveries/s for {o.SteadySeconds} s, open loop ({count:N0} deliveries)");
        await ctx.SettleDatabaseAsync(ct);

        var mix = new DeliveryMix("bench-steady", o.Repositories);
        var clock = Stopwatch.StartNew();
        var cpuBefore = ctx.Cpu.Sample();
        var results = await OpenLoop.RunAsync(count, o.SteadyRate, i => mix.Next(i), ctx.Sender, ct);
        var elapsed = clock.Elapsed;
        var cpu = ctx.Cpu.Sample().Minus(cpuBefore);

        var errors = results.Count(r => !r.Delivery.Ok);
        var latency = new Latencies(results.Select(r => r.LatencyMs));
        var lag = results.Max(r => r.SendLagMs);
        BenchContext.Note($"{results.Count:N0} deliveries in {elapsed.TotalSeconds:0.0} s ({errors} errors); latency from the due time " +
                          $"p50 {Latencies.Ms(latency.P50)} / p99 {Latencies.Ms(latency.P99)} / max {Latencies.Ms(latency.Max)} ms; " +
                          $"largest send lag {Latencies.Ms(lag)} ms");
        ctx.NoteCpu("2", cpu, elapsed, "benchmark", null);
        foreach (var error in results.Where(r => !r.Delivery.Ok).GroupBy(r => r.Delivery.Error).Take(3))
            BenchContext.Note($"  error ×{error.Count()}: {error.Key}");
        await ctx.DrainOutboxAsync(TimeSpan.FromSeconds(120), ct);

        ctx.Report.Add($"2. steady {o.SteadyRate}/s for {o.SteadySeconds} s: p50 / p99 / max",
            $"{Latencies.Ms(latency.P50)} / {Latencies.Ms(latency.P99)} / {Latencies.Ms(latency.Max)} ms", "p99 < 25 ms", latency.P99 < 25);
        ctx.Report.Add("2. errors", $"{errors} of {results.Count:N0}", "0", errors == 0);
    }
}

/// <summary>
/// 3. Decision to dispatch: "Verify main" completed successfully for one new sha on each of N repositories (so none has
/// a deploy in flight; the fake GitHub says every commit changes one LOW-risk file); the time from the delivery's 2xx
/// to the dispatch request arriving at the fake GitHub.
/// </summary>
public static class DispatchPhase
{
    public static async Task RunAsync(BenchContext ctx, CancellationToken ct)
    {
        var o = ctx.Options;
        BenchContext.Phase($"[3/6] Decision to dispatch: {o.DispatchShas} verified shas on {o.DispatchShas} LOW-risk repositories, " +
                           $"{o.DispatchRate} verifications/s, open loop");
        await WarmUpAsync(ctx, ct);
        var shas = Enumerable.Range(0, o.DispatchShas).Select(_ => Deliveries.RandomSha()).ToArray();
        var bodies = shas.Select((sha, i) => Deliveries.Verification($"bench-deploy/svc-{i + 1:0000}", sha, 50_000_000 + i)).ToArray();
        await ctx.SettleDatabaseAsync(ct);

        var cpuBefore = ctx.Cpu.Sample();
        var sending = Stopwatch.StartNew();
        var results = await OpenLoop.RunAsync(shas.Length, o.DispatchRate, i => ("workflow_run", bodies[i]), ctx.Sender, ct);
        var answered = results.Select((r, i) => (Sha: shas[i], r.Delivery)).Where(x => x.Delivery.Ok).ToList();
        var errors = results.Count - answered.Count;

        var clock = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(60);
        var nextReport = TimeSpan.FromSeconds(5);
        int arrived;
        while ((arrived = answered.Count(a => ctx.GitHub.DispatchArrival(a.Sha) is not null)) < answered.Count && clock.Elapsed < limit)
        {
            if (clock.Elapsed >= nextReport)
            {
                BenchContext.Note($"waiting for dispatches: {arrived} of {answered.Count} after {clock.Elapsed.TotalSeconds:0} s");
                nextReport += TimeSpan.FromSeconds(5);
            }
            await Task.Delay(50, ct);
        }

        ctx.NoteCpu("3", ctx.Cpu.Sample().Minus(cpuBefore), sending.Elapsed, "benchmark", null);
        var latency = new Latencies(answered
            .Where(a => ctx.GitHub.DispatchArrival(a.Sha) is not null)
            .Select(a => Stopwatch.GetElapsedTime(a.Delivery.Answered, ctx.GitHub.DispatchArrival(a.Sha)!.Value).TotalMilliseconds));
        BenchContext.Note($"{arrived} of {shas.Length} dispatched ({errors} delivery errors); 2xx → dispatch p50 {Latencies.Ms(latency.P50)} / " +
                          $"p99 {Latencies.Ms(latency.P99)} / max {Latencies.Ms(latency.Max)} ms");
        var dispatched = answered.Where(a => ctx.GitHub.DispatchArrival(a.Sha) is not null).ToList();
        var inOrder = dispatched.Select(a => Stopwatch.GetElapsedTime(a.Delivery.Answered, ctx.GitHub.DispatchArrival(a.Sha)!.Value).TotalMilliseconds).ToList();
        var tenth = Math.Max(1, inOrder.Count / 10);
        var first = new Latencies(inOrder.Take(tenth));
        var rest = new Latencies(inOrder.Skip(tenth));
        BenchContext.Note($"in sending order: the first {tenth} p50 {Latencies.Ms(first.P50)} / p99 {Latencies.Ms(first.P99)} ms; " +
                          $"the other {rest.Count} p50 {Latencies.Ms(rest.P50)} / p99 {Latencies.Ms(rest.P99)} ms");
        double Step(Func<string, long?> from, Func<string, long?> to) => new Latencies(dispatched
            .Where(a => from(a.Sha) is not null && to(a.Sha) is not null)
            .Select(a => Stopwatch.GetElapsedTime(from(a.Sha)!.Value, to(a.Sha)!.Value).TotalMilliseconds)).P50;
        Func<string, long?> answeredAt = sha => answered.First(a => a.Sha == sha).Delivery.Answered;
        BenchContext.Note($"median steps: 2xx → .booty.yml read {Latencies.Ms(Step(answeredAt, ctx.GitHub.ConfigRead))} ms, " +
                          $"→ commit read {Latencies.Ms(Step(ctx.GitHub.ConfigRead, ctx.GitHub.CommitRead))} ms, " +
                          $"→ dispatch {Latencies.Ms(Step(ctx.GitHub.CommitRead, ctx.GitHub.DispatchArrival))} ms");
        var outbox = await ctx.Db.TextAsync("""
            SELECT string_agg(kind || ' ' || round(p50::numeric, 1) || ' ms', ', ' ORDER BY kind) FROM (
                SELECT kind, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - created_at) * 1000) AS p50
                FROM rg_outbox WHERE stream_id LIKE '%/bench-deploy/%' AND completed_at IS NOT NULL GROUP BY kind) t
            """, ct);
        BenchContext.Note($"median outbox item time from enqueue to done: {outbox ?? "none"}");
        if (arrived < answered.Count)
        {
            var error = await ctx.Db.TextAsync(
                "SELECT last_error FROM rg_outbox WHERE completed_at IS NULL AND last_error IS NOT NULL ORDER BY id DESC LIMIT 1", ct);
            var reasons = await ctx.Db.TextAsync(
                "SELECT string_agg(reason || ' ×' || n, ', ') FROM (SELECT data->>'reason' AS reason, count(*) AS n FROM mt_events " +
                "WHERE type = 'deploy_decided' AND stream_id LIKE 'release/bench-deploy/%' GROUP BY 1) t", ct);
            BenchContext.Note($"missing dispatches: decisions recorded: {reasons ?? "none"}; latest outbox error: {error ?? "none"}");
        }
        await ctx.DrainOutboxAsync(TimeSpan.FromSeconds(60), ct);

        // GitHub budget. Per delivery: the requests naming the verified sha (as in phase 1). Per ALLOW: every request to
        // these repositories (each got this one verification and nothing else), whatever commit it names, over the ALLOW
        // decisions recorded for them; counted once the worker has nothing left to do.
        var budget = new GitHubBudget();
        foreach (var sha in shas) budget.Sent(VerificationKind, sha);
        var perDelivery = GitHubBudget.Of(budget.Tally(ctx.GitHub), VerificationKind);
        var allows = await ctx.Db.ScalarAsync(
            "SELECT count(*) FROM mt_events WHERE type = 'deploy_decided' AND stream_id LIKE 'release/bench-deploy/%' AND data->>'outcome' = 'allow'",
            null, ct);
        var toRepos = ctx.GitHub.RequestsForRepos(repo => repo.StartsWith("bench-deploy/", StringComparison.Ordinal));
        var perAllow = new GitHubBudget.KindCost("ALLOW decision", (int)allows, toRepos.Values.Sum(), toRepos);
        BenchContext.Note($"GitHub requests per {VerificationKind} delivery (naming its sha): {perDelivery.Describe()}");
        BenchContext.Note($"GitHub requests per ALLOW decision (all requests to the {shas.Length} repositories): {perAllow.Describe()}");

        ctx.Report.Add($"3. GitHub requests per {VerificationKind} (naming its sha)", perDelivery.Describe(), "≤ 5",
            perDelivery.Deliveries > 0 && perDelivery.PerDelivery <= 5);
        ctx.Report.Add("3. GitHub requests per ALLOW decision (all to its repository)", perAllow.Describe(), "≤ 5",
            allows > 0 && perAllow.PerDelivery <= 5);
        ctx.Report.Add("3. verification 2xx → dispatch at GitHub: p50 / p99",
            $"{Latencies.Ms(latency.P50)} / {Latencies.Ms(latency.P99)} ms (max {Latencies.Ms(latency.Max)})", "p99 < 100 ms", latency.P99 < 100);
        ctx.Report.Add("3. shas dispatched", $"{arrived} of {shas.Length}", "all", arrived == shas.Length);
    }

    private const string VerificationKind = "\"Verify main\" completed (success)";

    private const int WarmupShas = 40;

    /// <summary>
    /// Runs the decision and dispatch path on other repositories first (not measured), so the figure is the steady
    /// state and not the first use of that code in a fresh process; the cold latency is printed for reference.
    /// </summary>
    public static async Task WarmUpAsync(BenchContext ctx, CancellationToken ct, string owner = "bench-warm")
    {
        BenchContext.Note($"warming up the decision path with {WarmupShas} verifications on other repositories (not measured) …");
        var shas = Enumerable.Range(0, WarmupShas).Select(_ => Deliveries.RandomSha()).ToArray();
        var bodies = shas.Select((sha, i) => Deliveries.Verification($"{owner}/svc-{i + 1:0000}", sha, 40_000_000 + i)).ToArray();
        var results = await OpenLoop.RunAsync(shas.Length, ctx.Options.DispatchRate, i => ("workflow_run", bodies[i]), ctx.Sender, ct);
        var clock = Stopwatch.StartNew();
        while (shas.Any(sha => ctx.GitHub.DispatchArrival(sha) is null) && clock.Elapsed < TimeSpan.FromSeconds(60))
            await Task.Delay(50, ct);
        if (results[0].Delivery.Ok && ctx.GitHub.DispatchArrival(shas[0]) is { } first)
            BenchContext.Note($"cold start: the first verification after start took {Latencies.Ms(Stopwatch.GetElapsedTime(results[0].Delivery.Answered, first).TotalMilliseconds)} ms to dispatch");
        await ctx.DrainOutboxAsync(TimeSpan.FromSeconds(60), ct);
    }
}
