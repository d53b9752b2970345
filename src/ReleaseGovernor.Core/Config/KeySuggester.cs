namespace ReleaseGovernor.Core.Config;

/// <summary>Finds the known name an unknown one was probably meant to be.</summary>
public static class KeySuggester
{
    /// <summary>
    /// The closest candidate when it is close: a small edit distance once case and
    /// <c>_</c>/<c>-</c> are ignored, or the only candidate that starts with <paramref name="unknown"/>.
    /// </summary>
    public static string? Suggest(string unknown, IEnumerable<string> candidates)
    {
        var wanted = Normalize(unknown);
        if (wanted.Length == 0)
            return null;

        string? best = null;
        var bestDistance = int.MaxValue;
        var prefixed = new List<string>();
        foreach (var candidate in candidates)
        {
            var normalized = Normalize(candidate);
            var distance = Distance(wanted, normalized);
            if (distance < bestDistance)
                (best, bestDistance) = (candidate, distance);
            if (wanted.Length >= 4 && normalized.StartsWith(wanted, StringComparison.Ordinal))
                prefixed.Add(candidate);
        }

        var allowed = wanted.Length >= 12 ? 3 : wanted.Length >= 5 ? 2 : 1;
        if (bestDistance <= allowed)
            return best;
        return prefixed.Count == 1 ? prefixed[0] : null;
    }

    private static string Normalize(string name) =>
        new([.. name.ToLowerInvariant().Where(c => c is not ('_' or '-'))]);

    /// <summary>Levenshtein distance, two rows.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
