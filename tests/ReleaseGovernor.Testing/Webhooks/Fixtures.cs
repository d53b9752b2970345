namespace ReleaseGovernor.Testing.Webhooks;

/// <summary>Real GitHub webhook payloads, kept in the repository under tests/fixtures/github-webhooks (provenance in its SOURCES.md).</summary>
public static class Fixtures
{
    public static string Folder { get; } = Locate();

    public static byte[] Read(string relative) => File.ReadAllBytes(Path.Combine(Folder, relative));

    public static IEnumerable<string> All() =>
        Directory.GetFiles(Folder, "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Folder, f).Replace('\\', '/'))
            .OrderBy(f => f, StringComparer.Ordinal);

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "ReleaseGovernor.sln"))) continue;
            var folder = Path.Combine(dir.FullName, "tests", "fixtures", "github-webhooks");
            return Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException(
                $"The webhook fixtures are expected in {folder}; restore them from git (git checkout -- tests/fixtures).");
        }
        throw new DirectoryNotFoundException("Could not find ReleaseGovernor.sln above " + AppContext.BaseDirectory);
    }
}
