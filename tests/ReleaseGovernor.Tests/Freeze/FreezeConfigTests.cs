using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Freeze;
using static ReleaseGovernor.Tests.Config.ConfigTestData;
using static ReleaseGovernor.Tests.Config.LoaderAssertions;

namespace ReleaseGovernor.Tests.Freeze;

public class FreezeConfigTests
{
    private const string Windows = """
        freeze_windows:
          - name: weekend
            cron: "0 18 * * FRI"
            duration: 62h
            timezone: Europe/Berlin
          - name: year-end
            start: 2026-12-23T00:00:00Z
            end: 2027-01-02T08:00:00Z
        """;

    [Fact]
    public void Recurring_and_fixed_windows_are_read()
    {
        var config = Loaded(BootyConfigLoader.Load(Block(Windows)));

        Assert.Equal(
        [
            new FreezeWindow { Name = "weekend", Cron = "0 18 * * FRI", Duration = TimeSpan.FromHours(62), TimeZone = "Europe/Berlin" },
            new FreezeWindow { Name = "year-end", Start = new DateTimeOffset(2026, 12, 23, 0, 0, 0, TimeSpan.Zero), End = new DateTimeOffset(2027, 1, 2, 8, 0, 0, TimeSpan.Zero) },
        ], config.FreezeWindows);
        Assert.Contains("freeze_windows=[\"weekend|cron=0 18 * * FRI|duration=62h|timezone=Europe/Berlin\",", config.ToCanonicalString());
    }

    [Fact]
    public void A_config_without_windows_keeps_its_fingerprint() =>
        Assert.DoesNotContain("freeze_windows", Loaded(BootyConfigLoader.Load(Block("enabled: true"))).ToCanonicalString());

    [Theory]
    [InlineData("  - name: w\n    cron: \"0 25 * * *\"\n    duration: 1h", "release_governor.freeze_windows[0].cron", 4, "must be a 5-field cron expression")]
    [InlineData("  - name: w\n    cron: \"0 18 * * FRI\"\n    duration: 2d", "release_governor.freeze_windows[0].duration", 5, "must be a duration in hours and minutes")]
    [InlineData("  - name: w\n    cron: \"0 18 * * FRI\"\n    duration: 1h\n    timezone: Mars/Olympus", "release_governor.freeze_windows[0].timezone", 6, "must be an IANA time zone name")]
    [InlineData("  - name: w\n    start: 2026-12-23T00:00:00\n    end: 2027-01-02T08:00:00Z", "release_governor.freeze_windows[0].start", 4, "with its offset")]
    [InlineData("  - name: w\n    start: 2026-12-23T00:00:00Z\n    end: 2026-12-22T00:00:00Z", "release_governor.freeze_windows[0].end", 5, "must be after start")]
    [InlineData("  - cron: \"0 18 * * FRI\"\n    duration: 1h", "release_governor.freeze_windows[0].name", 3, "every window needs a name")]
    [InlineData("  - name: w\n    cron: \"0 18 * * FRI\"", "release_governor.freeze_windows[0].duration", 3, "needs both cron")]
    [InlineData("  - name: w\n    cron: \"0 18 * * FRI\"\n    duraton: 1h", "release_governor.freeze_windows[0].duraton", 5, "did you mean duration?")]
    [InlineData("  - name: w\n    start: 2026-12-23T00:00:00Z\n    end: 2027-01-02T08:00:00Z\n  - name: w\n    cron: \"0 18 * * FRI\"\n    duration: 1h", "release_governor.freeze_windows[1].name", 6, "name of an earlier window")]
    public void Errors_name_the_key_and_line(string items, string key, int line, string message)
    {
        var error = SingleError(BootyConfigLoader.Load(Block("freeze_windows:\n" + items)));

        Assert.Equal((key, line), (error.Key, error.Line));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Windows_cannot_be_set_by_a_server_variable()
    {
        var result = EnvironmentOverrides.Apply(GovernorConfig.Default, new Dictionary<string, string?> { ["RELEASE_GOVERNOR_FREEZE_WINDOWS"] = "x" });

        Assert.Contains("can be set in .booty.yml only", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void A_change_cannot_remove_a_window_production_has_but_can_add_one()
    {
        var production = Loaded(BootyConfigLoader.Load(Block(Windows)));
        var added = new FreezeWindow { Name = "launch", Start = DateTimeOffset.UnixEpoch, End = DateTimeOffset.UnixEpoch.AddDays(1) };
        var atSha = production with { FreezeWindows = [added] };

        var judging = StricterConfig.Of(production, atSha);

        Assert.Equal(["weekend", "year-end", "launch"], judging.FreezeWindows.Select(w => w.Name));
    }
}
