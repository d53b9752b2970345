using Npgsql;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Text;
using ReleaseGovernor.EventStore.Status;

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
            throw new CliException($"--repo must be owner/name, got '{SafeText.Clean(given)}'.");
        if (!known.Contains(repo.ToString().ToLowerInvariant()))
            throw new CliException(ReleaseStatusQuery.UnknownRepositoryMessage(repo, known));
        return repo;
    }

    public static Task<IReadOnlyList<string>> KnownRepositoriesAsync(NpgsqlDataSource db, CancellationToken ct) =>
        ReleaseStatusQuery.KnownRepositoriesAsync(db, ct);
}
