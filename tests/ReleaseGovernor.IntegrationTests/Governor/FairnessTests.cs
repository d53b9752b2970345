using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Governor;

/// <summary>One repository's flood does not hold up another repository's deploy.</summary>
public sealed class FairnessTests : IAsyncLifetime
{
    private const string Yml = "release_governor:\n  enabled: true\n";
    private const int Flood = 30;
    private const int PerRepository = 4;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    // GitHub answers the flooded repository's requests only when the test says so; until then its items stay in
    // flight (the client's timeout is longer than the test), so the order of claims alone decides what runs.
    private readonly GovernorApp _app = new(settings: new Dictionary<string, string?>
    {
        ["GitHub:Timeout"] = "00:02:00",
        ["Processing:Concurrency"] = "8",
        ["Processing:MaxInFlightPerRepository"] = PerRepository.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });
    private readonly TaskCompletionSource _floodAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        await _app.WaitReadyAsync();
    }

    public async Task DisposeAsync()
    {
        _floodAnswered.TrySetResult();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_verification_of_another_repository_is_dispatched_while_a_flooded_repositorys_backlog_waits()
    {
        var flooded = _app.GitHub.Repo("octo-org", "flooded");
        var floodShas = Enumerable.Range(1, Flood).Select(i => $"{i:x40}").ToList();
        foreach (var sha in floodShas) flooded.SetFile(sha, ".booty.yml", Yml).SetCommit(sha, new FakeChangedFile("src/app.cs"));
        _app.GitHub.InjectFault("GET", "/repos/octo-org/flooded/*", FakeFault.Hold(_floodAnswered.Task), times: 10_000);
        var quietSha = new string('e', 40);
        _app.GitHub.Repo("octo-org", "quiet").SetFile(quietSha, ".booty.yml", Yml).SetCommit(quietSha, new FakeChangedFile("src/app.cs"));

        for (var i = 0; i < Flood; i++)
            Assert.True((await _app.PostAsync("workflow_run", Deliveries.Verification("octo-org/flooded", floodShas[i], runId: 1000 + i))).IsSuccessStatusCode);
        Assert.True((await _app.PostAsync("push", Deliveries.Push("octo-org/quiet", new string('0', 40), quietSha))).IsSuccessStatusCode);
        Assert.True((await _app.PostAsync("workflow_run", Deliveries.Verification("octo-org/quiet", quietSha, runId: 2000))).IsSuccessStatusCode);
        var dispatch = await _app.GitHub.WaitForRequestAsync(r => r.Method == "POST" && r.Path.EndsWith("/dispatches"), Bound);

        // The quiet repository's item was queued last, behind the whole flood, and is done; none of the flood is.
        Assert.Equal("/repos/octo-org/quiet/actions/workflows/deploy.yml/dispatches", dispatch.Path);
        Assert.Equal(quietSha, (string?)dispatch.Json!["inputs"]!["sha"]);
        Assert.Equal(0, await _app.CountAsync("SELECT count(*) FROM rg_outbox WHERE stream_id = 'repo/octo-org/flooded' AND completed_at IS NOT NULL"));
        Assert.Equal(Flood, await _app.CountAsync("SELECT count(*) FROM rg_outbox WHERE stream_id = 'repo/octo-org/flooded' AND completed_at IS NULL"));
        Assert.Equal(PerRepository, await _app.CountAsync("SELECT count(*) FROM rg_outbox WHERE repository = 'octo-org/flooded' AND attempts > 0"));
        Assert.Equal(1, await _app.CountAsync("""
            SELECT count(*) FROM rg_outbox q WHERE q.stream_id = 'repo/octo-org/quiet' AND q.completed_at IS NOT NULL
            AND q.id > (SELECT max(id) FROM rg_outbox WHERE stream_id = 'repo/octo-org/flooded')
            """));

        // Then the flood is answered and drains: nothing of it was lost or skipped.
        _floodAnswered.SetResult();
        await Wait.ForOutboxDrainedAsync(_app.Db);
        Assert.Equal(Flood, await _app.CountAsync("SELECT count(*) FROM rg_outbox WHERE stream_id = 'repo/octo-org/flooded' AND completed_at IS NOT NULL"));
        Assert.Equal(Flood, await _app.CountAsync("SELECT count(*) FROM mt_events WHERE stream_id = 'release/octo-org/flooded/production' AND type = 'verification_completed'"));
    }
}
