using System.Diagnostics;
using ReleaseGovernor.Benchmarks.Infrastructure;
using ReleaseGovernor.Benchmarks.Load;

namespace ReleaseGovernor.Benchmarks.Phases;

/// <summary>
/// 1. Ingest: the database's limit for the SQL of one stored delivery (pgbench), then the real server over HTTP with
/// signed deliveries at a fixed concurrency for the same time; the ratio, the latencies, the errors, a check that every
/// answered delivery and its events are in the database. 5. The server's peak memory during it.
/// </summary>
public static class IngestPhase
{
    public const string Owner = "bench-ingest";

    public static async Task RunAsync(BenchContext ctx, RssSampler rss, CancellationToken ct)
    {
        var o = ctx.Options;
        BenchContext.Phase($"[1/6] Ingest: pgbench (the database's limit for one delivery's SQL), then the server over HTTP — " +
                           $"{o.IngestSeconds} s each, concurrency {o.Concurrency}, {o.Repositories} repositories");

        // The limit, in the way the server talks to PostgreSQL (Npgsql's default: extended protocol, unnamed statements,
        // each parsed and planned again), then with prepared statements, the database's best for the same SQL.
        var pg = await PgBenchAsync(ctx, "extended", ct);
        var pgPrepared = await PgBenchAsync(ctx, "prepared", ct);

        // pgbench's rows go, so the server is measured on its own data only (its outbox rows, pending far in the
        // future, would otherwise sit in front of the server's in the outbox's id order).
        await ctx.Db.ExecAsync("""
            DELETE FROM rg_outbox WHERE stream_id LIKE 'repo/pgbench/%';
            DELETE FROM rg_deliveries WHERE delivery_id LIKE 'pgbench-%';
            DELETE FROM mt_events WHERE stream_id LIKE 'repo/pgbench/%';
            DELETE FROM mt_streams WHERE id LIKE 'repo/pgbench/%';
            """, ct);
        await ctx.SettleDatabaseAsync(ct);
        BenchContext.Note("removed pgbench's rows; vacuumed and analysed");

        var warmBudget = new GitHubBudget();
        var budget = new GitHubBudget();
        var mix = new DeliveryMix(Owner, o.Repositories) { Budget = warmBudget };
        long next = 0;
        BenchContext.Note($"server: warming up for {o.WarmupSeconds} s (not measured) …");
        var warm = await ClosedLoopAsync(ctx.Sender, mix, o.Concurrency, TimeSpan.FromSeconds(o.WarmupSeconds), () => Interlocked.Increment(ref next), ct);
        if (warm.Results.Count > 0 && warm.Results.All(r => !r.Ok))
            throw new BenchmarkException($"Every warm-up delivery failed; the first answer was: {warm.Results[0].Error}. " +
                                         $"Server output:\n{ctx.Server.LastOutput()}");
        await ctx.DrainOutboxAsync(TimeSpan.FromSeconds(60), ct);
        await ctx.SettleDatabaseAsync(ct);

        BenchContext.Note($"server: {o.Concurrency} deliveries in flight for {o.IngestSeconds} s (2 in 5 push, 3 in 5 workflow_run) …");
        rss.Reset();
        mix.Budget = budget;
        var cpuBefore = ctx.Cpu.Sample();
        var run = await ClosedLoopAsync(ctx.Sender, mix, o.Concurrency, TimeSpan.FromSeconds(o.IngestSeconds), () => Interlocked.Increment(ref next), ct);
        var httpCpu = ctx.Cpu.Sample().Minus(cpuBefore);
        var peakKb = ctx.Server.StatusKb("VmHWM");
        var sampledKb = rss.MaxKb;

        var ok = run.Results.Where(r => r.Ok).ToList();
        var errors = run.Results.Count - ok.Count;
        var rate = ok.Count / run.Elapsed.TotalSeconds;
        var ratio = pg.Tps > 0 ? rate / pg.Tps : double.NaN;
        var latency = new Latencies(run.Results.Select(r => r.LatencyMs));
        BenchContext.Note($"server: {Report.N(rate, "N1")} deliveries/s ({ok.Count:N0} answered 2xx in {run.Elapsed.TotalSeconds:0.0} s, {errors} errors); " +
                          $"latency p50 {Latencies.Ms(latency.P50)} / p95 {Latencies.Ms(latency.P95)} / p99 {Latencies.Ms(latency.P99)} / max {Latencies.Ms(latency.Max)} ms");
        ctx.NoteCpu("1 server", httpCpu, run.Elapsed, "benchmark (load generator + fake GitHub)", null);
        if (ok.Count > 0)
            BenchContext.Note($"CPU per delivery: server {httpCpu.Server * 1000 / ok.Count:0.00} ms, PostgreSQL {httpCpu.Postgres * 1000 / ok.Count:0.00} ms, " +
                              $"load generator + fake GitHub {httpCpu.Benchmark * 1000 / ok.Count:0.00} ms (the worker's processing of the runs included)");
        foreach (var error in run.Results.Where(r => !r.Ok).GroupBy(r => r.Error).Take(3))
            BenchContext.Note($"  error ×{error.Count()}: {error.Key}");

        BenchContext.Note("checking that every 2xx delivery and its events are in the database …");
        var ids = ok.Select(r => r.DeliveryId).ToArray();
        var expectedEvents = ok.Sum(r => (long)r.StoredEvents);
        var deliveries = await ctx.Db.ScalarAsync(
            "SELECT count(*) FROM unnest(@ids) AS d(id) JOIN rg_deliveries r ON r.delivery_id = d.id", p => p.AddWithValue("ids", ids), ct);
        var events = await ctx.Db.ScalarAsync(
            "SELECT count(*) FROM mt_events e JOIN unnest(@ids) AS d(id) ON e.correlation_id = d.id WHERE e.stream_id LIKE 'repo/%'",
            p => p.AddWithValue("ids", ids), ct);
        var stored = deliveries == ids.Length && events == expectedEvents && ids.Length > 0;
        BenchContext.Note($"in rg_deliveries: {deliveries:N0} of {ids.Length:N0}; in mt_events: {events:N0} of {expectedEvents:N0} the answers reported");

        var drained = await ctx.DrainOutboxAsync(TimeSpan.FromSeconds(180), ct);
        mix.Budget = null;

        // GitHub requests per kind of delivery, attributed by the new sha each delivery carried. The warm-up's are apart:
        // it is where the server first learns each repository's config.
        var tally = budget.Tally(ctx.GitHub);
        foreach (var cost in warmBudget.Tally(ctx.GitHub))
            BenchContext.Note($"GitHub requests per delivery in the warm-up (not counted below), {cost.Kind}: {cost.Describe()}");
        foreach (var cost in tally)
            BenchContext.Note($"GitHub requests per delivery, {cost.Kind}: {cost.Describe()}");
        var unattributed = ctx.GitHub.RequestsWithoutSha(repo => repo.StartsWith(Owner + "/", StringComparison.Ordinal));
        var unattributedText = unattributed.Count == 0 ? "0"
            : $"{unattributed.Values.Sum():N0} ({string.Join(", ", unattributed.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => $"{u.Key} {u.Value:N0}"))})";
        BenchContext.Note($"GitHub requests for the ingest repositories that name no commit (not attributable), warm-up included: {unattributedText}");

        var r = ctx.Report;
        r.Add("1. pgbench: one delivery's SQL (limit), -M extended", $"{Report.N(pg.Tps, "N0")} tx/s", "—");
        r.Add("1. pgbench, same SQL, -M prepared (for reference)", $"{Report.N(pgPrepared.Tps, "N0")} tx/s", "—");
        r.Add("1. server over HTTP, signed deliveries", $"{Report.N(rate, "N0")} deliveries/s", "—");
        r.Add("1. ratio server / pgbench -M extended", Report.N(ratio, "0.00"), "≥ 0.6", ratio >= 0.6);
        r.Add("1. latency p50 / p95 / p99 / max", $"{Latencies.Ms(latency.P50)} / {Latencies.Ms(latency.P95)} / {Latencies.Ms(latency.P99)} / {Latencies.Ms(latency.Max)} ms", "—");
        r.Add("1. errors (non-2xx or failed)", $"{errors} of {run.Results.Count:N0}", "0", errors == 0);
        r.Add("1. 2xx deliveries in rg_deliveries / events in mt_events", $"{deliveries:N0}/{ids.Length:N0} / {events:N0}/{expectedEvents:N0}", "all", stored);
        r.Add("1. worker caught up after the ingest", drained is { } d ? $"{d.TotalSeconds:0.0} s" : "not within 180 s", "—");
        foreach (var (kind, target, limit) in new[]
                 {
                     (DeliveryMix.Push, "0", 0.0), (DeliveryMix.CiRequested, "0", 0.0), (DeliveryMix.CiInProgress, "0", 0.0),
                     (DeliveryMix.CiCompleted, "≤ 1 (.booty.yml once per sha)", 1.0),
                 })
        {
            var cost = GitHubBudget.Of(tally, kind);
            r.Add($"1. GitHub requests per {kind}", cost.Describe(), target, cost.Deliveries > 0 && cost.PerDelivery <= limit);
        }
        r.Add("1. GitHub requests for those repositories naming no commit", unattributedText, "—");
        var peakMb = (peakKb ?? sampledKb) / 1024.0;
        r.Add("5. server peak RSS during 1 (VmHWM)", $"{Report.N(peakMb, "N0")} MB (sampled VmRSS max {Report.N(sampledKb / 1024.0, "N0")} MB)", "< 200 MB", peakMb < 200);
    }

