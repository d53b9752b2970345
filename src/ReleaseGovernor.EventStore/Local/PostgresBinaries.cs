namespace ReleaseGovernor.EventStore.Local;

/// <summary>Finds the PostgreSQL server programs (initdb, pg_ctl) on this machine.</summary>
public static class PostgresBinaries
{
    public const string InstallHint =
        "PostgreSQL server programs (initdb, pg_ctl) were not found. Install them (Debian/Ubuntu: apt-get install -y postgresql), " +
        "put their folder on PATH or set PG_BIN, or set ConnectionStrings__ReleaseGovernor to an existing database.";

    /// <summary>The folder holding initdb and pg_ctl, or null when there is none.</summary>
    public static string? FindFolder()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } pgBin) candidates.Add(pgBin);
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        if (Directory.Exists("/usr/lib/postgresql"))
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    public static string Require() => FindFolder() ?? throw new LocalPostgresException(InstallHint);
}

public sealed class LocalPostgresException(string message) : Exception(message);
