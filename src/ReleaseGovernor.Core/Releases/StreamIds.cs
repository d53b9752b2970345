namespace ReleaseGovernor.Core.Releases;

/// <summary>A repository as <c>owner/name</c>.</summary>
public sealed record RepoRef(string Owner, string Name)
{
    public override string ToString() => $"{Owner}/{Name}";

    /// <summary>Parses <c>owner/name</c>; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static RepoRef Parse(string fullName) =>
        TryParse(fullName, out var repo)
            ? repo
            : throw new FormatException($"'{fullName}' is not a repository name of the form owner/name.");

    public static bool TryParse(string? text, out RepoRef repo)
    {
        repo = new RepoRef("", "");
        var parts = text?.Split('/') ?? [];
        if (parts.Length != 2 || parts.Any(p => p.Length == 0 || p.Any(char.IsWhiteSpace)))
            return false;
        repo = new RepoRef(parts[0], parts[1]);
        return true;
    }
}

/// <summary>Stream keys. <c>repo/o/n</c> holds what GitHub said; <c>release/o/n/env</c> the governor's story for one environment.</summary>
public static class StreamIds
{
    public const string RepoPrefix = "repo/";
    public const string ReleasePrefix = "release/";

    public static string Repo(RepoRef repo) => $"{RepoPrefix}{repo.Owner}/{repo.Name}".ToLowerInvariant();

    public static string Release(RepoRef repo, string environment) =>
        $"{ReleasePrefix}{repo.Owner}/{repo.Name}/{environment}".ToLowerInvariant();

    public static string Installation(long installationId) => $"installation/{installationId}";

    public static string Hook(long? hookId) => $"hook/{hookId?.ToString() ?? "unknown"}";

    public static bool IsRelease(string streamId) => streamId.StartsWith(ReleasePrefix, StringComparison.Ordinal);

    /// <summary>Splits <c>release/o/n/env</c> into its repository and environment.</summary>
    public static (RepoRef Repo, string Environment) ParseRelease(string streamId)
    {
        var parts = streamId[ReleasePrefix.Length..].Split('/');
        if (parts.Length != 3)
            throw new ArgumentException($"'{streamId}' is not a release stream id.", nameof(streamId));
        return (new RepoRef(parts[0], parts[1]), parts[2]);
    }
}
