using Npgsql;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Reliability;

/// <summary>A delivery sweep cut by SIGKILL halfway, then the server started again: nothing lost, nothing twice.</summary>
public sealed class DeliverySweepCrashTests : ServerProcessTestBed
{
    private const string Yml = "release_governor:\n  enabled: true\n";
    private static readonly string VerifiedSha = new('d', 40);
    [Fact]
    public async Task A_sweep_killed_halfway_and_restarted_stores_every_delivery_once_and_dispatches_once()
    {
        GitHub.Repo("octo-org", "web").SetFile(VerifiedSha, ".booty.yml", Yml)
            .SetCommit(VerifiedSha, new FakeChangedFile("src/app.cs")).OnDefaultBranch(VerifiedSha);
        var log = DeliveryLogs.Log(GitHub);
        var lost = DeliveryLogs.NeverReceived(VerifiedSha, runId: 950);
        for (var i = 0; i < lost.Count; i++) log.Add(lost[i].Guid, lost[i].Event, lost[i].Body, DeliveryLogs.LostStatus(i));
        // The sweep reads deliveries back oldest first: the push and the verification are among the first eight; the ninth read hangs.
        var hung = new TaskCompletionSource();
        GitHub.InjectFault("GET", $"/repos/octo-org/web/hooks/{DeliveryLogs.HookId}/deliveries/*", FakeFault.Hold(hung.Task), times: 1, after: 8);
        var env = DeliveryLogs.Environment(GitHub.BaseUrl, GitHub.Token);
        env["Processing__Lease"] = "00:00:02";

        await using (var server = ServerProcess.Start(Db, GitHub.BaseUrl, GitHub.Token, env))
        {
            await server.WaitReadyAsync();
            await GitHub.WaitForRequestAsync(r => r.Method == "GET" && r.Path.Contains("/deliveries/", StringComparison.Ordinal) &&
                                                   GitHub.Requests.Count(x => x.Path.Contains("/deliveries/", StringComparison.Ordinal)) >= 9, Wait.Bound);
            Assert.Equal(8, await ScalarAsync("SELECT count(*) FROM rg_deliveries"));
            server.Kill();
        }
        hung.SetResult();
        Assert.Empty(await DeliveryLogs.SweepsAsync(new MartenEventStore(Data))); // the sweep never finished

        await using var restarted = ServerProcess.Start(Db, GitHub.BaseUrl, GitHub.Token, env);
        await restarted.WaitReadyAsync();
        var sweep = Assert.Single(await DeliveryLogs.WaitForSweepsAsync(new MartenEventStore(Data), 1));
        await Wait.ForOutboxDrainedAsync(Data);

        Assert.Equal(20, sweep.Missing);
        Assert.Equal(8, sweep.AlreadyStored);
        Assert.Equal(12, sweep.Recovered);
        Assert.Equal(0, sweep.Failed);
        foreach (var (guid, _, _) in lost)
        {
            Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM rg_deliveries WHERE delivery_id = '{guid}'"));
            Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM mt_events WHERE correlation_id = '{guid}' AND stream_id LIKE 'repo/%'"));
        }
        Assert.Equal(VerifiedSha, Assert.Single(GitHub.Repo("octo-org", "web").Dispatches).Inputs["sha"]);
        var release = (await new MartenEventStore(Data).ReadStreamAsync(StreamIds.Release(RepoRef.Parse("octo-org/web"), "production"))).Select(e => e.Data).ToList();
        Assert.Single(release.OfType<DeployDecided>());
        Assert.Single(release.OfType<DeployDispatched>());
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var cmd = Data.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
