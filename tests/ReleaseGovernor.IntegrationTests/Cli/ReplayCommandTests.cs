using System.Text.Json.Nodes;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.IntegrationTests.Infrastructure;
using ReleaseGovernor.Testing.Replay;

namespace ReleaseGovernor.IntegrationTests.Cli;

/// <summary><c>booty governor replay</c> over a month of decisions stored in PostgreSQL: what changes, the totals, the exit code.</summary>
public sealed class ReplayCommandTests : IAsyncLifetime
{
    private const string Stream = "release/octo-org/web/production";
    private const string Today = "release_governor:\n  enabled: true\n  approval_mode: label\n";
    private const string WithInfra = Today + "  high_risk_paths:\n    - .github/workflows/**\n    - \"**/migrations/**\"\n    - infra/**\n";
    private readonly FreshStore _db = new();
    private RecordedMonth _month = null!;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _month = new RecordedMonth(Today, DateTimeOffset.UtcNow.AddDays(-RecordedMonth.Days - 1), Stream);
        await _db.Store.AppendAsync(Stream, 0, _month.Events, EventMetadata.ForSystem("test-seed"));
    }

    public Task DisposeAsync() => _db.DisposeAsync();

    private static string ConfigFile(string yaml)
    {
        var path = Path.Combine(Booty.Workspace(null), "proposed.yml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public async Task A_config_that_adds_a_high_risk_path_lists_the_decisions_it_flips_and_exits_1()
    {
        var before = await _db.ScalarAsync("SELECT count(*) FROM mt_events");

        var run = await Booty.RunAsync(_db.ConnectionString, "governor", "replay", "--config", ConfigFile(WithInfra), "--repo", "octo-org/web", "--since", "40d");

        Assert.Equal(1, run.ExitCode);
        var rows = run.Out.Split('\n').Where(l => l.Contains("ALLOW allow_low")).ToList();
        Assert.Equal(_month.InfraShas.Count, rows.Count);
        Assert.All(_month.InfraShas, sha => Assert.Single(rows, r => r.Contains(sha[..12])));
        Assert.All(rows, r => Assert.Contains("HOLD high_risk_no_approval", r));
        Assert.All(rows, r => Assert.Contains($"{RecordedMonth.InfraPath} (infra/**)", r));
        Assert.Contains($"{RecordedMonth.Days} decision(s) since", run.Out);
        Assert.Contains("allowed → held: 6   held → allowed: 0   reason changed: 0", run.Out);
        Assert.Equal(before, await _db.ScalarAsync("SELECT count(*) FROM mt_events"));
    }

    [Fact]
    public async Task The_unchanged_config_flips_nothing_and_exits_0()
    {
        var run = await Booty.RunAsync(_db.ConnectionString, "governor", "replay", "--config", ConfigFile(Today), "--since", "40d");

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("high_risk", run.Out);
        Assert.Contains("no decision would change", run.Out);
    }

    [Fact]
    public async Task Json_has_each_change_and_the_totals()
    {
        var run = await Booty.RunAsync(_db.ConnectionString, "governor", "replay", "--config", ConfigFile(WithInfra), "--since", "40d", "--json");

        Assert.Equal(1, run.ExitCode);
        var json = JsonNode.Parse(run.Out)!;
        var changes = json["changes"]!.AsArray();
        Assert.Equal(_month.InfraShas.Reverse(), changes.Select(c => (string?)c!["sha"]));
        Assert.All(changes, c => Assert.Equal("hold", (string?)c!["would_outcome"]));
        Assert.Equal(6, (int)json["summary"]!["allowed_to_held"]!);
        Assert.Equal(RecordedMonth.Days, (int)json["summary"]!["replayed"]!);
    }

    [Fact]
    public async Task A_range_that_starts_after_the_month_replays_nothing()
    {
        var run = await Booty.RunAsync(_db.ConnectionString, "governor", "replay", "--config", ConfigFile(WithInfra), "--since", "12h");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("0 decision(s) since", run.Out);
    }

    [Fact]
    public async Task Bad_input_says_what_is_wrong_and_exits_2()
    {
        var missing = await Booty.RunAsync(_db.ConnectionString, "governor", "replay", "--config", "/nonexistent/proposed.yml");
        var invalid = await Booty.RunAsync(_db.ConnectionString, "governor", "replay", "--config", ConfigFile("release_governor:\n  cooldown_minutes: soon\n"));
        var since = await Booty.RunAsync(_db.ConnectionString, "governor", "replay", "--config", ConfigFile(Today), "--since", "last week");
        var unknown = await Booty.RunAsync(_db.ConnectionString, "governor", "replay", "--config", ConfigFile(Today), "--repo", "octo-org/api");
        var help = await Booty.RunAsync(null, "governor", "replay", "--help");

        Assert.Equal((2, 2, 2, 2), (missing.ExitCode, invalid.ExitCode, since.ExitCode, unknown.ExitCode));
        Assert.Contains("Cannot read --config", missing.Error);
        Assert.Contains("cooldown_minutes", invalid.Error);
        Assert.Contains("--since 'last week'", since.Error);
        Assert.Contains("No release stream for octo-org/api", unknown.Error);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--config", help.Out);
        Assert.Contains("--since", help.Out);
    }
}
