using System.Globalization;

namespace ReleaseGovernor.Core.Config;

/// <summary>Parsing and quoting of single values, shared by the YAML loader and the environment overrides.</summary>
internal static class ConfigValues
{
    public const string BooleanExpectation = "must be a boolean (true/false, yes/no, on/off, 1/0)";
    public const string ApprovalModeExpectation = "must be one of environment, label, comment";

    /// <summary>Cap for minute counts, so that clock arithmetic in the decider cannot overflow.</summary>
    public const int MaxMinutes = 525_600;

    private const int MaxShownLength = 80;

    public static bool TryParseBoolean(string? text, out bool value)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "true" or "yes" or "on" or "1":
                value = true;
                return true;
            case "false" or "no" or "off" or "0":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    public static bool TryParseInteger(string? text, out int value) =>
        int.TryParse(text?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryParseApprovalMode(string? text, out ApprovalMode value)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "environment":
                value = ApprovalMode.Environment;
                return true;
            case "label":
                value = ApprovalMode.Label;
                return true;
            case "comment":
                value = ApprovalMode.Comment;
                return true;
            default:
                value = default;
                return false;
        }
    }

    public static string Render(ApprovalMode mode) => mode switch
    {
        ApprovalMode.Environment => "environment",
        ApprovalMode.Label => "label",
        ApprovalMode.Comment => "comment",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>A value as shown in an error: quoted, or <c>null</c>; long values are cut.</summary>
    public static string Show(string? text)
    {
        if (text is null)
            return "null";
        var shown = text.Length > MaxShownLength ? text[..MaxShownLength] + "…" : text;
        return Quote(shown);
    }

    /// <summary>Double-quoted with <c>\</c> and <c>"</c> escaped; unambiguous inside the canonical form.</summary>
    public static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    public static string QuoteList(IReadOnlyList<string> items) => "[" + string.Join(",", items.Select(Quote)) + "]";
}
