using System.Diagnostics;
using System.Runtime.InteropServices;
using ReleaseGovernor.Benchmarks;
using ReleaseGovernor.Benchmarks.Infrastructure;
using ReleaseGovernor.Benchmarks.Load;
using ReleaseGovernor.Benchmarks.Phases;
using ReleaseGovernor.Testing.Hosting;

// ReleaseGovernor benchmarks: one command, everything it needs started here and stopped at the end.
//   dotnet run -c Release --project bench/ReleaseGovernor.Benchmarks -- [--db CONN] [--seconds N] [--concurrency N] [--quick] [--only 1,3,9]

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (BenchmarkException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    Console.Error.WriteLine("interrupted: stopping the server and PostgreSQL …");
    cancel.Cancel();
};

var started = DateTimeOffset.UtcNow;
var total = Stopwatch.StartNew();
var report = new Report();
var workFolder = Path.Combine(Path.GetTempPath(), $"rg-bench-{Guid.NewGuid():N}"[..17]);
BenchDatabase? db = null;
BenchGitHub? gitHub = null;
ServerProcess? server = null;
RssSampler? rss = null;
HttpClient? http = null;
try
{
    var ct = cancel.Token;
    Console.WriteLine($"ReleaseGovernor benchmarks — {started.UtcDateTime:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, " +
                      $"{RuntimeInformation.OSDescription}, .NET {Environment.Version}, {(options.Quick ? "--quick" : "full run")}");
    var root = Tools.RepositoryRoot();
    var idle = new CpuMeter(() => null, () => null);
    var before = idle.Sample();
    await Task.Delay(TimeSpan.FromSeconds(2), ct);
    if (CpuMeter.OthersShare(idle.Sample().Minus(before), TimeSpan.FromSeconds(2), countChildren: false) is { } busy)
        Console.WriteLine($"Before the run, other processes kept {busy:P0} of the machine's CPU busy" +
                          (busy > 0.15 ? ": the figures will be lower than on an otherwise idle machine." : "."));
    Directory.CreateDirectory(workFolder); // 0755: the postgres user must reach the cluster folder inside it

    BenchContext.Phase("Setup: start PostgreSQL, publish the server and the CLI (Release), start the fake GitHub and the server");
    db = await BenchDatabase.StartAsync(options.Db, workFolder, ct);
    BenchContext.Note($"PostgreSQL: {db.Description}");
    var clock = Stopwatch.StartNew();
    var serverDll = await Publish.ServerAsync(root, Path.Combine(workFolder, "server"), ct);
    BenchContext.Note($"published the server in {clock.Elapsed.TotalSeconds:0} s");
    clock.Restart();
    var cliDll = await Publish.ProjectAsync(root, "src/ReleaseGovernor.Cli/ReleaseGovernor.Cli.csproj", Path.Combine(workFolder, "cli"), "booty.dll", ct);
    BenchContext.Note($"published the CLI (booty) in {clock.Elapsed.TotalSeconds:0} s");

    gitHub = await BenchGitHub.StartAsync();
    BenchContext.Note($"fake GitHub: {gitHub.BaseUrl}");

    const string secret = "benchmark-webhook-secret";
    var port = Tools.FreePort();
    var serverEnvironment = new Dictionary<string, string>
    {
        ["ConnectionStrings__ReleaseGovernor"] = db.ConnectionString,
        ["GitHub__WebhookSecret"] = secret,
        ["GitHub__ApiBaseUrl"] = gitHub.BaseUrl,
        ["GitHub__Token"] = gitHub.Token,
        ["Processing__PollInterval"] = "00:00:00.050",
        ["Logging__LogLevel__Default"] = "Warning",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
    };
    ServerProcess process;
    try
    {
        process = ServerProcess.StartDll(serverDll, port, serverEnvironment, Tools.Dotnet());
    }
    catch (InvalidOperationException e)
    {
        throw new BenchmarkException(e.Message);
    }
    server = process;
    BenchContext.Note($"server: pid {server.ProcessId}, {server.BaseUrl}; waiting for /readyz …");
    http = WebhookSender.CreateClient(server.BaseUrl);
    clock.Restart();
    try
    {
        await server.WaitReadyAsync(TimeSpan.FromSeconds(120),
            (waited, last) => Console.WriteLine($"      waiting for /readyz: {waited.TotalSeconds:0} s (last: {(last.Length > 160 ? last[..160] + "…" : last)})"), ct);
    }
    catch (Exception e) when (e is TimeoutException or InvalidOperationException)
    {
        throw new BenchmarkException($"{e.Message}\nCheck the database and the server output above.");
    }
    BenchContext.Note($"server ready in {clock.Elapsed.TotalSeconds:0.0} s");
    rss = new RssSampler(server);

    var ctx = new BenchContext(options, root, workFolder, db, gitHub, server, http, secret, cliDll, report);
    if (options.Runs(1)) await IngestPhase.RunAsync(ctx, rss, ct);
    if (options.Runs(2)) await SteadyRatePhase.RunAsync(ctx, ct);
    if (options.Runs(3)) await DispatchPhase.RunAsync(ctx, ct);
    if (options.Runs(6)) await UnsignedFloodPhase.RunAsync(ctx, rss, ct);
    if (options.Runs(7)) await FloodPhase.RunAsync(ctx, ct);
    if (options.Runs(8)) await HistoryPhase.RunAsync(ctx, ct);
    if (server.HasExited)
        throw new BenchmarkException($"The server exited during the run (code unknown). Its output ended with:\n{server.LastOutput()}");
    await rss.DisposeAsync();
    rss = null;
    await server.StopOrKillAsync(TimeSpan.FromSeconds(10));
    if (options.Runs(4)) await RebuildPhase.RunAsync(ctx, ct);
    if (options.Runs(9)) await TelemetryPhase.RunAsync(ctx, serverDll, serverEnvironment, secret, ct);

    if (options.Runs(1))
        BenchContext.Phase("[5/6] Memory: the server's peak resident set during the ingest phase (figure 5 in the table)");
    var calls = gitHub.Counts.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value:N0}");
    BenchContext.Note($"fake GitHub served: {string.Join(", ", calls)}");
    if (ctx.OthersCpu.Count > 0)
        report.Add("machine: CPU taken by other processes during " + string.Join(" / ", ctx.OthersCpu.Select(o => o.Part)),
            string.Join(" / ", ctx.OthersCpu.Select(o => $"{o.Share:P0}")), "—");
    report.Print(Console.Out, options, started);
    Console.WriteLine($"\nTotal time {total.Elapsed.TotalMinutes:0.0} min.");
    return 0;
}
catch (BenchmarkException e)
{
    Console.Error.WriteLine($"\nerror: {e.Message}");
    return 1;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("interrupted.");
    return 130;
}
finally
{
    if (rss is not null) await rss.DisposeAsync();
    if (server is not null)
    {
        await server.StopOrKillAsync(TimeSpan.FromSeconds(10));
        await server.DisposeAsync();
    }
    http?.Dispose();
    if (gitHub is not null) await gitHub.DisposeAsync();
    if (db is not null) await db.DisposeAsync();
    try { Directory.Delete(workFolder, recursive: true); }
    catch (IOException) { }
    catch (UnauthorizedAccessException) { }
}
