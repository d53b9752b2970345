using System.Diagnostics.CodeAnalysis;

namespace ReleaseGovernor.Core.Commits;

/// <summary>
/// A commit id: 40 hex digits in lower case. Parsed once where a sha comes in (a webhook payload, GitHub's answer, a
/// run's title, a command-line argument), so everything past the edge holds the one spelling and compares it ordinally.
/// Events store its text (<see cref="Value"/>), as they always have.
/// </summary>
public readonly record struct Sha
{
    public const int Length = 40;

    private readonly string? _value;

    private Sha(string value) => _value = value;

    /// <summary>The 40 lower-case hex digits.</summary>
    public string Value => _value ?? throw new InvalidOperationException("An empty Sha was used; parse one with Sha.TryParse.");

    /// <summary>The first 7 digits, as GitHub shows a commit.</summary>
    public string Short => Value[..7];

    public override string ToString() => _value ?? "";

    /// <summary>True when <paramref name="text"/> is exactly 40 hex digits (either case); the sha is in lower case.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Sha sha)
    {
        sha = default;
        if (text is not { Length: Length } || !text.All(char.IsAsciiHexDigit)) return false;
        sha = new Sha(text.ToLowerInvariant());
        return true;
    }

    /// <summary>The sha of <paramref name="text"/>; a <see cref="FormatException"/> naming <paramref name="field"/> otherwise.</summary>
    public static Sha Parse(string? text, string field) =>
        TryParse(text, out var sha)
            ? sha
            : throw new FormatException($"{field} must be a full commit sha (40 hex characters), got {Text.SafeText.Quote(text ?? "")}.");

    /// <summary>
    /// Whether two stored shas name the same commit: both present and equal. Stored shas are in their one spelling (they
    /// were parsed where they came in), so this is an ordinal comparison.
    /// </summary>
    public static bool Same(string? a, string? b) => a is not null && b is not null && string.Equals(a, b, StringComparison.Ordinal);

    /// <summary>The canonical text of an optional sha: null stays null, anything else must parse.</summary>
    public static string? CanonicalOrNull(string? text, string field) => text is null ? null : Parse(text, field).Value;
}
