using ReleaseGovernor.Core.Freeze;

namespace ReleaseGovernor.Tests.Freeze;

/// <summary>Window boundaries (start inclusive, end exclusive) in two time zones, across daylight-saving changes.</summary>
public class FreezeWindowTests
{
    private static FreezeWindow Weekend(string zone) =>
        new() { Name = "weekend", Cron = "0 18 * * FRI", Duration = TimeSpan.FromHours(62), TimeZone = zone };

    private static DateTimeOffset Z(string utc) => DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);

    // Berlin leaves summer time on 2026-10-25 (03:00 CEST -> 02:00 CET); New York on 2026-11-01 (02:00 EDT -> 01:00 EST).
    [Theory]
    [InlineData("Europe/Berlin", "2026-10-23T16:00:00Z", "2026-10-26T07:00:00Z")]
    [InlineData("America/New_York", "2026-10-30T22:00:00Z", "2026-11-02T13:00:00Z")]
    public void A_weekend_spanning_the_autumn_change_runs_from_friday_18_00_to_monday_08_00_local(string zone, string start, string end)
    {
        var window = Weekend(zone);

        Assert.Null(window.ActiveAt(Z(start).AddSeconds(-1)));
        Assert.Equal((Z(start), Z(end)), Span(window.ActiveAt(Z(start))));
        Assert.Equal((Z(start), Z(end)), Span(window.ActiveAt(Z(end).AddSeconds(-1))));
        Assert.Null(window.ActiveAt(Z(end)));
        Assert.Equal(TimeSpan.FromHours(63), Z(end) - Z(start)); // the repeated hour makes the weekend an hour longer
    }

    // Berlin enters summer time on 2026-03-29 (02:00 CET -> 03:00 CEST); New York on 2026-03-08 (02:00 EST -> 03:00 EDT).
    [Theory]
    [InlineData("Europe/Berlin", "2026-03-27T17:00:00Z", "2026-03-30T06:00:00Z")]
    [InlineData("America/New_York", "2026-03-06T23:00:00Z", "2026-03-09T12:00:00Z")]
    public void A_weekend_spanning_the_spring_change_is_an_hour_shorter_and_still_ends_at_08_00_local(string zone, string start, string end)
    {
        var window = Weekend(zone);

        Assert.Equal((Z(start), Z(end)), Span(window.ActiveAt(Z(start))));
        Assert.Null(window.ActiveAt(Z(end)));
        Assert.Equal(TimeSpan.FromHours(61), Z(end) - Z(start));
    }

    [Theory]
    [InlineData("Europe/Berlin", "2026-03-29T01:00:00Z", "2026-03-29T03:00:00Z")]
    [InlineData("America/New_York", "2026-03-08T07:00:00Z", "2026-03-08T09:00:00Z")]
    public void A_window_starting_in_the_skipped_hour_starts_when_the_clock_resumes(string zone, string start, string end)
    {
        // 02:30 does not exist that night: the window starts at 03:00 local and lasts its two hours of wall clock.
        var window = new FreezeWindow { Name = "nightly", Cron = "30 2 * * *", Duration = TimeSpan.FromHours(2), TimeZone = zone };

        Assert.Null(window.ActiveAt(Z(start).AddSeconds(-1)));
        Assert.Equal((Z(start), Z(end)), Span(window.ActiveAt(Z(start))));
        Assert.Null(window.ActiveAt(Z(end)));
    }

    [Fact]
    public void A_fixed_window_holds_from_its_start_inclusive_to_its_end_exclusive()
    {
        var window = new FreezeWindow { Name = "year-end", Start = Z("2026-12-23T00:00:00Z"), End = Z("2027-01-02T08:00:00Z") };

        Assert.Null(window.ActiveAt(Z("2026-12-22T23:59:59Z")));
        Assert.NotNull(window.ActiveAt(Z("2026-12-23T00:00:00Z")));
        Assert.NotNull(window.ActiveAt(Z("2027-01-02T07:59:59Z")));
        Assert.Null(window.ActiveAt(Z("2027-01-02T08:00:00Z")));
    }

    [Fact]
    public void Of_overlapping_windows_the_one_ending_last_holds()
    {
        var windows = new[]
        {
            Weekend("UTC"),
            new FreezeWindow { Name = "year-end", Start = Z("2026-12-23T00:00:00Z"), End = Z("2027-01-02T08:00:00Z") },
        };

        var active = FreezeWindows.ActiveAt(windows, Z("2026-12-25T19:00:00Z"));

        Assert.Equal(("year-end", Z("2027-01-02T08:00:00Z")), (active?.Name, active?.End));
    }

    [Theory]
    [InlineData("62h", 62 * 60)]
    [InlineData("90m", 90)]
    [InlineData("1h30m", 90)]
    public void Durations_are_hours_and_minutes(string text, int minutes)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMinutes(minutes), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2d")]
    [InlineData("h")]
    [InlineData("30s")]
    public void Other_durations_are_refused(string text) => Assert.False(Durations.TryParse(text, out _));

    private static (DateTimeOffset, DateTimeOffset)? Span(ActiveFreeze? f) => f is null ? null : (f.Start, f.End);
}
