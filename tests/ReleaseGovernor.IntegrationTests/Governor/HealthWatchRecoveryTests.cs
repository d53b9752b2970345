using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Health;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Governor;

/// <summary>The watch is a row: a probe left by a process that died is run by the next one, and the watch goes on from it.</summary>
public sealed class HealthWatchRecoveryTests
{
    private const string Repo = "octo-org/web";
    private const string A = "a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3";
    private static readonly string Release = StreamIds.Release(RepoRef.Parse(Repo), "production");

    [Fact]
    public async Task A_probe_leased_by_a_dead_process_is_run_after_a_restart_and_the_watch_finishes()
    {
        await using var health = await FakeHealthEndpoint.StartAsync();
        var app = new GovernorApp(settings: new() { ["ReleaseGovernor:HealthChecks:AllowedHosts"] = "127.0.0.1" }, seed: async a =>
        {
            var at = DateTimeOffset.UtcNow.AddMinutes(-2);
            await a.Store.AppendAsync(Release, 0,
            [
                new DeployDispatchRequested(A, "deploy.yml", "main", new Dictionary<string, string> { ["sha"] = A }) { At = at },
                new DeploySucceeded(A, 1, null) { At = at.AddSeconds(30) },
                new HealthWatchStarted(A, $"GET {health.HealthUrl}", 2, 1, 2) { At = at.AddSeconds(31) },
            ], EventMetadata.ForSystem("seed"));
            await using var cmd = a.Db.CreateCommand($$"""
                INSERT INTO rg_outbox (kind, stream_id, dedupe_key, payload, attempts, lease_owner, lease_until, created_at, available_at)
                VALUES ('health_probe', '{{Release}}', 'health_probe:{{Release}}:{{A}}:run1.1:1',
                        '{"repository":"octo-org/web","installation_id":null,"sha":"{{A}}","probe":1,"watch":"run1.1"}',
                        1, 'dead-process', now() - interval '1 minute', now() - interval '2 minutes', now() - interval '90 seconds')
                """);
            await cmd.ExecuteNonQueryAsync();
            a.GitHub.Repo("octo-org", "web").SetFile(A, ".booty.yml",
                $"release_governor:\n  enabled: true\n  health_check:\n    url: {health.HealthUrl}\n    probes: 2\n    interval_seconds: 1\n");
        });
        await app.InitializeAsync();
        try
        {
            await app.WaitReadyAsync();

            var state = await Wait.ForStateAsync(app.Store, Release, s => s.Health is { Status: HealthStatus.Healthy, Watching: false });
            await Wait.ForOutboxDrainedAsync(app.Db);

            var passed = (await app.Store.ReadStreamAsync(Release)).Select(e => e.Data).OfType<HealthCheckPassed>().ToList();
            Assert.Equal([1, 2], passed.Select(p => p.Probe));
            Assert.Equal(2, health.Requests);
            Assert.Equal(passed[^1].At, state.LastHealthCheck);
            Assert.Equal(2, await app.CountAsync("SELECT count(*) FROM rg_outbox WHERE kind = 'health_probe'"));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
