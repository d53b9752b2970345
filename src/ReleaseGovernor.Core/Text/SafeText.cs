using System.Globalization;
using System.Text;

namespace ReleaseGovernor.Core.Text;

/// <summary>
/// Text from outside (payloads, headers, the database) made safe to print in a log line or a terminal: control
/// characters (NUL, ESC, CR, LF, ...) and bidirectional-override characters become a visible <c>\uXXXX</c>,
/// so a value can neither forge a log line nor reorder what a terminal shows.
/// </summary>
public static class SafeText
{
    public static string Clean(string? text)
    {
        if (text is null) return "";
        if (!NeedsCleaning(text)) return text;
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (IsUnsafe(c)) builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary><see cref="Clean"/>, then cut to <paramref name="max"/> characters (ending in …) and put in quotes.</summary>
    public static string Quote(string? text, int max = 80)
    {
        var clean = Clean(text);
        return $"\"{(clean.Length > max ? clean[..max] + "…" : clean)}\"";
    }

    public static bool NeedsCleaning(string text)
    {
        foreach (var c in text)
            if (IsUnsafe(c)) return true;
        return false;
    }

    /// <summary>C0 and C1 controls, DEL, and the bidirectional embedding, override and isolate characters.</summary>
    public static bool IsUnsafe(char c) =>
        char.IsControl(c) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C';
}
