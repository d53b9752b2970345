namespace ReleaseGovernor.Processing.Ingestion;

/// <summary>What GitHub allows in <c>owner/name</c>: letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, at most 100 on each side.</summary>
public static class RepositoryNames
{
    public static bool IsValid(string? fullName)
    {
        var parts = fullName?.Split('/') ?? [];
        return parts.Length == 2 && parts.All(p => p.Length is > 0 and <= 100 && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'));
    }
}
