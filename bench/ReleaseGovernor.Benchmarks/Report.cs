using System.Globalization;

namespace ReleaseGovernor.Benchmarks;

/// <summary>One measured figure; <see cref="Met"/> is null when the figure has no target (it is context for another).</summary>
public sealed record Figure(string Name, string Value, string Target, bool? Met);

/// <summary>The figures of a run, printed as a Markdown table at the end.</summary>
public sealed class Report
{
    private readonly List<Figure> _figures = [];

    public IReadOnlyList<Figure> Figures => _figures;

    public void Add(string name, string value, string target = "—", bool? met = null) => _figures.Add(new Figure(name, value, target, met));

    public bool AllTargetsMet => _figures.All(f => f.Met != false);

    public void Print(TextWriter output, BenchOptions options, DateTimeOffset started)
    {
        output.WriteLine();
        output.WriteLine($"Results — {started.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, " +
                         $"{Environment.ProcessorCount} cores (Environment.ProcessorCount), {(options.Quick ? "--quick" : "full run")}");
        output.WriteLine();
        var rows = new List<string[]> { new[] { "figure", "value", "target", "met" } };
        rows.AddRange(_figures.Select(f => new[] { f.Name, f.Value, f.Target, f.Met switch { true => "yes", false => "NO", null => "—" } }));
        var widths = Enumerable.Range(0, 4).Select(c => rows.Max(r => r[c].Length)).ToArray();
        string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |";
        output.WriteLine(Line(rows[0]));
        output.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var row in rows.Skip(1)) output.WriteLine(Line(row));
        output.WriteLine();
        var missed = _figures.Where(f => f.Met == false).Select(f => f.Name).ToList();
        output.WriteLine(missed.Count == 0 ? "Every target was met." : $"Targets not met: {string.Join("; ", missed)}.");
    }

    public static string N(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);
}
