namespace ReleaseGovernor.Core.Config;

/// <summary>An entry of <c>approvers</c>: a GitHub login, or a team as <c>org/team-slug</c>.</summary>
public static class ApproverNames
{
    public static bool IsTeam(string entry) => entry.Contains('/');

    public static (string Org, string Team) Team(string entry)
    {
        var slash = entry.IndexOf('/');
        return (entry[..slash], entry[(slash + 1)..]);
    }

    public static string? Problem(string entry)
    {
        var parts = entry.Split('/');
        return parts.Length > 2 || parts.Any(p => p.Length == 0 || !p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '[' or ']'))
            ? "must be a GitHub login or a team as org/team-slug"
            : null;
    }
}
