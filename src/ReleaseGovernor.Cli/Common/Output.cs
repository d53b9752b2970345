using System.Text.Json;
using ReleaseGovernor.Core.Events;
using ReleaseGovernor.Core.Text;

namespace ReleaseGovernor.Cli;

/// <summary>
/// Human tables and machine JSON, one shape for both. Text from payloads (repository names, titles, actors) is
/// printed with control and bidirectional-override characters made visible (<see cref="SafeText"/>).
/// </summary>
public static class Output
{
    private static readonly JsonSerializerOptions Indented = new(EventJson.Options) { WriteIndented = true };

    public static void Json<T>(TextWriter writer, T value) => writer.WriteLine(JsonSerializer.Serialize(value, Indented));

    /// <summary>Two aligned columns; null shows as "—".</summary>
    public static void KeyValues(TextWriter writer, IEnumerable<(string Key, object? Value)> rows)
    {
        var list = rows.ToList();
        var width = list.Max(r => r.Key.Length);
        foreach (var (key, value) in list)
            writer.WriteLine($"  {key.PadRight(width)}  {SafeText.Clean(Show(value))}");
    }

    /// <summary>A table with a header row and aligned columns.</summary>
    public static void Table(TextWriter writer, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string?>> rows)
    {
        rows = rows.Select(r => (IReadOnlyList<string?>)r.Select(c => c is null ? null : SafeText.Clean(c)).ToList()).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => (r[i] ?? "—").Length))).ToArray();
        writer.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in rows)
            writer.WriteLine(string.Join("  ", row.Select((c, i) => (c ?? "—").PadRight(widths[i]))).TrimEnd());
    }

    public static string Show(object? value) => value switch
    {
        null => "—",
        DateTimeOffset t => t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'"),
        Enum e => JsonNamingPolicy.SnakeCaseLower.ConvertName(e.ToString()),
        bool b => b ? "yes" : "no",
        _ => value.ToString() ?? "—",
    };
}
