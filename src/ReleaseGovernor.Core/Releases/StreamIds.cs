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

    /// <summary>The release stream of an environment; refuses a name <see cref="ParseRelease"/> could not read back.</summary>
    public static string Release(RepoRef repo, string environment) =>
        environment.Length > 0 && Config.EnvironmentNames.Problem(environment) is { } problem
            ? throw new ArgumentException($"'{environment}' {problem}.", nameof(environment))
            : $"{ReleasePrefix}{repo.Owner}/{repo.Name}/{environment}".ToLowerInvariant();

    /// <summary>The emergency stops of every repository (<c>booty governor stop | resume</c>).</summary>
    public const string Stops = "governor/stops";

    public static string Installation(long installationId) => $"installation/{installationId}";

    public static string Hook(long? hookId) => $"hook/{hookId?.ToString() ?? "unknown"}";

    /// <summary>What every delivery sweep found in GitHub's delivery log: counts, outcomes and the checkpoint it reached.</summary>
    public const string DeliverySweeps = "deliveries/sweeps";

    /// <summary>The repository of a <c>repo/o/n</c> or <c>release/o/n/env</c> stream.</summary>
    public static RepoRef RepoOf(string streamId)
    {
        var parts = streamId.Split('/', 4);
        return parts.Length >= 3 && parts[0] is "repo" or "release" && parts[1].Length > 0 && parts[2].Length > 0
            ? new RepoRef(parts[1], parts[2])
            : throw new ArgumentException($"'{streamId}' is not a repository or release stream id.", nameof(streamId));
    }

    public static bool IsRelease(string streamId) => streamId.StartsWith(ReleasePrefix, StringComparison.Ordinal);

    /// <summary>
    /// Splits <c>release/o/n/env</c> into its repository and environment. Everything after the repository is the
    /// environment, so a stream written before environment names were checked (one with a <c>/</c>) still reads.
    /// </summary>
    public static (RepoRef Repo, string Environment) ParseRelease(string streamId)
    {
        var parts = streamId.StartsWith(ReleasePrefix, StringComparison.Ordinal)
            ? streamId[ReleasePrefix.Length..].Split('/', 3)
            : [];
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
            throw new ArgumentException($"'{streamId}' is not a release stream id (release/<owner>/<name>/<environment>).", nameof(streamId));
        return (new RepoRef(parts[0], parts[1]), parts[2]);
    }
}
