using Npgsql;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.Core.Text;
using ReleaseGovernor.EventStore.Store;

namespace ReleaseGovernor.EventStore.Status;

/// <summary>The status document of one repository environment, or why there is none.</summary>
public abstract record StatusLookup
{
    private StatusLookup() { }
    public sealed record Found(ReleaseStatus Status) : StatusLookup;
    public sealed record UnknownRepository(string Message) : StatusLookup;
}

/// <summary>
/// Reads the status document the same way for <c>booty governor status</c> and <c>GET /api/repos/{owner}/{repo}/release</c>:
/// a repository the database has events for gets its document (every field null before any deploy); any other is
/// unknown, with the known repositories that are close to the name given.
/// </summary>
public static class ReleaseStatusQuery
{
    public static async Task<StatusLookup> LoadAsync(NpgsqlDataSource db, RepoRef repo, string environment, EnabledFallback? fallback,
        CancellationToken ct)
    {
        var known = await KnownRepositoriesAsync(db, ct);
        if (!known.Contains(repo.ToString().ToLowerInvariant()))
            return new StatusLookup.UnknownRepository(UnknownRepositoryMessage(repo, known));
        var state = await new MartenEventStore(db).LoadReleaseStateAsync(StreamIds.Release(repo, environment), ct);
        return new StatusLookup.Found(ReleaseStatus.From(repo, environment, state, fallback));
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

    /// <summary>"Unknown repository …", naming the known repositories close to it (or the first few when none is).</summary>
    public static string UnknownRepositoryMessage(RepoRef repo, IReadOnlyList<string> known)
    {
        var given = SafeText.Clean(repo.ToString());
        if (known.Count == 0)
            return $"Unknown repository {given}: the database has no events for any repository yet. Check the App is installed on it " +
                   "and its deliveries are answered 2xx (GitHub: App settings → Advanced → Recent Deliveries).";
        var wanted = repo.ToString().ToLowerInvariant();
        var close = known.Select(k => (Name: k, Distance: Distance(wanted, k)))
            .Where(k => k.Distance <= Math.Max(2, wanted.Length / 4))
            .OrderBy(k => k.Distance).ThenBy(k => k.Name, StringComparer.Ordinal)
            .Take(5).Select(k => SafeText.Clean(k.Name)).ToList();
        var listed = close.Count > 0
            ? $"did you mean {string.Join(" or ", close)}?"
            : $"known: {string.Join(", ", known.Take(10).Select(SafeText.Clean))}{(known.Count > 10 ? $", and {known.Count - 10} more" : "")}";
        return $"Unknown repository {given}: the database has no events for it ({listed}).";
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1), Math.Min(previous[j], current[j - 1]) + 1);
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
