using System.Globalization;
using System.Text.RegularExpressions;

namespace ReleaseGovernor.Core.Freeze;

/// <summary>Durations written as hours and minutes: <c>62h</c>, <c>90m</c>, <c>1h30m</c>.</summary>
public static partial class Durations
{
    public const string Expectation = "must be a duration in hours and minutes, e.g. 62h, 90m or 1h30m";

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        var match = Pattern().Match(text?.Trim() ?? "");
        if (!match.Success || (!match.Groups["h"].Success && !match.Groups["m"].Success)) return false;
        var hours = match.Groups["h"].Success ? long.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture) : 0;
        var minutes = match.Groups["m"].Success ? long.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
        if (hours > 100_000 || minutes > 6_000_000) return false;
        duration = TimeSpan.FromHours(hours) + TimeSpan.FromMinutes(minutes);
        return true;
    }

    public static string Format(TimeSpan duration)
    {
        var hours = (long)duration.TotalHours;
        var minutes = duration.Minutes;
        return minutes == 0 ? $"{hours}h" : hours == 0 ? $"{minutes}m" : $"{hours}h{minutes}m";
    }

    [GeneratedRegex(@"^(?:(?<h>\d{1,6})h)?(?:(?<m>\d{1,7})m)?$")]
    private static partial Regex Pattern();
}
