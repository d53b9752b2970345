using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ReleaseGovernor.Benchmarks.Infrastructure;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.Benchmarks.Phases;

public sealed record PgBenchResult(double Tps, long Transactions, long Failed, double AverageLatencyMs, string Command);

/// <summary>
/// The database's limit for one stored delivery: pgbench running, per transaction, the statements the server runs for
/// one delivery on Marten (as captured from PostgreSQL's statement log: see docs/benchmarks.md) against the server's schema.
/// </summary>
public static partial class PgBench
{
    /// <summary>
    /// One delivery, statement for statement as the server sends it: the dedupe insert, the row lock on the fact stream
    /// (EventSession), the outbox row, then Marten's <c>mt_quick_append_events</c> with the event, its .NET type, its
    /// correlation id and headers of the sizes the server writes. Outbox rows are made available far in the future so
    /// the server's worker never claims them.
    /// </summary>
    public static string Script(int repositories)
    {
        var at = DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture);
        var run = new WorkflowRunReceived("completed", "CI", ".github/workflows/ci.yml", 30_000_001, 1,
            "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567", "main", "push", "completed", "success", "CI",
            "https://github.com/pgbench/repo-001/actions/runs/30000001", "main") { At = at };
        var eventJson = Lit(EventJson.Serialize(run));
        var type = EventTypes.NameOf(run);
        var dotnetType = Lit($"{typeof(WorkflowRunReceived).FullName}, {typeof(WorkflowRunReceived).Assembly.GetName().Name}");
        var headersStart = Lit("{\"actor\": \"octocat\", \"delivery_id\": \"pgbench-");
        var headersEnd = Lit("\", \"github_event\": \"workflow_run\", \"installation_id\": 42}");
        var outboxStart = Lit("{\"sequence\":0,\"event_id\":\"");
        return $$"""
            \set r random(1, {{repositories}})
            \set d random(1, 9000000000000000000)
            BEGIN;
            INSERT INTO rg_deliveries (delivery_id, github_event, repository) VALUES ('pgbench-' || :d::text, 'workflow_run', 'pgbench/repo-' || :r::text) ON CONFLICT (delivery_id) DO NOTHING;
            SELECT version FROM mt_streams WHERE id = 'repo/pgbench/repo-' || :r::text FOR NO KEY UPDATE;
            INSERT INTO rg_outbox (kind, stream_id, dedupe_key, payload, correlation_id, causation_id, available_at, repository, installation_id) VALUES ('process_event', 'repo/pgbench/repo-' || :r::text, NULL, ({{outboxStart}} || md5(:d::text)::uuid::text || '"}')::jsonb, 'pgbench-' || :d::text, md5(:d::text)::uuid::text, coalesce(NULL, now() + interval '100 years'), 'pgbench/repo-' || :r::text, 42) ON CONFLICT (dedupe_key) DO NOTHING;
            SELECT public.mt_quick_append_events('repo/pgbench/repo-' || :r::text, NULL, '*DEFAULT*', ARRAY[gen_random_uuid()], ARRAY['{{type}}']::varchar[], ARRAY[{{dotnetType}}]::varchar[], ARRAY[{{eventJson}}]::jsonb[], ARRAY[NULL]::bytea[], ARRAY[NULL]::varchar[], ARRAY['pgbench-' || :d::text]::varchar[], ARRAY[({{headersStart}} || :d::text || {{headersEnd}})::jsonb], ARRAY[now()], NULL);
            END;

            """;
    }

    public static async Task<PgBenchResult> RunAsync(BenchDatabase db, string workFolder, string mode, int clients, int seconds, int repositories, CancellationToken ct)
    {
        await CreateStreamsAsync(db, repositories, ct);
        var pgbench = Tools.PgBench();
        var script = Path.Combine(workFolder, "delivery.pgbench.sql");
        await File.WriteAllTextAsync(script, Script(repositories), ct);
        var (conninfo, password) = db.LibpqConnInfo();
        var threads = Math.Max(1, Math.Min(clients, Environment.ProcessorCount));
        string[] args = ["--no-vacuum", "-M", mode, "-f", script, "-c", $"{clients}", "-j", $"{threads}", "-T", $"{seconds}", conninfo];
        var env = new Dictionary<string, string?> { ["PGPASSWORD"] = password, ["PGCONNECT_TIMEOUT"] = "15" };
        var result = await Tools.RunAsync(pgbench, args, workFolder, env, TimeSpan.FromSeconds(seconds + 120), ct);
        var command = $"pgbench -n -M {mode} -f delivery.pgbench.sql -c {clients} -j {threads} -T {seconds}";
        if (result.ExitCode != 0)
            throw new BenchmarkException($"pgbench failed (exit {result.ExitCode}); its output ended with:\n{result.Tail()}\n" +
                                         "Check that the server created the schema and that pgbench can connect over TCP.");
        var tps = TpsLine().Match(result.Output);
        if (!tps.Success)
            throw new BenchmarkException($"Could not find the tps line in pgbench's output:\n{result.Tail()}");
        var processed = Processed().Match(result.Output);
        var failed = Failed().Match(result.Output);
        var latency = LatencyLine().Match(result.Output);
        return new PgBenchResult(
            double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture),
            processed.Success ? long.Parse(processed.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            failed.Success ? long.Parse(failed.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            latency.Success ? double.Parse(latency.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN,
            command);
    }

    /// <summary>
    /// The fact streams pgbench appends to exist already, as on a server that has seen each repository once (a first
    /// append to a new stream races with the others to create it; the server retries that, pgbench cannot).
    /// </summary>
    private static async Task CreateStreamsAsync(BenchDatabase db, int repositories, CancellationToken ct)
    {
        await using var data = Npgsql.NpgsqlDataSource.Create(db.ConnectionString);
        var store = new ReleaseGovernor.EventStore.Store.MartenEventStore(data);
        for (var r = 1; r <= repositories; r++)
            await store.AppendAsync($"repo/pgbench/repo-{r}", null, [new WebhookPinged(null, null, "pgbench") { At = DateTimeOffset.UtcNow }],
                EventMetadata.ForSystem("pgbench"), ct);
    }

    /// <summary>
    /// A SQL string literal with every colon written as a Unicode escape: pgbench takes <c>:name</c> anywhere in a
    /// statement, even inside quotes, for one of its variables (JSON's <c>"run_id":1</c> and times like 00:00 would be).
    /// </summary>
    private static string Lit(string text) =>
        "U&'" + text.Replace("\\", "\\\\").Replace("'", "''").Replace(":", "\\003A") + "'";

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();

    [GeneratedRegex(@"number of transactions actually processed: (\d+)")]
    private static partial Regex Processed();

    [GeneratedRegex(@"number of failed transactions: (\d+)")]
    private static partial Regex Failed();

    [GeneratedRegex(@"latency average = ([0-9.]+) ms")]
    private static partial Regex LatencyLine();
}
