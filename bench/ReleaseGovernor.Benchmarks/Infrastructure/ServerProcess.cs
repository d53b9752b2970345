using System.Diagnostics;
using System.Globalization;

namespace ReleaseGovernor.Benchmarks.Infrastructure;

/// <summary>
/// The real server, published in Release and started as a child process (<c>dotnet ReleaseGovernor.Server.dll
/// --urls http://127.0.0.1:PORT</c>). Its output is kept (last lines) to explain a failed start.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();

    private ServerProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>Publishes the server in Release to <paramref name="outputFolder"/>; returns the path of its dll.</summary>
    public static async Task<string> PublishAsync(string root, string outputFolder, CancellationToken ct) =>
        await PublishProjectAsync(root, "src/ReleaseGovernor.Server/ReleaseGovernor.Server.csproj", outputFolder, "ReleaseGovernor.Server.dll", ct);

    /// <summary><c>dotnet publish -c Release</c> of one project; returns the path of the named dll in the output.</summary>
    public static async Task<string> PublishProjectAsync(string root, string project, string outputFolder, string dll, CancellationToken ct)
    {
        var result = await Tools.RunAsync(Tools.Dotnet(),
            ["publish", Path.Combine(root, project), "-c", "Release", "-o", outputFolder, "--nologo", "-v", "quiet"],
            root, null, TimeSpan.FromMinutes(15), ct);
        var path = Path.Combine(outputFolder, dll);
        if (result.ExitCode != 0 || !File.Exists(path))
            throw new BenchmarkException($"`dotnet publish {project} -c Release` failed (exit {result.ExitCode}). Fix the build " +
                                         $"(try it by hand from {root}); its output ended with:\n{result.Tail()}");
        return path;
    }

    public static ServerProcess Start(string dll, int port, IReadOnlyDictionary<string, string> environment)
    {
        var url = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo(Tools.Dotnet(), [dll, "--urls", url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        // Only what we set: no RELEASE_GOVERNOR_* overrides or ASP.NET settings leak in from this shell.
        foreach (var key in info.Environment.Keys.ToList())
            if (key.StartsWith("RELEASE_GOVERNOR_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("GitHub__", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("Processing__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("Logging__", StringComparison.OrdinalIgnoreCase))
                info.Environment.Remove(key);
        foreach (var (key, value) in environment) info.Environment[key] = value;

        var process = new Process { StartInfo = info };
        var server = new ServerProcess(process, new Uri(url));
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new BenchmarkException($"Could not start the server ({dll}): {e.Message}");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits for GET /readyz to answer 200, with a progress line every 5 s; bounded.</summary>
    public async Task WaitReadyAsync(HttpClient http, TimeSpan limit, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var nextReport = TimeSpan.FromSeconds(5);
        var last = "no answer yet";
        while (true)
        {
            if (_process.HasExited)
                throw new BenchmarkException($"The server exited (code {_process.ExitCode}) before it was ready. Its output ended with:\n{LastOutput()}");
            try
            {
                using var response = await http.GetAsync(new Uri(BaseUrl, "/readyz"), ct);
                if ((int)response.StatusCode == 200) return;
                last = $"{(int)response.StatusCode} {(await response.Content.ReadAsStringAsync(ct)).Trim()}";
            }
            catch (HttpRequestException e) { last = e.Message; }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { last = "timed out"; }

            if (clock.Elapsed > limit)
                throw new BenchmarkException($"The server did not become ready within {limit.TotalSeconds:0} s (last /readyz: {last}). " +
                                             $"Check the database and the server output:\n{LastOutput()}");
            if (clock.Elapsed >= nextReport)
            {
                Console.WriteLine($"      waiting for /readyz: {clock.Elapsed.TotalSeconds:0} s (last: {Short(last)})");
                nextReport += TimeSpan.FromSeconds(5);
            }
            await Task.Delay(200, ct);
        }
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

    public string LastOutput()
    {
        lock (_lastLines) return _lastLines.Count == 0 ? "(no output)" : string.Join('\n', _lastLines);
    }

    /// <summary>SIGTERM (graceful stop), then kill after 10 s.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        try
        {
            using var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false });
            term?.WaitForExit();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            while (_lastLines.Count > 40) _lastLines.Dequeue();
        }
    }

    private static string Short(string text) => text.Length > 160 ? text[..160] + "…" : text;
}
