namespace ReleaseGovernor.Core.Freeze;

/// <summary>IANA time zones and wall-clock arithmetic across daylight-saving changes.</summary>
public static class Zones
{
    /// <summary>The zone of an IANA name (or <c>UTC</c>); null when the system knows no such zone.</summary>
    public static TimeZoneInfo? Find(string name)
    {
        if (string.Equals(name, FreezeWindow.Utc, StringComparison.OrdinalIgnoreCase)) return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    /// <summary>
    /// <paramref name="start"/> plus <paramref name="duration"/> on <paramref name="zone"/>'s wall clock: Friday 18:00 plus
    /// 62h is Monday 08:00 local whether or not the clocks changed in between. A wall time the change skips is moved
    /// forward by the gap (02:30 on the spring day is 03:30); one it repeats is its first occurrence.
    /// </summary>
    public static DateTimeOffset AddWallClock(DateTimeOffset start, TimeSpan duration, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(start, zone).DateTime + duration;
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone.IsInvalidTime(local))
            offset = zone.GetUtcOffset(local.AddHours(-3));
        else if (zone.IsAmbiguousTime(local))
            offset = zone.GetAmbiguousTimeOffsets(local).Max();
        else
            offset = zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
