using System.Net;
using Npgsql;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Reliability;

/// <summary>Tries to lose or double work with several real server processes on one database, and a crash.</summary>
public sealed class ReplicaTests : ServerProcessTestBed
{
    private const string Repo = "octo-org/web";
    private const string Yml = "release_governor:\n  enabled: true\n";
    [Fact]
    public async Task One_verification_delivered_fifty_times_across_two_replicas_and_redelivered_under_a_new_id_dispatches_once()
    {
        // Tried: the same delivery 50 times spread over two processes at once, then the same run under a new delivery id.
        var sha = new string('a', 40);
        Prepare(sha);
        await using var first = ServerProcess.Start(Db, GitHub.BaseUrl, GitHub.Token);
        await using var second = ServerProcess.Start(Db, GitHub.BaseUrl, GitHub.Token);
        await Task.WhenAll(first.WaitReadyAsync(), second.WaitReadyAsync());
        var body = Deliveries.Verification(Repo, sha, runId: 500);

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => (i % 2 == 0 ? first : second).PostAsync("workflow_run", body, "one-delivery")));
        await Wait.ForStateAsync(new MartenEventStore(Data), StreamIds.Release(RepoRef.Parse(Repo), "production"), s => s.InFlight?.RunId is not null);
        var redelivery = await second.PostAsync("workflow_run", body, "redelivered-by-hand");
        await Wait.ForOutboxDrainedAsync(Data);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(HttpStatusCode.OK, redelivery.StatusCode);
        Assert.Single(GitHub.Repo("octo-org", "web").Dispatches);
        var release = await ReleaseTypesAsync();
        Assert.Equal(1, release.Count(t => t == "verification_completed"));
        Assert.Equal(1, release.Count(t => t == "deploy_decided"));
        Assert.Equal(1, release.Count(t => t == "deploy_dispatch_requested"));
        Assert.Equal(1, release.Count(t => t == "deploy_dispatched"));
    }

    [Fact]
    public async Task After_a_kill_9_every_acknowledged_delivery_is_in_the_log_and_nothing_is_dispatched_twice()
    {
        // Tried: SIGKILL of the server while deliveries stream in; then a restart on the same database.
        var shas = Enumerable.Range(0, 40).Select(i => $"{i + 1:x40}").ToList();
        foreach (var sha in shas) Prepare(sha, repo: $"octo-org/r{shas.IndexOf(sha)}");
        var shortLease = new Dictionary<string, string> { ["Processing__Lease"] = "00:00:02" };
        await using var server = ServerProcess.Start(Db, GitHub.BaseUrl, GitHub.Token, shortLease);
        await server.WaitReadyAsync();
        var acknowledged = new List<string>();

        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < shas.Count; i++)
            {
                var delivery = $"crash-{i}";
                try
                {
                    var answer = await server.PostAsync("workflow_run", Deliveries.Verification($"octo-org/r{i}", shas[i], runId: 600 + i), delivery);
                    if (answer.IsSuccessStatusCode) lock (acknowledged) acknowledged.Add(delivery);
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
            }
        });
        await Wait.UntilAsync(() => { lock (acknowledged) return acknowledged.Count >= 15; });
        server.Kill();
        await sending;
        await server.DisposeAsync();

        await using var restarted = ServerProcess.Start(Db, GitHub.BaseUrl, GitHub.Token, shortLease);
        await restarted.WaitReadyAsync();
        await Wait.ForOutboxDrainedAsync(Data);

        foreach (var delivery in acknowledged)
            Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM mt_events WHERE type = 'workflow_run_received' AND headers->>'delivery_id' = '{delivery}'"));
        var dispatched = Enumerable.Range(0, shas.Count).SelectMany(i => GitHub.Repo("octo-org", $"r{i}").Dispatches).ToList();
        Assert.Equal(dispatched.Count, dispatched.Select(d => d.Inputs["sha"]).Distinct().Count());
        // A delivery can be committed and then lose its answer to the kill: it counts as stored, not acknowledged.
        var stored = await ScalarAsync("SELECT count(*) FROM mt_events WHERE type = 'workflow_run_received'");
        Assert.Equal(stored, dispatched.Count);
        Assert.True(dispatched.Count >= acknowledged.Count);
    }

    private void Prepare(string sha, string repo = Repo)
    {
        var fake = GitHub.Repo("octo-org", repo.Split('/')[1]);
        fake.SetFile(sha, ".booty.yml", Yml).SetCommit(sha, new FakeChangedFile("src/app.cs")).OnDefaultBranch(sha);
    }

    private async Task<List<string>> ReleaseTypesAsync() =>
        (await new MartenEventStore(Data).ReadStreamAsync(StreamIds.Release(RepoRef.Parse(Repo), "production"))).Select(e => e.Type).ToList();

    private async Task<long> ScalarAsync(string sql)
    {
        await using var cmd = Data.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
