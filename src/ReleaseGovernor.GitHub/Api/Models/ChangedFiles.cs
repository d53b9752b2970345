namespace ReleaseGovernor.GitHub.Api;

/// <summary>A file in a diff. <see cref="Status"/>: added, removed, modified, renamed, copied, changed, unchanged.</summary>
public sealed record ChangedFile(string Filename, string Status, string? PreviousFilename = null);

/// <summary>
/// <c>GET /repos/{o}/{r}/compare/{base}...{head}</c>. GitHub lists at most 300 changed files for a whole
/// comparison and offers no way to page past them, so 300 or more files means the list may be incomplete:
/// <see cref="Truncated"/> is then true and callers must treat unseen paths as possibly changed.
/// </summary>
public sealed record CompareResult(string Status, int AheadBy, int BehindBy, IReadOnlyList<ChangedFile> Files, bool Truncated);

/// <summary>
/// Files changed by one commit (<c>GET /repos/{o}/{r}/commits/{ref}</c>). We read the first page only,
/// which holds up to 300 files; 300 or more means the list may be incomplete (<see cref="Truncated"/>).
/// </summary>
public sealed record CommitFiles(string Sha, IReadOnlyList<ChangedFile> Files, bool Truncated);

internal static class ChangedFileLimits
{
    /// <summary>GitHub's cap on changed files returned by compare (and by one page of a commit).</summary>
    public const int MaxFiles = 300;
}
