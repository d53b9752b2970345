namespace ReleaseGovernor.IntegrationTests.Infrastructure;

/// <summary>Real GitHub webhook payloads from ../shared/fixtures/github-webhooks beside the repository.</summary>
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
            var folder = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures", "github-webhooks"));
            return Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException(
                $"The webhook fixtures are expected in {folder} (shared/ beside the repository).");
        }
        throw new DirectoryNotFoundException("Could not find ReleaseGovernor.sln above " + AppContext.BaseDirectory);
    }
}
