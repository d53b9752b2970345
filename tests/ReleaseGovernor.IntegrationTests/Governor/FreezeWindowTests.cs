using System.Globalization;
using System.Text.Json.Nodes;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.IntegrationTests.Infrastructure;

namespace ReleaseGovernor.IntegrationTests.Governor;

/// <summary>
/// A freeze window that closes a few seconds after the test starts: what it holds, how the thaw decides, and that
/// <c>simulate --at</c> gives the server's answer.
/// </summary>
public sealed class FreezeWindowTests : GovernedRepoTests
{
    private const string A = "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0";
    private const string B = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0";

    /// <summary>Long enough for two verifications to be decided inside the window on a busy machine.</summary>
    private static readonly TimeSpan OpenFor = TimeSpan.FromSeconds(8);

    private DateTimeOffset _end;
    private string _yml = "";

    protected override void Arrange()
    {
        _end = DateTimeOffset.FromUnixTimeSeconds((DateTimeOffset.UtcNow + OpenFor).ToUnixTimeSeconds() + 1);
        _yml = $"""
            release_governor:
              enabled: true
              freeze_windows:
                - name: release-party
                  start: {Iso(_end.AddHours(-1))}
                  end: {Iso(_end)}
                - name: leap-day
                  cron: "0 18 29 2 *"
                  duration: 38h
                  timezone: Europe/Berlin
            """;
        foreach (var sha in new[] { A, B })
            _gh.SetFile(sha, ".booty.yml", _yml).SetCommit(sha, new FakeChangedFile("src/app.cs"));
        _gh.OnDefaultBranch(A, B);
    }

    [Fact]
    public async Task The_thaw_dispatches_exactly_the_newest_sha_verified_in_the_window_once_and_records_the_older_as_superseded()
    {
        await VerifyAsync(A, 901);
        await VerifyAsync(B, 902);
        var held = (await ReleaseAsync()).OfType<DeployDecided>().ToList();
        Assert.Equal([(A, ReasonCodes.FreezeWindow), (B, ReasonCodes.FreezeWindow)], held.Select(d => (d.Sha, d.Reason)));
        Assert.StartsWith($"frozen by 'release-party' until {_end.UtcDateTime.ToString("ddd yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}Z", held[0].Unblock);
        Assert.Empty(_gh.Dispatches);

        var thawed = await Wait.ForStateAsync(_app.Store, Release, s => s.DispatchedShas.Count > 0);
        await Wait.ForOutboxDrainedAsync(_app.Db);

        Assert.Equal([B], thawed.DispatchedShas);
        Assert.Equal(B, Assert.Single(_gh.Dispatches).Inputs["sha"]);
        var events = await ReleaseAsync();
        var superseded = Assert.Single(events.OfType<ShaSuperseded>());
        Assert.Equal((A, B, _end), (superseded.Sha, superseded.By, superseded.WindowEnd));
        Assert.Equal((B, ReasonCodes.AllowLow), (LastDecision(events).Sha, LastDecision(events).Reason));
        Assert.True(LastDecision(events).At >= _end, $"decided at {LastDecision(events).At:O}, before the window's end {_end:O}");
        Assert.Equal(1, await _app.CountAsync("SELECT count(*) FROM rg_outbox WHERE kind = 'thaw'"));
        Assert.Empty((await _app.Store.LoadReleaseStateAsync(Release))!.FrozenShas);
    }

    [Fact]
    public async Task Simulate_at_an_instant_gives_the_servers_answer_for_it()
    {
        var workspace = Infrastructure.Booty.Workspace(_yml);
        var env = new Dictionary<string, string?> { ["GitHub__ApiBaseUrl"] = _app.GitHub.BaseUrl, ["GitHub__Token"] = _app.GitHub.Token };
        Task<Infrastructure.Booty.Run> Simulate(DateTimeOffset at) => Infrastructure.Booty.RunWithEnvAsync(_app.ConnectionString, env,
            "governor", "simulate", A, "--at", at.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture), "--json",
            "--repo", Repo, "--workspace", workspace);
        var beforeVerify = DateTimeOffset.UtcNow;
        await VerifyAsync(A, 903);
        var server = LastDecision(await ReleaseAsync());

        var atDecision = await Simulate(server.At);
        var lastSecond = await Simulate(_end.AddSeconds(-1));
        var atEnd = await Simulate(_end);
        var leapDay = await Simulate(new DateTimeOffset(2028, 3, 1, 10, 0, 0, TimeSpan.FromHours(1)));

        Assert.True(server.At >= beforeVerify);
        Assert.Equal((1, "freeze_window", server.Unblock), (atDecision.ExitCode, Field(atDecision, "reason"), Field(atDecision, "unblock")));
        Assert.Equal((1, "freeze_window"), (lastSecond.ExitCode, Field(lastSecond, "reason")));
        Assert.Equal((0, "allow_low"), (atEnd.ExitCode, Field(atEnd, "reason")));
        Assert.Equal(1, leapDay.ExitCode);
        Assert.StartsWith("frozen by 'leap-day' until Thu 2028-03-02 08:00 Europe/Berlin (07:00Z)", Field(leapDay, "unblock"));

        var bad = await Infrastructure.Booty.RunWithEnvAsync(_app.ConnectionString, env, "governor", "simulate", A, "--at", "tomorrow",
            "--repo", Repo, "--workspace", workspace);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--at 'tomorrow' is not an ISO 8601 time with its offset", bad.Error);
    }

    private static string? Field(Infrastructure.Booty.Run run, string name) => (string?)JsonNode.Parse(run.Out)![name];

    private async Task VerifyAsync(string sha, long runId)
    {
        await _app.PostAsync("workflow_run", Deliveries.Verification(Repo, sha, runId));
        await Wait.ForStateAsync(_app.Store, Release, s => s.LastDecision?.Sha == sha);
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
