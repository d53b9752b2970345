using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using ReleaseGovernor.Benchmarks.Infrastructure;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Risk;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.Benchmarks.Phases;

/// <summary>
/// 4. Rebuild: a fresh database whose log holds N events (appended with COPY: what ingestion and the governor write
/// for a stream of verified, dispatched and deployed shas over 200 repositories), then the real
/// <c>booty governor rebuild --json</c> (the published CLI), whose own timing of the rebuild gives events/s.
/// </summary>
public static class RebuildPhase
{
    public static async Task RunAsync(BenchContext ctx, CancellationToken ct)
    {
        var o = ctx.Options;
        BenchContext.Phase($"[4/6] Rebuild: {o.RebuildEvents:N0} events appended with COPY to a fresh database, then `booty governor rebuild`");
        var connectionString = await ctx.Db.CreateFreshDatabaseAsync("rg_bench_rebuild", ct);
        var clock = Stopwatch.StartNew();
        int releaseStreams;
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await SchemaMigrator.MigrateAsync(dataSource, ct);
            releaseStreams = await EventLogWriter.FillAsync(dataSource, o.RebuildEvents, o.Repositories, ct);
        }
        await ctx.Db.ExecAsync("VACUUM ANALYZE", ct, connectionString);
        await ctx.Db.ExecAsync("CHECKPOINT", ct, connectionString);
        BenchContext.Note($"appended {o.RebuildEvents:N0} events ({releaseStreams} release streams) in {clock.Elapsed.TotalSeconds:0.0} s; rebuilding …");

        var run = await Tools.RunAsync(Tools.Dotnet(), [ctx.CliDll, "governor", "rebuild", "--db", connectionString, "--json"],
            ctx.WorkFolder, new Dictionary<string, string?> { ["ConnectionStrings__ReleaseGovernor"] = null }, TimeSpan.FromMinutes(15), ct);
        if (run.ExitCode != 0)
            throw new BenchmarkException($"`booty governor rebuild` failed (exit {run.ExitCode}):\n{run.Tail()}");
        var json = run.Output[run.Output.IndexOf('{', StringComparison.Ordinal)..];
        using var doc = JsonDocument.Parse(json);
        var replayed = doc.RootElement.GetProperty("events_replayed").GetInt64();
        var seconds = doc.RootElement.GetProperty("seconds").GetDouble();
        var perSecond = doc.RootElement.GetProperty("events_per_second").GetDouble();
        var streams = doc.RootElement.GetProperty("release_streams").GetInt32();
        BenchContext.Note($"rebuilt {streams} release streams from {replayed:N0} events in {seconds:0.00} s: {Report.N(perSecond)} events/s " +
                          $"(the command took {run.Elapsed.TotalSeconds:0.0} s with process start and connecting)");

        await BreakdownAsync(connectionString, ct);

