namespace ReleaseGovernor.GitHub.Api;

/// <summary>State of a commit status (<c>POST /repos/{o}/{r}/statuses/{sha}</c>).</summary>
public enum CommitState
{
    Error,
    Failure,
    Pending,
    Success,
}

public static class CommitStatus
{
    /// <summary>
    /// GitHub answers 422 "description is too long (maximum is 140 characters)" above 140 characters.
    /// The limit is not in the OpenAPI description, only observed.
    /// </summary>
    public const int MaxDescriptionLength = 140;

    /// <summary>
    /// Cuts <paramref name="description"/> to at most <paramref name="maxLength"/> characters, ending in "…"
    /// when cut, never splitting a surrogate pair.
    /// </summary>
    public static string? Truncate(string? description, int maxLength = MaxDescriptionLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        if (description is null || description.Length <= maxLength) return description;
        var cut = maxLength - 1;
        if (cut > 0 && char.IsHighSurrogate(description[cut - 1])) cut--;
        return string.Concat(description.AsSpan(0, cut), "…");
    }
}
