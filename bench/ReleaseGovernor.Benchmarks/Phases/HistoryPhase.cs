using System.Diagnostics;
using Npgsql;
using ReleaseGovernor.Benchmarks.Load;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Risk;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.Testing.Webhooks;

namespace ReleaseGovernor.Benchmarks.Phases;

/// <summary>
/// 8. History: does a decision cost more when the release stream is long? Two repositories, one with a short history and
/// one with a long one (whole deploy cycles: verified, decided, dispatch requested, dispatched, started, succeeded),
/// seeded through the product's own append path (the release write path with its snapshot and sha records). Then, in
/// turns, a verification of a new sha for each: 2xx → dispatch at GitHub, and the deploy's success delivered so the next
/// one is not held behind it. Prints both p99s and their ratio, and the size of the long stream's state document.
/// </summary>
public static class HistoryPhase
{
    private const string Short = "bench-history/short";
    private const string Long = "bench-history/long";
    private const int EventsPerCycle = 6;

    public static async Task RunAsync(BenchContext ctx, CancellationToken ct)
    {
        var o = ctx.Options;
        BenchContext.Phase($"[8] History: decision → dispatch with {o.HistoryShortEvents:N0} and with {o.HistoryLongEvents:N0} prior events " +
                           $"in the release stream, {o.HistorySamples} verifications each");
        const string config = "release_governor:\n  enabled: true\n  max_deploys_per_hour: 1000000\n";
        ctx.GitHub.ServeConfig(Short, config);
        ctx.GitHub.ServeConfig(Long, config);

        var clock = Stopwatch.StartNew();
        await using (var data = NpgsqlDataSource.Create(ctx.Db.ConnectionString))
        {
            var store = new MartenEventStore(data);
            var shortCycles = await SeedAsync(store, Short, o.HistoryShortEvents / EventsPerCycle, ct);
            var longCycles = await SeedAsync(store, Long, o.HistoryLongEvents / EventsPerCycle, ct);
            BenchContext.Note($"seeded {shortCycles * EventsPerCycle:N0} and {longCycles * EventsPerCycle:N0} events ({longCycles:N0} deploys) " +
                              $"through the release write path in {clock.Elapsed.TotalSeconds:0.0} s");
        }
        await ctx.SettleDatabaseAsync(ct);

        // Warm-up, not counted: the first decisions of a repository read its config and compile the server's paths.
        for (var i = 0; i < 5; i++)
        {
            await DeployOnceAsync(ctx, Short, 69_000_000 + i, ct);
            await DeployOnceAsync(ctx, Long, 69_500_000 + i, ct);
        }
        var shortLatencies = new List<double>();
        var longLatencies = new List<double>();
        for (var i = 0; i < o.HistorySamples; i++)
        {
            shortLatencies.Add(await DeployOnceAsync(ctx, Short, 70_000_000 + i, ct));
            longLatencies.Add(await DeployOnceAsync(ctx, Long, 71_000_000 + i, ct));
        }
        var s = new Latencies(shortLatencies);
        var l = new Latencies(longLatencies);
        var ratio = l.P99 / s.P99;
        var bytes = await ctx.Db.ScalarAsync("SELECT length(data::text) FROM mt_doc_releasesnapshot WHERE id = @id",
            p => p.AddWithValue("id", StreamIds.Release(RepoRef.Parse(Long), "production")), ct);
        BenchContext.Note($"{o.HistoryShortEvents:N0} prior events: p50 {Latencies.Ms(s.P50)} / p99 {Latencies.Ms(s.P99)} ms; " +
                          $"{o.HistoryLongEvents:N0}: p50 {Latencies.Ms(l.P50)} / p99 {Latencies.Ms(l.P99)} ms; ratio of p99s {ratio:0.00}");
        BenchContext.Note($"release-state document of the long stream: {bytes / 1024.0:0.0} KB");

        ctx.Report.Add($"8. decision → dispatch p99 with {o.HistoryLongEvents:N0} vs {o.HistoryShortEvents:N0} prior events",
            $"{Latencies.Ms(l.P99)} vs {Latencies.Ms(s.P99)} ms: ratio {ratio:0.00}", "≤ 1.2", ratio <= 1.2);
        ctx.Report.Add($"8. release-state document after {o.HistoryLongEvents / EventsPerCycle:N0} deploys", $"{bytes / 1024.0:0.0} KB", "≤ 16 KB",
            bytes <= 16 * 1024);
    }

