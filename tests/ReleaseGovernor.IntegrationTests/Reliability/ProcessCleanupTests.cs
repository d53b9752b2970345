using System.Diagnostics;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Reliability;

/// <summary>Runs alone: it ends every process the guard knows, which must not hit other tests' servers.</summary>
[CollectionDefinition(nameof(ProcessCleanupTests), DisableParallelization = true)]
public sealed class ProcessCleanupCollection;

/// <summary>No server process outlives the test that started it, also when the test fails.</summary>
[Collection(nameof(ProcessCleanupTests))]
public sealed class ProcessCleanupTests
{
    [Fact]
    public async Task A_server_whose_test_fails_before_disposing_it_is_ended_by_the_guard()
    {
        await using var github = await FakeGitHub.StartAsync();
        var db = await TestPostgres.CreateDatabaseAsync();
        var server = ServerProcess.Start(db, github.BaseUrl, github.Token); // deliberately never disposed, as a failing test leaves it
        await server.WaitReadyAsync();
        var process = Process.GetProcessById(server.ProcessId);

        Assert.True(ProcessGuard.EndAll() >= 1);

        Assert.True(process.WaitForExit(10_000), "the server process is still running");
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => server.Client.GetAsync("/healthz"));
    }

    [Fact]
    public async Task A_server_whose_readiness_wait_fails_is_ended_when_the_test_ends()
    {
        await using var github = await FakeGitHub.StartAsync();
        Process? process = null;

        await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            // A database that never answers: the server keeps retrying, the wait gives up, the test fails here.
            await using var server = ServerProcess.Start("Host=127.0.0.1;Port=1;Username=x;Password=y;Database=z;Timeout=1", github.BaseUrl, github.Token);
            process = Process.GetProcessById(server.ProcessId);
            await server.WaitReadyAsync(TimeSpan.FromSeconds(3));
        });

        Assert.NotNull(process);
        Assert.True(process!.WaitForExit(10_000), "the server process is still running");
    }
}
