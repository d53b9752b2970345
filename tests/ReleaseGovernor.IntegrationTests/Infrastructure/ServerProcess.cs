using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ReleaseGovernor.IntegrationTests.Infrastructure;

/// <summary>
/// The real server as a separate OS process (the build output beside the tests), on its own loopback port:
/// for tests that need several replicas, or to kill one with SIGKILL.
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
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }
    public HttpClient Client { get; }
    public int ProcessId => _process.Id;
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Starts the server; with <paramref name="connectionString"/> null it uses the local embedded database.</summary>
    public static ServerProcess Start(string? connectionString, string gitHubBaseUrl, string gitHubToken, IReadOnlyDictionary<string, string>? extra = null)
    {
        var port = FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "ReleaseGovernor.Server.dll");
        var info = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        if (connectionString is null) info.Environment.Remove("ConnectionStrings__ReleaseGovernor");
        else info.Environment["ConnectionStrings__ReleaseGovernor"] = connectionString;
        info.Environment["GitHub__WebhookSecret"] = GovernorApp.Secret;
        info.Environment["GitHub__ApiBaseUrl"] = gitHubBaseUrl;
        info.Environment["GitHub__Token"] = gitHubToken;
        info.Environment["GitHub__BaseDelay"] = "00:00:00.020";
        info.Environment["GitHub__MaxDelay"] = "00:00:00.200";
        info.Environment["GitHub__Timeout"] = "00:00:02";
        info.Environment["Processing__PollInterval"] = "00:00:00.100";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var process = ProcessGuard.Track(Process.Start(info) ?? throw new InvalidOperationException("Could not start the server process."));
        var server = new ServerProcess(process, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits (bounded) for /readyz 200; past the bound a <see cref="TimeoutException"/> with the server's output.</summary>
    public async Task WaitReadyAsync(TimeSpan? bound = null)
    {
        using var timeout = new CancellationTokenSource(bound ?? TimeSpan.FromSeconds(60));
        try
        {
            while (true)
            {
                if (_process.HasExited)
                    throw new InvalidOperationException($"The server exited with {_process.ExitCode}:\n{Output}");
                try
                {
                    if ((await Client.GetAsync("/readyz", timeout.Token)).StatusCode == HttpStatusCode.OK) return;
                }
                catch (HttpRequestException) { }
                await Task.Delay(50, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"The server was not ready in time:\n{Output}");
        }
    }

    public async Task<HttpResponseMessage> PostAsync(string gitHubEvent, byte[] body, string delivery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhooks") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-GitHub-Event", gitHubEvent);
        request.Headers.Add("X-GitHub-Delivery", delivery);
        request.Headers.Add("X-Hub-Signature-256", GovernorApp.Sign(body));
        return await Client.SendAsync(request);
    }

    /// <summary>SIGTERM, as systemd or Kubernetes stop it; waits (bounded) for the exit and returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan bound)
    {
        using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString()]) { UseShellExecute = false }))
            await term!.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(bound);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
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

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
