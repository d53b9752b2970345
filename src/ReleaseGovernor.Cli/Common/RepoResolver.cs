using Npgsql;
using ReleaseGovernor.Core.Releases;

namespace ReleaseGovernor.Cli;

/// <summary>Which repository a command is about: --repo, else the workspace's GitHub remote, else the only one the database knows.</summary>
public static class RepoResolver
{
    public static async Task<RepoRef> ResolveAsync(string? repoOption, string workspace, NpgsqlDataSource db, CancellationToken ct)
    {
        var known = await KnownRepositoriesAsync(db, ct);
        var given = repoOption ?? WorkspaceConfig.RepoFromGitRemote(workspace);
        if (given is null)
        {
            return known.Count == 1 && RepoRef.TryParse(known[0], out var only)
                ? only
                : throw new CliException(known.Count == 0
                    ? "No repository given and the database has none yet: pass --repo owner/name."
                    : $"Several repositories in the database; pass --repo owner/name (known: {string.Join(", ", known)}).");
        }
        if (!RepoRef.TryParse(given, out var repo))
            throw new CliException($"--repo must be owner/name, got '{given}'.");
        if (known.Count > 0 && !known.Contains(repo.ToString().ToLowerInvariant()))
            throw new CliException($"Unknown repository {repo}: the database has no events for it (known: {string.Join(", ", known)}).");
        return repo;
    }

    /// <summary>owner/name of every repository with a repo or release stream, lower case, sorted.</summary>
    public static async Task<IReadOnlyList<string>> KnownRepositoriesAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT DISTINCT split_part(id, '/', 2) || '/' || split_part(id, '/', 3) AS repo
            FROM mt_streams WHERE id LIKE 'repo/%' OR id LIKE 'release/%' ORDER BY repo
            """);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var repos = new List<string>();
        while (await reader.ReadAsync(ct)) repos.Add(reader.GetString(0));
        return repos;
    }
}
