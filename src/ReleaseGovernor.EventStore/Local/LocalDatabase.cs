namespace ReleaseGovernor.EventStore.Local;

/// <summary>
/// The local embedded default: a PostgreSQL cluster under <c>.data/postgres</c> at the repository root
/// (or the current folder outside a checkout), database <c>releasegovernor</c>, preferred port 54329.
/// </summary>
public static class LocalDatabase
{
    public const string DatabaseName = "releasegovernor";
    public const int PreferredPort = 54329;

    /// <summary>The data folder: <paramref name="configured"/> when given, else <c>.data/postgres</c> at the repository root.</summary>
    public static string DataFolder(string? configured = null, string? startFolder = null) =>
        configured is { Length: > 0 }
            ? Path.GetFullPath(configured)
            : Path.Combine(RepositoryRoot(startFolder ?? Directory.GetCurrentDirectory()), ".data", "postgres");

    /// <summary>Starts (creating when needed) the local cluster and its database; returns the connection string.</summary>
    public static async Task<string> StartAsync(string dataFolder, CancellationToken ct = default) =>
        (await StartClusterAsync(dataFolder, ct)).ConnectionString(DatabaseName);

    /// <summary>Starts (creating when needed) the local cluster and its database; returns the cluster, to stop it later.</summary>
    public static async Task<LocalPostgresCluster> StartClusterAsync(string dataFolder, CancellationToken ct = default)
    {
        var cluster = new LocalPostgresCluster(dataFolder);
        await cluster.StartAsync(PreferredPort, ct);
        await cluster.EnsureDatabaseAsync(DatabaseName, ct);
        return cluster;
    }

    /// <summary>True when a cluster was created in the folder before.</summary>
    public static bool Exists(string dataFolder) => File.Exists(Path.Combine(dataFolder, "PG_VERSION"));

    private static string RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ReleaseGovernor.sln")))
                return dir.FullName;
        return Path.GetFullPath(start);
    }
}
