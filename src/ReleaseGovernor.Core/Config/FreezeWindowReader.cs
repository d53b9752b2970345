using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;
using ReleaseGovernor.Core.Freeze;
using YamlDotNet.RepresentationModel;

namespace ReleaseGovernor.Core.Config;

/// <summary>
/// Reads <c>release_governor.freeze_windows</c>: a list of mappings, each a recurring window (<c>cron</c>, <c>duration</c>,
/// optional <c>timezone</c>) or a fixed one (<c>start</c>, <c>end</c>). Every problem names the key and its line.
/// </summary>
internal static partial class FreezeWindowReader
{
    public const string Key = "freeze_windows";
    public const string Expectation = "must be a list of windows, each with name and either cron + duration (+ timezone) or start + end";

    /// <summary>The longest recurring window: a longer one would overlap its next occurrence for a weekly cron.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(31);

    /// <summary>The longest fixed window.</summary>
    public static readonly TimeSpan MaxFixed = TimeSpan.FromDays(366);

    private static readonly string[] Fields = ["name", "cron", "duration", "timezone", "start", "end"];

    public static IReadOnlyList<FreezeWindow>? Read(string path, YamlNode value, Action<string, YamlNode, string> fail)
    {
        if (value is not YamlSequenceNode sequence)
        {
            fail(path, value, $"{Expectation}, got {YamlNodes.Describe(value)}");
            return null;
        }

        var windows = new List<FreezeWindow>();
        var valid = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var window = ReadOne($"{path}[{i}]", sequence.Children[i], fail);
            if (window is null) { valid = false; continue; }
            if (windows.Any(w => w.Name == window.Name))
            {
                fail($"{path}[{i}].name", sequence.Children[i], $"'{window.Name}' is the name of an earlier window; give each window its own name");
                valid = false;
                continue;
            }
            windows.Add(window);
        }
        return valid ? windows : null;
    }

    private static FreezeWindow? ReadOne(string path, YamlNode node, Action<string, YamlNode, string> fail)
    {
        if (node is not YamlMappingNode mapping)
        {
            fail(path, node, $"must be a mapping with name and either cron + duration or start + end, got {YamlNodes.Describe(node)}");
            return null;
        }

        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var ok = true;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var name = YamlNodes.Text(keyNode);
            if (name is null || !Fields.Contains(name))
            {
                var suggestion = name is null ? null : KeySuggester.Suggest(name, Fields);
                fail($"{path}.{name}", keyNode, suggestion is null
                    ? $"unknown key; a window has {string.Join(", ", Fields)}"
                    : $"unknown key (did you mean {suggestion}?)");
                ok = false;
                continue;
            }
            fields[name] = valueNode;
        }
        if (!ok) return null;

        string? Text(string field)
        {
            if (!fields.TryGetValue(field, out var v)) return null;
            var text = YamlNodes.Text(v)?.Trim();
            if (!string.IsNullOrEmpty(text) && v is YamlScalarNode) return text;
            fail($"{path}.{field}", v, $"must be a non-empty string, got {YamlNodes.Describe(v)}");
            ok = false;
            return null;
        }

        var windowName = Text("name");
        if (windowName is null && ok)
        {
            fail($"{path}.name", node, "is missing: every window needs a name (it is shown in the hold's hint)");
            return null;
        }

        var cron = Text("cron");
        var durationText = Text("duration");
        var zoneText = Text("timezone");
        var startText = Text("start");
        var endText = Text("end");
        if (!ok || windowName is null) return null;

        if (cron is not null || durationText is not null)
        {
            if (startText is not null || endText is not null)
            {
                fail(path, node, "has both cron/duration and start/end: a window is either recurring (cron + duration) or fixed (start + end)");
                return null;
            }
            if (cron is null || durationText is null)
            {
                fail($"{path}.{(cron is null ? "cron" : "duration")}", node, "is missing: a recurring window needs both cron (its start) and duration");
                return null;
            }
            if (!TryParseCron(cron, out var problem))
            {
                fail($"{path}.cron", fields["cron"], $"must be a 5-field cron expression (minute hour day-of-month month day-of-week), e.g. \"0 18 * * FRI\": {problem}");
                ok = false;
            }
            if (!Durations.TryParse(durationText, out var duration) || duration <= TimeSpan.Zero || duration > MaxDuration)
            {
                fail($"{path}.duration", fields["duration"], $"{Durations.Expectation}, more than 0 and at most {(int)MaxDuration.TotalHours}h, got {ConfigValues.Show(durationText)}");
                ok = false;
            }
            var zone = zoneText ?? FreezeWindow.Utc;
            if (Zones.Find(zone) is null)
            {
                fail($"{path}.timezone", fields["timezone"], $"must be an IANA time zone name such as Europe/Berlin or America/New_York (default UTC), got {ConfigValues.Show(zone)}");
                ok = false;
            }
            return ok ? new FreezeWindow { Name = windowName, Cron = cron, Duration = duration, TimeZone = zone } : null;
        }

        if (startText is null && endText is null)
        {
            fail(path, node, "needs either cron + duration (a recurring window) or start + end (a fixed one)");
            return null;
        }
        if (startText is null || endText is null)
        {
            fail($"{path}.{(startText is null ? "start" : "end")}", node, "is missing: a fixed window needs both start and end");
            return null;
        }
        if (zoneText is not null)
        {
            fail($"{path}.timezone", fields["timezone"], "applies to cron windows only: give start and end with their offset (e.g. 2026-12-23T00:00:00+01:00)");
            return null;
        }
        var start = ReadInstant($"{path}.start", fields["start"], startText, fail);
        var end = ReadInstant($"{path}.end", fields["end"], endText, fail);
        if (start is null || end is null) return null;
        if (end <= start || end - start > MaxFixed)
        {
            fail($"{path}.end", fields["end"], $"must be after start ({startText}) and at most {(int)MaxFixed.TotalDays} days after it, got {ConfigValues.Show(endText)}");
            return null;
        }
        return new FreezeWindow { Name = windowName, Start = start, End = end };
    }

    private static DateTimeOffset? ReadInstant(string path, YamlNode node, string text, Action<string, YamlNode, string> fail)
    {
        if (WithOffset().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            return at.ToUniversalTime();
        fail(path, node, $"must be an ISO 8601 time with its offset, e.g. 2026-12-23T00:00:00Z or 2026-12-23T00:00:00+01:00, got {ConfigValues.Show(text)}");
        return null;
    }

    private static bool TryParseCron(string cron, out string problem)
    {
        problem = "";
        try
        {
            CronExpression.Parse(cron, CronFormat.Standard);
            return true;
        }
        catch (CronFormatException e)
        {
            problem = e.Message;
            return false;
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex WithOffset();
}
