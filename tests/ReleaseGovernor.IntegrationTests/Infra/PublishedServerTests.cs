using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Infra;

/// <summary>
/// The server as the image runs it: published the way infra/Dockerfile publishes it, started with
/// <c>dotnet ReleaseGovernor.Server.dll</c> against an empty database, and ready on its own.
/// </summary>
public sealed class PublishedServerTests
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan BetweenTries = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task The_published_server_migrates_an_empty_database_and_becomes_ready()
    {
        var published = await PublishedServer.FolderAsync();
        var database = await TestPostgres.CreateDatabaseAsync(migrate: false);
        var port = FreePort();
        var output = new ProcessOutput();

        var start = new ProcessStartInfo(PublishedServer.Dotnet)
        {
            WorkingDirectory = published,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(published, PublishedServer.Assembly));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        PublishedServer.CleanEnvironment(start);
        start.Environment["ConnectionStrings__ReleaseGovernor"] = database;

        using var server = new Process { StartInfo = start };
        server.OutputDataReceived += (_, e) => output.Add(e.Data);
        server.ErrorDataReceived += (_, e) => output.Add(e.Data);
        try
        {
            Assert.True(server.Start(), "dotnet did not start");
            ProcessGuard.Track(server);
            server.BeginOutputReadLine();
            server.BeginErrorReadLine();

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var ready = await WaitForReadyAsync(http, server);
            Assert.True(ready.Status == HttpStatusCode.OK,
                $"/readyz did not answer 200 (last: {ready.Last}; waited up to {ReadyWithin.TotalSeconds:0} s).\n{output}");

            using var health = await http.GetAsync("/healthz");
            Assert.True(health.StatusCode == HttpStatusCode.OK, $"/healthz answered {(int)health.StatusCode}.\n{output}");
        }
        finally
        {
            Stop(server);
        }
    }

    /// <summary>Polls /readyz until it answers 200, the process exits, or the bound passes.</summary>
    private static async Task<(HttpStatusCode? Status, string Last)> WaitForReadyAsync(HttpClient http, Process server)
    {
        var deadline = Stopwatch.StartNew();
        var last = "nothing yet";
        while (deadline.Elapsed < ReadyWithin)
        {
            if (server.HasExited)
                return (null, $"the process exited with code {server.ExitCode}");
            try
            {
                using var response = await http.GetAsync("/readyz");
                if (response.StatusCode == HttpStatusCode.OK)
                    return (HttpStatusCode.OK, "200");
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            await Task.Delay(BetweenTries);
        }
        return (null, last);
    }

    private static void Stop(Process server) => ProcessGuard.End(server);

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}

/// <summary>
/// <c>dotnet publish src/ReleaseGovernor.Server -c Release -o &lt;folder&gt;</c>, as infra/Dockerfile runs it,
/// once per test run; the folder is removed when the test process ends.
/// </summary>
internal static class PublishedServer
{
    public const string Assembly = "ReleaseGovernor.Server.dll";

    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    /// <summary>The dotnet host running these tests, so the child uses the same SDK and runtime.</summary>
    public static string Dotnet { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";

    public static Task<string> FolderAsync() => Published.Value;

    /// <summary>
    /// Leaves out what the test host passes down that would change how the child builds or runs: MSBuild's
    /// settings from the outer <c>dotnet test</c>, and the server's own RELEASE_GOVERNOR_* and ASP.NET settings.
    /// </summary>
    public static void CleanEnvironment(ProcessStartInfo start)
    {
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("RELEASE_GOVERNOR_", StringComparison.Ordinal)
                || name.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
                || name.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("GitHub__", StringComparison.OrdinalIgnoreCase))
                start.Environment.Remove(name);
        }
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
    }

    private static async Task<string> PublishAsync()
    {
        var root = RepositoryRoot();
        var folder = Path.Combine(Path.GetTempPath(), $"rg-published-{Guid.NewGuid():N}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };

        var start = new ProcessStartInfo(Dotnet)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "publish", "src/ReleaseGovernor.Server", "-c", "Release", "-o", folder, "-nodeReuse:false" })
            start.ArgumentList.Add(arg);
        CleanEnvironment(start);

        var output = new ProcessOutput();
        using var publish = new Process { StartInfo = start };
        publish.OutputDataReceived += (_, e) => output.Add(e.Data);
        publish.ErrorDataReceived += (_, e) => output.Add(e.Data);
        publish.Start();
        ProcessGuard.Track(publish);
        publish.BeginOutputReadLine();
        publish.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await publish.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            publish.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"dotnet publish did not finish within 10 minutes.\n{output}");
        }
        publish.WaitForExit(); // drains the redirected output
        ProcessGuard.End(publish);

        Assert.True(publish.ExitCode == 0, $"dotnet publish exited with {publish.ExitCode}.\n{output}");
        Assert.True(File.Exists(Path.Combine(folder, Assembly)), $"dotnet publish left no {Assembly} in {folder}.\n{output}");
        return folder;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReleaseGovernor.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("Could not find ReleaseGovernor.sln above " + AppContext.BaseDirectory);
    }
}

/// <summary>Lines a child process wrote, in arrival order, safe to add to from its output threads.</summary>
internal sealed class ProcessOutput
{
    private readonly StringBuilder _text = new();

    public void Add(string? line)
    {
        if (line is null) return;
        lock (_text) _text.AppendLine(line);
    }

    public override string ToString()
    {
        lock (_text) return _text.Length == 0 ? "(no output)" : "--- process output ---\n" + _text;
    }
}
