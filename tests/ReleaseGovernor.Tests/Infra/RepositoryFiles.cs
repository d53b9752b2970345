using YamlDotNet.RepresentationModel;

namespace ReleaseGovernor.Tests.Infra;

/// <summary>Files of this repository, found from the test binaries by walking up to ReleaseGovernor.sln.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> RootDirectory = new(FindRoot);

    public static string Root => RootDirectory.Value;

    public static string PathOf(string relativePath) =>
        Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    public static string ReadText(string relativePath)
    {
        var path = PathOf(relativePath);
        Assert.True(File.Exists(path), $"{relativePath} is missing");
        return File.ReadAllText(path);
    }

    public static YamlMappingNode ReadYaml(string relativePath)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(ReadText(relativePath)))
            stream.Load(reader);
        Assert.True(stream.Documents.Count == 1, $"{relativePath} should hold exactly one YAML document");
        return Assert.IsType<YamlMappingNode>(stream.Documents[0].RootNode);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReleaseGovernor.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException(
            $"No folder containing ReleaseGovernor.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>Small, failing-with-a-sentence navigation over YamlDotNet's representation model.</summary>
internal static class YamlNavigation
{
    public static YamlNode? Find(this YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static bool Has(this YamlMappingNode map, string key) => map.Find(key) is not null;

    public static YamlMappingNode Map(this YamlMappingNode map, string key) =>
        map.Find(key) as YamlMappingNode ?? throw Missing(map, key, "a mapping");

    public static YamlSequenceNode Seq(this YamlMappingNode map, string key) =>
        map.Find(key) as YamlSequenceNode ?? throw Missing(map, key, "a sequence");

    public static string Text(this YamlMappingNode map, string key) =>
        (map.Find(key) as YamlScalarNode)?.Value ?? throw Missing(map, key, "a scalar");

    public static string? TextOrNull(this YamlMappingNode map, string key) =>
        (map.Find(key) as YamlScalarNode)?.Value;

    public static IEnumerable<string> Keys(this YamlMappingNode map) =>
        map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "");

    public static IEnumerable<YamlMappingNode> Maps(this YamlSequenceNode sequence) =>
        sequence.Children.Select(node => node as YamlMappingNode
            ?? throw new Xunit.Sdk.XunitException($"expected a mapping at line {node.Start.Line}"));

    /// <summary>Scalar items of a sequence, or the single scalar itself (as in <c>branches: main</c>).</summary>
    public static IReadOnlyList<string> Strings(this YamlNode? node) => node switch
    {
        YamlScalarNode scalar => [scalar.Value ?? ""],
        YamlSequenceNode sequence => sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList(),
        _ => [],
    };

    private static Xunit.Sdk.XunitException Missing(YamlMappingNode map, string key, string kind) =>
        new($"expected `{key}` to be {kind} under the mapping at line {map.Start.Line}");
}
