using System.Globalization;
using Cronos;

namespace ReleaseGovernor.Core.Freeze;

/// <summary>A freeze window in force at some instant: its name, when it began and when it ends (exclusive).</summary>
public sealed record ActiveFreeze(string Name, DateTimeOffset Start, DateTimeOffset End, string TimeZone);

/// <summary>
/// One entry of <c>freeze_windows</c>: either a recurring window (a 5-field <see cref="Cron"/> start in
/// <see cref="TimeZone"/> and a <see cref="Duration"/> on that zone's wall clock) or a fixed one
/// (<see cref="Start"/> to <see cref="End"/>). The start is inclusive, the end exclusive.
/// </summary>
public sealed record FreezeWindow
{
    public const string Utc = "UTC";

    public required string Name { get; init; }
    public string? Cron { get; init; }
    public TimeSpan? Duration { get; init; }
    public string TimeZone { get; init; } = Utc;
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }

    /// <summary>The occurrence of this window in force at <paramref name="now"/>, if any (the one ending last when occurrences overlap).</summary>
    public ActiveFreeze? ActiveAt(DateTimeOffset now)
    {
        if (Start is { } start && End is { } end)
            return start <= now && now < end ? new ActiveFreeze(Name, start, end, TimeZone) : null;
        if (Cron is not { } cron || Duration is not { } duration)
            return null;

        var zone = Zones.Find(TimeZone)!;
        var expression = CronExpression.Parse(cron, CronFormat.Standard);
        // Wall-clock durations can be up to the DST shift longer in elapsed time: look back that much more.
        var from = now - duration - TimeSpan.FromHours(3);
        return expression.GetOccurrences(from, now, zone, fromInclusive: true, toInclusive: true)
            .Select(s => new ActiveFreeze(Name, s, Zones.AddWallClock(s, duration, zone), TimeZone))
            .Where(f => f.Start <= now && now < f.End)
            .MaxBy(f => f.End);
    }

    /// <summary>The window in the canonical form of the config: every field that defines it, in a fixed order.</summary>
    public string ToCanonicalString() => Cron is not null
        ? $"{Name}|cron={Cron}|duration={Durations.Format(Duration!.Value)}|timezone={TimeZone}"
        : $"{Name}|start={Format(Start!.Value)}|end={Format(End!.Value)}";

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>The windows of a config that hold a deploy at an instant.</summary>
public static class FreezeWindows
{
    /// <summary>The window in force at <paramref name="now"/> that ends last (a deploy waits for all of them), or null.</summary>
    public static ActiveFreeze? ActiveAt(IEnumerable<FreezeWindow> windows, DateTimeOffset now) =>
        windows.Select(w => w.ActiveAt(now)).OfType<ActiveFreeze>().MaxBy(f => f.End);
}
