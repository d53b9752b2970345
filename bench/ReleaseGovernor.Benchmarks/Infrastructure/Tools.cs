using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ReleaseGovernor.EventStore.Local;

namespace ReleaseGovernor.Benchmarks.Infrastructure;

/// <summary>The output and exit code of a program run to its end.</summary>
public sealed record ProcessResult(int ExitCode, string Output, TimeSpan Elapsed)
{
    /// <summary>The last lines of the output, to quote in an error.</summary>
    public string Tail(int lines = 25) => string.Join('\n', Output.Split('\n').TakeLast(lines)).Trim();
}

/// <summary>Finding the repository, the programs the benchmark runs, free ports; running a program to its end.</summary>
public static class Tools
{
    /// <summary>The repository root: the folder above the benchmark that holds ReleaseGovernor.sln.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "ReleaseGovernor.sln")))
                    return dir.FullName;
        throw new BenchmarkException(
            "Could not find ReleaseGovernor.sln above the benchmark or the current folder: run the benchmark from the repository " +
            "with `dotnet run -c Release --project bench/ReleaseGovernor.Benchmarks`.");
    }

    /// <summary>The dotnet host to publish and run the server with.</summary>
    public static string Dotnet()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        if (Which("dotnet") is { } onPath) return onPath;
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet")))
            return Path.Combine(root, "dotnet");
        throw new BenchmarkException("The dotnet host was not found on PATH: install the .NET 10 SDK and put `dotnet` on PATH.");
    }

    /// <summary>pgbench: beside initdb in the PostgreSQL install, else on PATH.</summary>
    public static string PgBench()
    {
        var candidates = new List<string>();
        if (PostgresBinaries.FindFolder() is { } folder) candidates.Add(Path.Combine(folder, "pgbench"));
        if (Directory.Exists("/usr/lib/postgresql"))
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin", "pgbench")));
        if (Which("pgbench") is { } onPath) candidates.Add(onPath);
        return candidates.FirstOrDefault(File.Exists) ?? throw new BenchmarkException(
            "pgbench was not found (looked beside initdb, in /usr/lib/postgresql/*/bin and on PATH). Install the PostgreSQL " +
            "server package, which ships it (Debian/Ubuntu: apt-get install -y postgresql), or put pgbench on PATH.");
    }

    public static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(d => Path.Combine(d, program))
        .FirstOrDefault(File.Exists);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a program to its end, capturing stdout and stderr together.</summary>
    public static async Task<ProcessResult> RunAsync(string program, IReadOnlyList<string> args, string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment, TimeSpan timeout, CancellationToken ct)
    {
        var info = new ProcessStartInfo(program, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
            info.Environment[key] = value;

        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new BenchmarkException($"Could not start {program}: {e.Message}");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            if (ct.IsCancellationRequested) throw;
            throw new BenchmarkException($"{Path.GetFileName(program)} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0} s. " +
                                         $"Last output:\n{Tail(output)}");
        }
        process.WaitForExit(); // flushes the asynchronous output readers
        lock (output) return new ProcessResult(process.ExitCode, output.ToString(), clock.Elapsed);
    }

    private static string Tail(StringBuilder output)
    {
        lock (output) return string.Join('\n', output.ToString().Split('\n').TakeLast(25)).Trim();
    }
}
