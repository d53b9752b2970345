using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ReleaseGovernor.EventStore.Local;

/// <summary>
/// A PostgreSQL cluster in a folder of its own, on 127.0.0.1, trust authentication, no unix socket.
/// Created with initdb on first use and reused afterwards. PostgreSQL refuses to run as root, so when
/// this process is root the programs run as the <c>postgres</c> user (or <c>PG_RUN_AS</c>).
/// </summary>
public sealed class LocalPostgresCluster
{
    private readonly string _binFolder;

    public LocalPostgresCluster(string dataFolder, string? binFolder = null)
    {
        DataFolder = Path.GetFullPath(dataFolder);
        _binFolder = binFolder ?? PostgresBinaries.Require();
    }

    public string DataFolder { get; }
    public int Port { get; private set; }

    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database,
            Pooling = true, MaxPoolSize = 50, Timeout = 15,
        }.ConnectionString;

    /// <summary>Starts the cluster (creating it when the folder is empty) and returns once it accepts connections.</summary>
    public async Task StartAsync(int? preferredPort = null, CancellationToken ct = default)
    {
        Directory.CreateDirectory(DataFolder);
        GiveToRunUser(DataFolder);
        if (!File.Exists(Path.Combine(DataFolder, "PG_VERSION")))
            await RunAsync("initdb", ["-D", DataFolder, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"], ct);

        if (ReadRunningPort() is { } running && await AcceptsConnectionsAsync(running, ct))
        {
            Port = running;
            return;
        }
        StartedHere = true;

        Port = preferredPort is { } p && IsFree(p) ? p : FreePort();
        var log = Path.Combine(DataFolder, "server.log");
        await RunAsync("pg_ctl", ["start", "-D", DataFolder, "-l", log, "-w", "-t", "60", "-o",
            $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=on -c max_connections=200"], ct);
    }

    /// <summary>True when <see cref="StartAsync"/> started the server (rather than finding it running).</summary>
    public bool StartedHere { get; private set; }

    /// <summary>Stops the cluster at once (the data folder stays).</summary>
    public Task StopAsync(CancellationToken ct = default) => StopAsync("immediate", ct);

    /// <summary>Stops the cluster: <c>fast</c> ends sessions and shuts down cleanly, <c>immediate</c> aborts.</summary>
    public async Task StopAsync(string mode, CancellationToken ct = default)
    {
        if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
            await RunAsync("pg_ctl", ["stop", "-D", DataFolder, "-m", mode, "-w"], ct, throwOnFailure: false);
    }

    /// <summary>Creates the database when it does not exist yet.</summary>
    public async Task EnsureDatabaseAsync(string database, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", connection);
        exists.Parameters.AddWithValue("n", database);
        if (await exists.ExecuteScalarAsync(ct) is not null) return;
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"")}\"", connection);
        try { await create.ExecuteNonQueryAsync(ct); }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase) { }
    }

    private int? ReadRunningPort()
    {
        var pidFile = Path.Combine(DataFolder, "postmaster.pid");
        try
        {
            var lines = File.ReadAllLines(pidFile);
            return lines.Length > 3 && int.TryParse(lines[3], out var port) ? port : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=3;Pooling=false");
            await connection.OpenAsync(ct);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException) { return false; }
    }

    private async Task RunAsync(string program, IReadOnlyList<string> args, CancellationToken ct, bool throwOnFailure = true)
    {
        var exe = Path.Combine(_binFolder, program);
        var info = RunUser() is { } user
            ? new ProcessStartInfo("runuser", ["-u", user, "--", exe, .. args])
            : new ProcessStartInfo(exe, args);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(info) ?? throw new LocalPostgresException($"Could not start {exe}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0 && throwOnFailure)
            throw new LocalPostgresException(
                $"{program} failed (exit {process.ExitCode}) for the cluster in {DataFolder}: {(await stderr).Trim()} {(await stdout).Trim()}".Trim() +
                $" See {Path.Combine(DataFolder, "server.log")} for the server's own log.");
    }

    /// <summary>The user to run PostgreSQL as: null when this process is not root.</summary>
    private static string? RunUser() =>
        Environment.UserName == "root" ? Environment.GetEnvironmentVariable("PG_RUN_AS") ?? "postgres" : null;

    private static void GiveToRunUser(string folder)
    {
        if (OperatingSystem.IsWindows() || RunUser() is not { } user) return;
        using var chown = Process.Start(new ProcessStartInfo("chown", ["-R", user, folder]) { UseShellExecute = false })!;
        chown.WaitForExit();
        if (chown.ExitCode != 0)
            throw new LocalPostgresException($"Could not give {folder} to the '{user}' user that runs PostgreSQL (chown exit {chown.ExitCode}).");
        // Data folder must be 0700 for PostgreSQL; its parents must be traversable by that user.
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException) { return false; }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