    /// <summary>One verification → its dispatch (the latency measured), then the deploy run's success, waited for in the store.</summary>
    private static async Task<double> DeployOnceAsync(BenchContext ctx, string repo, long runId, CancellationToken ct)
    {
        var sha = Deliveries.RandomSha();
        var answer = await ctx.Sender.SendAsync("workflow_run", Deliveries.Verification(repo, sha, runId), ct);
        if (answer.Error is not null) throw new BenchmarkException($"The verification of {sha} in {repo} was refused: {answer.Error}");
        var limit = Stopwatch.StartNew();
        while (ctx.GitHub.DispatchArrival(sha) is null)
        {
            if (limit.Elapsed > TimeSpan.FromSeconds(30))
                throw new BenchmarkException($"No dispatch of {sha} in {repo} within 30 s: check `booty governor status --repo {repo}`.");
            await Task.Delay(2, ct);
        }
        var latency = Stopwatch.GetElapsedTime(answer.Answered, ctx.GitHub.DispatchArrival(sha)!.Value).TotalMilliseconds;
        var deployRun = ctx.GitHub.RunIdOf(sha) ?? throw new BenchmarkException($"The dispatch of {sha} got no run id from the fake GitHub.");
        var done = await ctx.Sender.SendAsync("workflow_run", Deliveries.Deploy(repo, deployRun, Deliveries.RandomSha(), sha, "completed", "success"), ct);
        if (done.Error is not null) throw new BenchmarkException($"The deploy outcome of {sha} was refused: {done.Error}");
        limit.Restart();
        while (await ctx.Db.ScalarAsync("SELECT count(*) FROM mt_doc_releasesnapshot WHERE id = @id AND data->'state'->>'production_sha_current' = @sha",
                   p => { p.AddWithValue("id", StreamIds.Release(RepoRef.Parse(repo), "production")); p.AddWithValue("sha", sha); }, ct) == 0)
        {
            if (limit.Elapsed > TimeSpan.FromSeconds(30))
                throw new BenchmarkException($"The deploy of {sha} in {repo} did not reach production within 30 s.");
            await Task.Delay(5, ct);
        }
        return latency;
    }

    /// <summary>Whole deploy cycles appended through the release write path, a hundred at a time. Returns the cycles written.</summary>
    private static async Task<int> SeedAsync(MartenEventStore store, string repo, int cycles, CancellationToken ct)
    {
        var stream = StreamIds.Release(RepoRef.Parse(repo), "production");
        var writer = new ReleaseWriter(store);
        var at = DateTimeOffset.UtcNow.AddDays(-60);
        for (var start = 0; start < cycles; start += 100)
        {
            var events = Enumerable.Range(start, Math.Min(100, cycles - start)).SelectMany(c => Cycle(repo, c, at.AddSeconds(c * 7))).ToList();
            await writer.WriteAsync(stream, (_, _, _) => Task.FromResult(new ReleaseWrite<bool>(events, EventMetadata.ForSystem("bench-history"), true)), ct);
        }
        return cycles;
    }

    private static IEnumerable<ReleaseEvent> Cycle(string repo, int cycle, DateTimeOffset at)
    {
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(BitConverter.GetBytes(cycle * 2 + repo.Length)));
        var verifyRun = 90_000_000L + cycle;
        var deployRun = 95_000_000L + cycle;
        var url = $"https://github.com/{repo}/actions/runs/";
        yield return new VerificationCompleted(sha, verifyRun, 1, "success", url + verifyRun) { At = at };
        yield return new DeployDecided(sha, DecisionOutcome.Allow, ReasonCodes.AllowLow, null, RiskClass.Low, [], "sha256:4f1c0de5", []) { At = at };
        yield return new DeployDispatchRequested(sha, "deploy.yml", "main", new Dictionary<string, string> { ["sha"] = sha }) { At = at };
        yield return new DeployDispatched(sha, 1, deployRun, null, url + deployRun) { At = at.AddSeconds(1) };
        yield return new DeployStarted(sha, deployRun, url + deployRun) { At = at.AddSeconds(2) };
        yield return new DeploySucceeded(sha, deployRun, url + deployRun) { At = at.AddSeconds(4) };
    }
}