    private static async Task<PgBenchResult> PgBenchAsync(BenchContext ctx, string mode, CancellationToken ct)
    {
        var o = ctx.Options;
        await ctx.Db.ExecAsync("CHECKPOINT", ct);
        BenchContext.Note($"pgbench -M {mode}: {o.Concurrency} clients for {o.IngestSeconds} s …");
        var before = ctx.Cpu.Sample();
        var clock = Stopwatch.StartNew();
        var pg = await PgBench.RunAsync(ctx.Db, ctx.WorkFolder, mode, o.Concurrency, o.IngestSeconds, o.Repositories, ct);
        var cpu = ctx.Cpu.Sample().Minus(before);
        BenchContext.Note($"pgbench -M {mode}: {Report.N(pg.Tps, "N1")} transactions/s ({pg.Transactions:N0} in {o.IngestSeconds} s, {pg.Failed} failed, " +
                          $"average latency {Latencies.Ms(pg.AverageLatencyMs)} ms) — {pg.Command}");
        ctx.NoteCpu($"1 pgbench {mode}", cpu, clock.Elapsed, "benchmark", "pgbench");
        if (cpu.Postgres is { } postgres && pg.Transactions > 0)
            BenchContext.Note($"PostgreSQL CPU per pgbench transaction: {postgres * 1000 / pg.Transactions:0.00} ms");
        return pg;
    }

    public sealed record LoopResult(List<DeliveryResult> Results, TimeSpan Elapsed);

    /// <summary><paramref name="concurrency"/> senders, each sending its next delivery as soon as the previous one is answered.</summary>
    public static async Task<LoopResult> ClosedLoopAsync(WebhookSender sender, DeliveryMix mix, int concurrency, TimeSpan duration,
        Func<long> nextIndex, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var mine = new List<DeliveryResult>(4096);
            while (clock.Elapsed < duration && !ct.IsCancellationRequested)
            {
                var (gitHubEvent, body) = mix.Next(nextIndex());
                mine.Add(await sender.SendAsync(gitHubEvent, body, ct));
            }
            return mine;
        }, ct)).ToArray();
        var all = await Task.WhenAll(workers);
        ct.ThrowIfCancellationRequested();
        return new LoopResult(all.SelectMany(w => w).ToList(), clock.Elapsed);
    }
}
