using ReleaseGovernor.Benchmarks.Infrastructure;
using ReleaseGovernor.Benchmarks.Load;
using ReleaseGovernor.Testing.Hosting;

namespace ReleaseGovernor.Benchmarks.Phases;

/// <summary>
/// 9. What observability costs ingest: the phase-1 load (closed loop, signed deliveries) against a fresh server with
/// OpenTelemetry off (<c>OTEL_SDK_DISABLED=true</c>), with the default (metrics, /metrics scraped every 5 s), and with
/// traces exported over OTLP to a local receiver as well (metrics too), every trace or one in ten — taking turns, each
/// for the ingest time, in the reverse order every second round. The figures are the ratios of their rates to off.
/// </summary>
public static class TelemetryPhase
{
    public const string Owner = "bench-telemetry";

    /// <summary>One way to run the server: its name in the report, the settings it adds, whether /metrics is scraped.</summary>
    private sealed record Setup(string Name, IReadOnlyDictionary<string, string> Settings, bool Scraped);

    public static async Task RunAsync(BenchContext ctx, string serverDll, IReadOnlyDictionary<string, string> serverEnvironment, string webhookSecret,
        CancellationToken ct)
    {
        var o = ctx.Options;
        var rounds = 2;
        await using var sink = await OtlpSink.StartAsync();
        var otlp = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "5000",
        };
        Setup[] setups =
        [
            new("off", new Dictionary<string, string> { ["OTEL_SDK_DISABLED"] = "true" }, false),
            new("metrics (the default: /metrics, no traces)", new Dictionary<string, string>(), true),
            new("metrics and every trace (OTLP)", otlp, true),
            new("metrics and 1 in 10 traces (OTLP, parentbased_traceidratio 0.1)",
                new Dictionary<string, string>(otlp) { ["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio", ["OTEL_TRACES_SAMPLER_ARG"] = "0.1" }, true),
        ];
        BenchContext.Phase($"[9] Telemetry cost: ingest with OpenTelemetry off, metrics only, metrics and traces — {rounds} round(s) of " +
                           $"{o.IngestSeconds} s each, concurrency {o.Concurrency}");
        BenchContext.Note($"OTLP receiver: {sink.Endpoint}");
        var rates = setups.ToDictionary(s => s, _ => new List<double>());
        var errors = 0;
        long next = 0;
        var mix = new DeliveryMix(Owner, o.Repositories);
        for (var round = 1; round <= rounds; round++)
        {
            // Every round stores more events, so later runs meet a bigger database: even rounds go in the reverse order
            // (off, metrics, …, then …, metrics, off), and the database's growth weighs the same on every setup.
            foreach (var setup in round % 2 == 1 ? setups : setups.Reverse())
            {
                var environment = new Dictionary<string, string>(serverEnvironment);
                foreach (var (key, value) in setup.Settings) environment[key] = value;
                var (rate, failed) = await MeasureAsync(ctx, serverDll, environment, webhookSecret, mix, setup.Scraped, () => Interlocked.Increment(ref next), ct);
                rates[setup].Add(rate);
                errors += failed;
                BenchContext.Note($"round {round}, {setup.Name}: {Report.N(rate, "N1")} deliveries/s, {failed} errors");
            }
        }
        BenchContext.Note($"OTLP receiver got {sink.TraceExports:N0} trace and {sink.MetricExports:N0} metric exports, {sink.Bytes / 1024.0 / 1024.0:N1} MB");

        var r = ctx.Report;
        var off = rates[setups[0]].Average();
        r.Add("9. ingest, telemetry off (OTEL_SDK_DISABLED=true)", $"{Report.N(off, "N0")} deliveries/s", "—");
        foreach (var setup in setups.Skip(1))
        {
            var rate = rates[setup].Average();
            var ratio = off > 0 ? rate / off : double.NaN;
            r.Add($"9. {setup.Name}: rate, ratio to off", $"{Report.N(rate, "N0")} deliveries/s, {Report.N(ratio, "0.00")}", "≥ 0.90", ratio >= 0.90);
        }
        r.Add("9. errors, traces exported", $"{errors}, {sink.TraceExports:N0} trace exports ({Report.N(sink.Bytes / 1024.0 / 1024.0, "N1")} MB)", "0, > 0",
            errors == 0 && sink.TraceExports > 0);
    }

    private static async Task<(double Rate, int Errors)> MeasureAsync(BenchContext ctx, string serverDll, Dictionary<string, string> environment,
        string webhookSecret, DeliveryMix mix, bool scrape, Func<long> nextIndex, CancellationToken ct)
    {
        var o = ctx.Options;
        ServerProcess started;
        try
        {
            started = ServerProcess.StartDll(serverDll, Tools.FreePort(), environment, Tools.Dotnet());
        }
        catch (InvalidOperationException e)
        {
            throw new BenchmarkException(e.Message);
        }
        await using var server = started;
        using var http = WebhookSender.CreateClient(server.BaseUrl);
        try
        {
            await server.WaitReadyAsync(TimeSpan.FromSeconds(120), ct: ct);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            throw new BenchmarkException($"The telemetry {(scrape ? "on" : "off")} server did not get ready: {e.Message}");
        }
        var sender = new WebhookSender(http, webhookSecret);
        await IngestPhase.ClosedLoopAsync(sender, mix, o.Concurrency, TimeSpan.FromSeconds(o.WarmupSeconds), nextIndex, ct);
        await ctx.DrainOutboxAsync(TimeSpan.FromSeconds(60), ct);
        await ctx.SettleDatabaseAsync(ct);

        using var stopScraping = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var scraper = scrape ? ScrapeAsync(http, stopScraping.Token) : Task.CompletedTask;
        var run = await IngestPhase.ClosedLoopAsync(sender, mix, o.Concurrency, TimeSpan.FromSeconds(o.IngestSeconds), nextIndex, ct);
        await stopScraping.CancelAsync();
        await scraper;
        await ctx.DrainOutboxAsync(TimeSpan.FromSeconds(120), ct);
        var ok = run.Results.Count(d => d.Ok);
        return (ok / run.Elapsed.TotalSeconds, run.Results.Count - ok);
    }

    /// <summary>What a Prometheus does: GET /metrics every 5 s (the benchmark's server has no API token, so no bearer is needed).</summary>
    private static async Task ScrapeAsync(HttpClient http, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
                using var response = await http.SendAsync(request, ct);
                if (!response.IsSuccessStatusCode)
                    throw new BenchmarkException($"GET /metrics answered {(int)response.StatusCode}; the telemetry run measures nothing without it.");
                await Task.Delay(TimeSpan.FromSeconds(5), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }
}
