using System.Net;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.EventStore.Store;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Reliability;

/// <summary>Two real server processes on one database answering the same deployment protection rule request.</summary>
public sealed class ProtectionRuleReplicaTests : ServerProcessTestBed
{
    private const string Repo = "octo-org/web";
    private const string Yml = "release_governor:\n  enabled: true\n  trigger_mode: protection_rule\n";

    [Fact]
    public async Task One_request_delivered_forty_times_across_two_replicas_and_redelivered_under_new_ids_is_answered_once()
    {
        var sha = new string('d', 40);
        GitHub.Repo("octo-org", "web").SetFile(sha, ".booty.yml", Yml).SetCommit(sha, new FakeChangedFile("src/app.cs")).OnDefaultBranch(sha);
        await using var first = ServerProcess.Start(Db, GitHub.BaseUrl, GitHub.Token);
        await using var second = ServerProcess.Start(Db, GitHub.BaseUrl, GitHub.Token);
        await Task.WhenAll(first.WaitReadyAsync(), second.WaitReadyAsync());
        var store = new MartenEventStore(Data);
        var release = StreamIds.Release(RepoRef.Parse(Repo), "production");
        Assert.Equal(HttpStatusCode.OK, (await first.PostAsync("workflow_run", Deliveries.Verification(Repo, sha, runId: 700), "verify")).StatusCode);
        await Wait.ForStateAsync(store, release, s => s.LastDecision is not null);
        var body = Deliveries.ProtectionRule(Repo, "production", sha, 7001);

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            (i % 2 == 0 ? first : second).PostAsync("deployment_protection_rule", body, i < 30 ? "one-delivery" : $"redelivered-{i}")));
        await Wait.ForStateAsync(store, release, s => s.AnsweredRuns.Contains(7001));
        await Wait.ForOutboxDrainedAsync(Data);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var review = Assert.Single(GitHub.Repo("octo-org", "web").ProtectionReviews);
        Assert.Equal((7001L, "production", "approved"), (review.RunId, review.Environment, review.State));
        Assert.Single(GitHub.RequestsTo("POST", "/repos/octo-org/web/actions/runs/7001/deployment_protection_rule"));
        var events = (await store.ReadStreamAsync(release)).Select(e => e.Data).ToList();
        Assert.Single(events.OfType<ProtectionRuleRequested>());
        Assert.Single(events.OfType<ProtectionRuleAnswerRequested>());
        Assert.Single(events.OfType<ProtectionRuleApproved>());
    }
}
