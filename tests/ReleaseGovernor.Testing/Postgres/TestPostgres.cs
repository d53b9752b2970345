using System.Diagnostics;
using DotNet.Testcontainers.Builders;
using Npgsql;
using ReleaseGovernor.EventStore.Local;
using ReleaseGovernor.EventStore.Store;
using Testcontainers.PostgreSql;

namespace ReleaseGovernor.Testing.Postgres;

/// <summary>
/// The PostgreSQL server the tests run against, chosen once per test run:
/// <c>RELEASEGOVERNOR_TEST_DB</c> when set; else a <c>postgres:15</c> container (Testcontainers) when Docker
/// answers; else a throwaway cluster from the machine's PostgreSQL programs in a temp folder on a free loopback
/// port. Any failed container start (no Docker engine, no image, no registry) falls back to the local cluster,
/// unless <c>RELEASEGOVERNOR_TEST_POSTGRES=testcontainers</c> asks for the container only (CI does).
/// Whatever is started is removed at exit (the container also by Testcontainers' reaper if the run is killed).
/// One line on standard error says which server was used. Every test gets a database of its own.
/// </summary>
public static class TestPostgres
{
    public const string Image = "postgres:15";

    /// <summary>Bounds a container start, image pull included; a first pull on a CI runner takes seconds.</summary>
    private static readonly TimeSpan ContainerStartLimit = TimeSpan.FromMinutes(3);

    private static readonly Lazy<Task<string>> Server = new(StartAsync);

    /// <summary>The line that says which server this run uses (set once the server is up).</summary>
    public static string? Choice { get; private set; }

    /// <summary>A fresh, migrated database; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(bool migrate = true)
    {
        var admin = await Server.Value;
        var name = $"rg_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        if (migrate)
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await SchemaMigrator.MigrateAsync(dataSource);
        }
        return connectionString;
    }

    /// <summary>The server's own connection string (database <c>postgres</c>).</summary>
    public static Task<string> AdminConnectionStringAsync() => Server.Value;

    private static async Task<string> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("RELEASEGOVERNOR_TEST_DB") is { Length: > 0 } given)
        {
            Announce("PostgreSQL for tests: the server named by RELEASEGOVERNOR_TEST_DB");
            return given;
        }

        var containerOnly = string.Equals(Environment.GetEnvironmentVariable("RELEASEGOVERNOR_TEST_POSTGRES"),
            "testcontainers", StringComparison.OrdinalIgnoreCase);
        var probe = Stopwatch.StartNew();
        try
        {
            var started = await StartContainerAsync();
            Announce($"PostgreSQL for tests: Testcontainers {Image} (started in {probe.ElapsedMilliseconds} ms)");
            return started;
        }
        catch (Exception e)
        {
            var tried = probe.ElapsedMilliseconds;
            var reason = e is DockerUnavailableException ? "Docker is unavailable" : "the container did not start";
            if (containerOnly)
            {
                Announce($"PostgreSQL for tests: none: RELEASEGOVERNOR_TEST_POSTGRES=testcontainers and {reason} " +
                         $"(after {tried} ms): {FirstLine(e.Message)}");
                throw;
            }
            probe.Restart();
            var connectionString = await StartLocalClusterAsync();
            Announce($"PostgreSQL for tests: local cluster (initdb) because {reason} (Docker tried for {tried} ms, " +
                     $"cluster up in {probe.ElapsedMilliseconds} ms): {FirstLine(e.Message)}");
            return connectionString;
        }
    }

    private static async Task<string> StartContainerAsync()
    {
        var container = new PostgreSqlBuilder(Image)
            .WithCommand("-c", "max_connections=200")
            .Build();
        try
        {
            using var limit = new CancellationTokenSource(ContainerStartLimit);
            await container.StartAsync(limit.Token);
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return new NpgsqlConnectionStringBuilder(container.GetConnectionString())
        {
            Pooling = true, MaxPoolSize = 50, Timeout = 15,
        }.ConnectionString;
    }

    private static async Task<string> StartLocalClusterAsync()
    {
        RemoveStaleClusters();
        var folder = Path.Combine(Path.GetTempPath(), $"rg-test-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        var cluster = new LocalPostgresCluster(Path.Combine(folder, "data"));
        Directory.CreateDirectory(folder);
        await cluster.StartAsync();
        WatchOver(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            cluster.StopAsync().GetAwaiter().GetResult();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return cluster.ConnectionString();
    }

    /// <summary>
    /// The cluster must not outlive the test process even when the test host is killed before its exit handlers run:
    /// a small shell waits for this process to end, then shuts the cluster down at once and removes its folder. It polls
    /// for the process once a second (a watchdog, not a wait for test work) and ends a few seconds after the run.
    /// </summary>
    private static void WatchOver(string folder)
    {
        var script = $"exec </dev/null >/dev/null 2>&1; while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; "
                     + $"pid=$(head -n 1 '{folder}/data/postmaster.pid' 2>/dev/null); "
                     + "if [ -n \"$pid\" ]; then kill -QUIT \"$pid\" 2>/dev/null; n=0; while kill -0 \"$pid\" 2>/dev/null && [ $n -lt 20 ]; do sleep 0.5; n=$((n+1)); done; fi; "
                     + $"rm -rf '{folder}'";
        using var watchdog = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", script])
        {
            UseShellExecute = false,
        });
    }

    /// <summary>
    /// Removes the folders of earlier runs whose test process is gone and whose PostgreSQL is not running (a run that was
    /// killed never reaches its exit handler), so repeated runs do not fill the disk.
    /// </summary>
    private static void RemoveStaleClusters()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), "rg-test-pg-*"))
        {
            var parts = Path.GetFileName(dir).Split('-');
            if (parts.Length < 5 || !int.TryParse(parts[3], out var owner) || IsAlive(owner)) continue;
            var postmaster = Path.Combine(dir, "data", "postmaster.pid");
            if (File.Exists(postmaster) && int.TryParse(File.ReadLines(postmaster).FirstOrDefault(), out var server) && IsAlive(server))
            {
                // An orphan of a killed run: its test process is gone, so nothing will ever use or stop it.
                try { using var orphan = System.Diagnostics.Process.GetProcessById(server); orphan.Kill(entireProcessTree: true); orphan.WaitForExit(10_000); }
                catch (ArgumentException) { }
                catch (InvalidOperationException) { }
                catch (System.ComponentModel.Win32Exception) { continue; }
            }
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void Announce(string line)
    {
        Choice = line;
        TestNotes.Write(line);
    }

    private static string FirstLine(string text) =>
        text.Split('\n', 2)[0].Trim() is { Length: > 0 } first ? first : "(no message)";
}
