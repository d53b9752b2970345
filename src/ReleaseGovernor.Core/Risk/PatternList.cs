namespace ReleaseGovernor.Core.Risk;

/// <summary>
/// Ordered gitignore-style patterns. The last pattern that matches a path decides: a plain pattern
/// matches it, a <c>!pattern</c> un-matches it. Blank entries and <c>#</c> comments are skipped;
/// <c>\!</c> and <c>\#</c> start a pattern with a literal character.
/// </summary>
public sealed class PatternList
{
    private readonly (string Text, PathPattern Pattern, bool Negated)[] entries;

    public PatternList(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        entries =
        [
            .. from text in patterns
               let trimmed = text.Trim()
               where trimmed.Length > 0 && !trimmed.StartsWith('#')
               let negated = trimmed.StartsWith('!')
               select (text, PathPattern.Parse(negated ? trimmed[1..] : trimmed), negated),
        ];
    }

    public static PatternList Empty { get; } = new([]);

    /// <summary>The number of patterns, comments and blanks left out.</summary>
    public int Count => entries.Length;

    /// <summary>The pattern, as written, that makes <paramref name="path"/> match; null when none does or a negation has the last word.</summary>
    public string? Match(string path)
    {
        for (var i = entries.Length - 1; i >= 0; i--)
        {
            if (entries[i].Pattern.IsMatch(path))
                return entries[i].Negated ? null : entries[i].Text;
        }

        return null;
    }

    public bool IsMatch(string path) => Match(path) is not null;
}
