using System.Net.Sockets;
using ReleaseGovernor.EventStore.Local;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Infra;

/// <summary>The local embedded default: the PostgreSQL cluster the server started stops with the server.</summary>
public sealed class LocalDatabaseShutdownTests
{
    [Fact]
    public async Task Stopping_the_server_stops_the_embedded_cluster_it_started()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"rg-local-{Guid.NewGuid():N}"[..20]);
        await using var github = await FakeGitHub.StartAsync();
        try
        {
            await using var server = ServerProcess.Start(null, github.BaseUrl, github.Token,
                new Dictionary<string, string> { ["ReleaseGovernor__DataFolder"] = Path.Combine(folder, "postgres") });
            await server.WaitReadyAsync(TimeSpan.FromSeconds(90));
            var pidFile = Path.Combine(folder, "postgres", "postmaster.pid");
            var port = int.Parse(File.ReadAllLines(pidFile)[3]);

            Assert.Equal(0, await server.StopAsync(TimeSpan.FromSeconds(30)));

            Assert.False(File.Exists(pidFile), "postmaster.pid is still there: the cluster was not stopped\n" + server.Output);
            using var client = new TcpClient();
            await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", port));
        }
        finally
        {
            await new LocalPostgresCluster(Path.Combine(folder, "postgres")).StopAsync(); // only does something when the test failed
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
