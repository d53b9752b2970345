using System.Diagnostics;
using ReleaseGovernor.Benchmarks.Infrastructure;
using ReleaseGovernor.Benchmarks.Load;
using ReleaseGovernor.Testing.Hosting;

namespace ReleaseGovernor.Benchmarks;

/// <summary>What every phase shares: the options, the database, the fake GitHub, the running server and the report.</summary>
public sealed class BenchContext(BenchOptions options, string root, string workFolder, BenchDatabase db, BenchGitHub gitHub,
    ServerProcess server, HttpClient http, string webhookSecret, string cliDll, Report report)
{
    public BenchOptions Options { get; } = options;
    public string Root { get; } = root;
    public string WorkFolder { get; } = workFolder;
    public BenchDatabase Db { get; } = db;
    public BenchGitHub GitHub { get; } = gitHub;
    public ServerProcess Server { get; } = server;
    public HttpClient Http { get; } = http;
    public WebhookSender Sender { get; } = new(http, webhookSecret);
    public string CliDll { get; } = cliDll;
    public Report Report { get; } = report;
    public CpuMeter Cpu { get; } = new(() => server.HasExited ? null : server.ProcessId, db.PostmasterPid);

    /// <summary>The share of the CPU other processes on the machine took during each measured part, for the report.</summary>
    public List<(string Part, double Share)> OthersCpu { get; } = [];

    /// <summary>Prints where the CPU went during a measured part and remembers how much of it others took.</summary>
    public void NoteCpu(string part, CpuSample used, TimeSpan elapsed, string benchmarkName, string? childName)
    {
        Note(CpuMeter.Describe(used, elapsed, benchmarkName, childName));
        if (CpuMeter.OthersShare(used, elapsed, childName is not null) is { } share) OthersCpu.Add((part, share));
    }

    /// <summary>
    /// Settles the database before a measured part, as a database in steady use is: dead rows vacuumed, statistics
    /// fresh (so the planner sees the tables as they are), a checkpoint done (so none falls inside the measurement).
    /// </summary>
    public async Task SettleDatabaseAsync(CancellationToken ct)
    {
        await Db.ExecAsync("VACUUM ANALYZE", ct);
        await Db.ExecAsync("CHECKPOINT", ct);
    }

    public static void Phase(string text) => Console.WriteLine($"\n==> {text}");

    public static void Note(string text) => Console.WriteLine($"    {text}");

    /// <summary>
    /// Waits until the server's worker has nothing left to do (no due or leased outbox item), printing progress; bounded.
    /// Items the pgbench run left are far in the future and do not count. Returns the time it took, or null when
    /// it did not finish in time (then says what is left and why).
    /// </summary>
    public async Task<TimeSpan?> DrainOutboxAsync(TimeSpan limit, CancellationToken ct)
    {
        const string pending = "SELECT count(*) FROM rg_outbox WHERE completed_at IS NULL AND available_at < now() + interval '1 day'";
        var clock = Stopwatch.StartNew();
        var nextReport = TimeSpan.FromSeconds(5);
        while (true)
        {
            var left = await Db.ScalarAsync(pending, null, ct);
            if (left == 0) return clock.Elapsed;
            if (clock.Elapsed > limit)
            {
                var error = await Db.TextAsync(
                    "SELECT last_error FROM rg_outbox WHERE completed_at IS NULL AND last_error IS NOT NULL AND available_at < now() + interval '1 day' ORDER BY id DESC LIMIT 1", ct);
                Note($"the worker still has {left:N0} outbox item(s) after {limit.TotalSeconds:0} s" +
                     (error is null ? "; going on." : $"; latest error: {error}"));
                return null;
            }
            if (clock.Elapsed >= nextReport)
            {
                var retrying = await Db.TextAsync(
                    "SELECT count(*) || ' waiting to be retried, latest error: ' || coalesce(max(last_error), '-') FROM rg_outbox WHERE completed_at IS NULL AND last_error IS NOT NULL AND available_at < now() + interval '1 day'", ct);
                Note($"waiting for the worker to finish: {left:N0} outbox item(s) left after {clock.Elapsed.TotalSeconds:0} s ({retrying})");
                nextReport += TimeSpan.FromSeconds(5);
            }
            await Task.Delay(100, ct);
        }
    }
}

/// <summary>Samples the server's resident memory (VmRSS) every 100 ms; <see cref="MaxKb"/> is the largest seen since the last reset.</summary>
public sealed class RssSampler : IAsyncDisposable
{
    private readonly ServerProcess _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _maxKb;

    public RssSampler(ServerProcess server)
    {
        _server = server;
        _loop = Task.Run(LoopAsync);
    }

    public long MaxKb => Interlocked.Read(ref _maxKb);

    public void Reset() => Interlocked.Exchange(ref _maxKb, 0);

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            if (_server.StatusKb("VmRSS") is { } kb)
            {
                long seen;
                while (kb > (seen = Interlocked.Read(ref _maxKb)) && Interlocked.CompareExchange(ref _maxKb, kb, seen) != seen) { }
            }
            try { await Task.Delay(100, _stop.Token); }
            catch (OperationCanceledException) { return; }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
