namespace ReleaseGovernor.Core.Config;

/// <summary>
/// The workflow run events a repository may count as verification. Runs for pull requests
/// (<c>pull_request</c>, <c>pull_request_target</c>) test code that is not on the default branch, and a fork
/// shapes them, so they can never be listed.
/// </summary>
public static class VerificationEventNames
{
    /// <remarks>
    /// <c>merge_group</c> is not offered: a merge queue's run is on <c>gh-readonly-queue/&lt;branch&gt;/…</c>, not on the
    /// default branch, so it could never count; the push of the merged commit that follows it does.
    /// </remarks>
    public static readonly IReadOnlyList<string> Allowed = ["push", "workflow_dispatch"];

    public static string? Problem(string name) =>
        Allowed.Contains(name, StringComparer.Ordinal)
            ? null
            : name.StartsWith("pull_request", StringComparison.Ordinal)
                ? $"must not be '{name}': a pull request's run tests code that is not on the default branch (allowed: {string.Join(", ", Allowed)})"
                : $"must be one of {string.Join(", ", Allowed)}";
}