        var releaseEvents = await ctx.Db.ScalarAsync("SELECT count(*) FROM mt_events WHERE stream_id LIKE 'release/%'", null, ct, connectionString);
        ctx.Report.Add($"4. `booty governor rebuild` of {replayed:N0} release events (of {o.RebuildEvents:N0} in the log)",
            $"{Report.N(perSecond)} events/s ({seconds:0.00} s)", "≥ 30,000 events/s",
            perSecond >= 30_000 && replayed == releaseEvents && streams == releaseStreams);
    }

    /// <summary>
    /// Where the rebuild's time goes, measured apart after it: reading the log with the rebuild's own query (batches of
    /// 5,000 in sequence order, no deserialising), and its closing back-fill of <c>rg_deliveries</c> from every event's
    /// headers (run again: every row is there, so it inserts nothing, but reads and sorts the same).
    /// </summary>
    private static async Task BreakdownAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var read = Stopwatch.StartNew();
        long last = 0, rows = 0;
        while (true)
        {
            await using var cmd = new NpgsqlCommand("""
                SELECT seq_id, stream_id, version, type, CASE WHEN stream_id LIKE 'release/%' THEN data::text END
                FROM mt_events WHERE seq_id > @after ORDER BY seq_id LIMIT 5000
                """, connection);
            cmd.Parameters.AddWithValue("after", last);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            var batch = 0;
            while (await reader.ReadAsync(ct))
            {
                last = reader.GetInt64(0);
                _ = reader.GetString(1);
                if (!reader.IsDBNull(4)) _ = reader.GetString(4);
                batch++;
            }
            if (batch == 0) break;
            rows += batch;
        }
        var readTime = read.Elapsed;

        var backfill = Stopwatch.StartNew();
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO rg_deliveries (delivery_id, github_event, received_at)
                SELECT DISTINCT ON (headers->>'delivery_id') headers->>'delivery_id', coalesce(headers->>'github_event', 'unknown'), timestamp
                FROM mt_events WHERE headers->>'delivery_id' IS NOT NULL
                ORDER BY headers->>'delivery_id', seq_id
            ON CONFLICT (delivery_id) DO NOTHING
            """, connection) { CommandTimeout = 600 })
            await cmd.ExecuteNonQueryAsync(ct);
        BenchContext.Note($"apart: reading the {rows:N0} events with the rebuild's query takes {readTime.TotalSeconds:0.00} s; its closing " +
                          $"rg_deliveries back-fill statement {backfill.Elapsed.TotalSeconds:0.00} s; the rest is deserialising and folding");
    }
}

/// <summary>Writes a realistic event log with binary COPY, the way ingestion and the governor would have appended it.</summary>
public static class EventLogWriter
{
    private sealed record Headers(string? DeliveryId, string? GitHubEvent, long? InstallationId, string? Actor);

    private sealed record Row(string StreamId, ReleaseEvent Event, string Correlation, string? Causation, Headers Headers);

    /// <summary>
    /// Per verified sha of a repository: push to main, "Verify main" requested / in_progress / completed, the deploy
    /// run in_progress / completed (6 events on <c>repo/o/n</c>), and on <c>release/o/n/production</c> the verification,
    /// the decision, the dispatch request, the dispatch, the start and the success (6). Repositories take turns.
    /// Returns how many release streams were written.
    /// </summary>
    public static async Task<int> FillAsync(NpgsqlDataSource dataSource, int total, int repositories, CancellationToken ct)
    {
        var repos = Enumerable.Range(1, repositories).Select(i => $"bench-rebuild/repo-{i:000}").ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var streams = new NpgsqlCommand(
            "INSERT INTO mt_streams (id, type, version) SELECT unnest(@ids), unnest(@types), 0", connection))
        {
            streams.Parameters.AddWithValue("ids", repos.SelectMany(r => new[] { $"repo/{r}", $"release/{r}/production" }).ToArray());
            streams.Parameters.AddWithValue("types", repos.SelectMany(_ => new[] { "repo", "release" }).ToArray());
            await streams.ExecuteNonQueryAsync(ct);
        }

        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        var releaseStreams = new HashSet<string>(StringComparer.Ordinal);
        var written = 0;
        var at = DateTimeOffset.UtcNow.AddDays(-30);
        // Marten's mt_events takes its seq_id from the sequence in its own append function (no column default): the
        // copy numbers the rows itself and moves the sequence past them afterwards.
        long seq;
        await using (var next = new NpgsqlCommand("SELECT nextval('mt_events_sequence')", connection))
            seq = (long)(await next.ExecuteScalarAsync(ct))!;
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY mt_events (seq_id, id, stream_id, version, data, type, timestamp, correlation_id, causation_id, headers) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var cycle = 0; written < total; cycle++)
            {
                var repo = repos[cycle % repos.Length];
                foreach (var row in Cycle(repo, cycle, at = at.AddSeconds(7)))
                {
                    if (written == total) break;
                    var version = versions[row.StreamId] = versions.GetValueOrDefault(row.StreamId) + 1;
                    if (row.StreamId.StartsWith("release/", StringComparison.Ordinal)) releaseStreams.Add(row.StreamId);
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(seq++, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(Guid.CreateVersion7(row.Event.At), NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(row.StreamId, NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(version, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(EventJson.Serialize(row.Event), NpgsqlDbType.Jsonb, ct);
                    await copy.WriteAsync(EventTypes.NameOf(row.Event), NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(row.Event.At, NpgsqlDbType.TimestampTz, ct);
                    await copy.WriteAsync(row.Correlation, NpgsqlDbType.Varchar, ct);
                    if (row.Causation is null) await copy.WriteNullAsync(ct);
                    else await copy.WriteAsync(row.Causation, NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(JsonSerializer.Serialize(row.Headers, EventJson.Options), NpgsqlDbType.Jsonb, ct);
                    written++;
                }
            }
            await copy.CompleteAsync(ct);
        }

        await using (var setval = new NpgsqlCommand($"SELECT setval('mt_events_sequence', {seq})", connection))
            await setval.ExecuteNonQueryAsync(ct);
        await using (var update = new NpgsqlCommand(
            "UPDATE mt_streams s SET version = v.version FROM (SELECT unnest(@ids) AS id, unnest(@versions) AS version) v WHERE s.id = v.id", connection))
        {
            update.Parameters.AddWithValue("ids", versions.Keys.ToArray());
            update.Parameters.AddWithValue("versions", versions.Values.ToArray());
            await update.ExecuteNonQueryAsync(ct);
        }
        return releaseStreams.Count;
    }

    private static IEnumerable<Row> Cycle(string repo, int cycle, DateTimeOffset at)
    {
        var sha = Sha(cycle);
        var previous = Sha(cycle - 1);
        var repoStream = $"repo/{repo}";
        var release = $"release/{repo}/production";
        var verifyRun = 60_000_000L + cycle;
        var deployRun = 80_000_000L + cycle;
        var url = $"https://github.com/{repo}/actions/runs/";
        string Delivery() => Guid.NewGuid().ToString();
        Row Received(string delivery, string ghEvent, ReleaseEvent e) =>
            new(repoStream, e, delivery, null, new Headers(delivery, ghEvent, 42, "octocat"));

        var push = Delivery();
        yield return Received(push, "push", new MainAdvanced("main", previous, sha, "octocat", 1, false) { At = at });
        foreach (var (action, offset) in new[] { ("requested", 1), ("in_progress", 2) })
            yield return Received(Delivery(), "workflow_run", new WorkflowRunReceived(action, "Verify main", ".github/workflows/verify-main.yml",
                verifyRun, 1, sha, "main", "push", action, null, "Verify main", url + verifyRun, "main") { At = at.AddSeconds(offset) });

        var verified = Delivery();
        var completedAt = at.AddSeconds(3);
        yield return Received(verified, "workflow_run", new WorkflowRunReceived("completed", "Verify main", ".github/workflows/verify-main.yml",
            verifyRun, 1, sha, "main", "push", "completed", "success", "Verify main", url + verifyRun, "main") { At = completedAt });
        var byGovernor = new Headers(verified, "workflow_run", 42, "octocat");
        var cause = Guid.NewGuid().ToString();
        yield return new Row(release, new VerificationCompleted(sha, verifyRun, 1, "success", url + verifyRun) { At = completedAt }, verified, cause, byGovernor);
        yield return new Row(release, new DeployDecided(sha, DecisionOutcome.Allow, "allow_low", null, RiskClass.Low,
            [], "sha256:4f1c0de5", []) { At = completedAt }, verified, cause, byGovernor);
        yield return new Row(release, new DeployDispatchRequested(sha, "deploy.yml", "main",
            new Dictionary<string, string> { ["sha"] = sha }) { At = completedAt }, verified, cause, byGovernor);
        yield return new Row(release, new DeployDispatched(sha, 1, deployRun, $"https://api.github.com/repos/{repo}/actions/runs/{deployRun}",
            url + deployRun) { At = completedAt.AddSeconds(1) }, verified, cause, new Headers(null, null, null, "release-governor"));

        foreach (var (action, conclusion, offset) in new[] { ("in_progress", (string?)null, 2), ("completed", "success", 4) })
        {
            var delivery = Delivery();
            var runAt = completedAt.AddSeconds(offset);
            yield return Received(delivery, "workflow_run", new WorkflowRunReceived(action, "Deploy", ".github/workflows/deploy.yml", deployRun, 1,
                sha, "main", "workflow_dispatch", action, conclusion, $"Deploy {sha}", url + deployRun, "main") { At = runAt });
            ReleaseEvent outcome = conclusion is null
                ? new DeployStarted(sha, deployRun, url + deployRun) { At = runAt }
                : new DeploySucceeded(sha, deployRun, url + deployRun) { At = runAt };
            yield return new Row(release, outcome, delivery, Guid.NewGuid().ToString(), new Headers(delivery, "workflow_run", 42, "octocat"));
        }
    }

    private static string Sha(int n) => Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(BitConverter.GetBytes(n)));
}
