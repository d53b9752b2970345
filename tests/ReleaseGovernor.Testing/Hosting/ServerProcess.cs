using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ReleaseGovernor.Testing.Webhooks;

namespace ReleaseGovernor.Testing.Hosting;

/// <summary>
/// The real server as a separate OS process on its own loopback port: for tests that need several replicas or kill one
/// with SIGKILL, and for the benchmark (a published Release build). Registered with <see cref="ProcessGuard"/>, so it
/// never outlives the process that started it.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private bool _disposed;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        BaseUrl = new Uri($"http://127.0.0.1:{port}");
        Client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }
    public Uri BaseUrl { get; }
    public HttpClient Client { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>
    /// Starts the test build of the server (beside the tests) for the fake GitHub at <paramref name="gitHubBaseUrl"/>;
    /// with <paramref name="connectionString"/> null it uses the local embedded database.
    /// </summary>
    public static ServerProcess Start(string? connectionString, string gitHubBaseUrl, string gitHubToken, IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["GitHub__WebhookSecret"] = SignedDelivery.Secret,
            ["GitHub__ApiBaseUrl"] = gitHubBaseUrl,
            ["GitHub__Token"] = gitHubToken,
            ["GitHub__BaseDelay"] = "00:00:00.020",
            ["GitHub__MaxDelay"] = "00:00:00.200",
            ["GitHub__Timeout"] = "00:00:02",
            ["Processing__PollInterval"] = "00:00:00.100",
            ["Logging__LogLevel__Default"] = "Warning",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        if (connectionString is not null) environment["ConnectionStrings__ReleaseGovernor"] = connectionString;
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) environment[k] = v;
        return StartDll(Path.Combine(AppContext.BaseDirectory, "ReleaseGovernor.Server.dll"), FreePort(), environment);
    }

    /// <summary>
    /// Starts <paramref name="dll"/> with only the given settings: no <c>RELEASE_GOVERNOR_*</c>, ASP.NET, connection string,
    /// GitHub, processing, logging or OpenTelemetry settings leak in from this process's environment.
    /// </summary>
    public static ServerProcess StartDll(string dll, int port, IReadOnlyDictionary<string, string> environment, string? dotnetHost = null)
    {
        var info = new ProcessStartInfo(dotnetHost ?? DotnetHost(), [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var key in info.Environment.Keys.ToList())
            if (InheritedPrefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
                info.Environment.Remove(key);
        foreach (var (key, value) in environment) info.Environment[key] = value;

        Process process;
        try
        {
            process = ProcessGuard.Track(Process.Start(info) ?? throw new InvalidOperationException($"Could not start the server ({dll})."));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start the server ({dll}): {e.Message}", e);
        }
        var server = new ServerProcess(process, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>
    /// Waits (bounded) for /readyz 200; past the bound a <see cref="TimeoutException"/> with the last /readyz answer and the
    /// server's output. <paramref name="progress"/> hears the elapsed time and the last answer every 5 s.
    /// </summary>
    public async Task WaitReadyAsync(TimeSpan? bound = null, Action<TimeSpan, string>? progress = null, CancellationToken ct = default)
    {
        var limit = bound ?? TimeSpan.FromSeconds(60);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        var clock = Stopwatch.StartNew();
        var nextReport = TimeSpan.FromSeconds(5);
        var last = "no answer yet";
        try
        {
            while (true)
            {
                if (_process.HasExited)
                    throw new InvalidOperationException($"The server exited with {_process.ExitCode} before it was ready:\n{Output}");
                try
                {
                    using var response = await Client.GetAsync("/readyz", timeout.Token);
                    if (response.StatusCode == HttpStatusCode.OK) return;
                    last = $"{(int)response.StatusCode} {(await response.Content.ReadAsStringAsync(timeout.Token)).Trim()}";
                }
                catch (HttpRequestException e) { last = e.Message; }
                if (clock.Elapsed >= nextReport)
                {
                    progress?.Invoke(clock.Elapsed, last);
                    nextReport += TimeSpan.FromSeconds(5);
                }
                await Task.Delay(50, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new TimeoutException($"The server was not ready within {limit.TotalSeconds:0} s (last /readyz: {last}):\n{LastOutput()}");
        }
    }

    public async Task<HttpResponseMessage> PostAsync(string gitHubEvent, byte[] body, string delivery)
    {
        using var request = SignedDelivery.Request(gitHubEvent, body, delivery);
        return await Client.SendAsync(request);
    }

    /// <summary>A field of /proc/PID/status in kB (VmRSS = resident now, VmHWM = peak resident since start).</summary>
    public long? StatusKb(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>The last 40 lines of output.</summary>
    public string LastOutput()
    {
        var lines = Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 0 ? "(no output)" : string.Join('\n', lines.TakeLast(40));
    }

    /// <summary>SIGTERM, as systemd or Kubernetes stop it; waits (bounded) for the exit and returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan bound)
    {
        using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
            await term!.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(bound);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGTERM (graceful stop); killed when it has not exited within <paramref name="bound"/>.</summary>
    public async Task StopOrKillAsync(TimeSpan bound)
    {
        if (_disposed || _process.HasExited) return;
        try { await StopAsync(bound); }
        catch (OperationCanceledException) { Kill(); }
    }

    /// <summary>SIGKILL: no shutdown, no flush, as a crash.</summary>
    public void Kill()
    {
        if (_disposed) return;
        ProcessGuard.End(_process);
    }

    /// <summary>Kills the process tree; safe to call twice (e.g. after <see cref="Kill"/>, or from <c>await using</c>).</summary>
    public ValueTask DisposeAsync()
    {
        if (_disposed) return ValueTask.CompletedTask;
        Kill();
        _disposed = true;
        Client.Dispose();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The dotnet host running this process, else <c>dotnet</c> on PATH.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static readonly string[] InheritedPrefixes =
        ["RELEASE_GOVERNOR_", "ASPNETCORE_", "ConnectionStrings__", "GitHub__", "Processing__", "Logging__", "OTEL_"];

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
