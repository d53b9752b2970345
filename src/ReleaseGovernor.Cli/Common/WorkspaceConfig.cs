using ReleaseGovernor.Core.Config;

namespace ReleaseGovernor.Cli;

/// <summary>What <c>.booty.yml</c> in the workspace says, with the server's RELEASE_GOVERNOR_* overrides applied.</summary>
public sealed record WorkspaceConfig(string Path, ConfigLoadResult Result)
{
    public bool Enabled => Result is ConfigLoadResult.Loaded;

    public GovernorConfig Effective => Result switch
    {
        ConfigLoadResult.Loaded l => l.Config,
        ConfigLoadResult.Disabled { Config: { } c } => c,
        _ => GovernorConfig.Default,
    };

    public string Describe() => Result switch
    {
        ConfigLoadResult.Loaded => "enabled",
        ConfigLoadResult.Disabled d => $"disabled ({d.Reason})",
        ConfigLoadResult.Invalid i => $"invalid: {string.Join("; ", i.Errors)}",
        _ => "unknown",
    };

    public static WorkspaceConfig Load(string workspace, IReadOnlyDictionary<string, string?> env)
    {
        if (!Directory.Exists(workspace))
            throw new CliException($"The workspace folder '{workspace}' does not exist. Pass --workspace with the folder holding .booty.yml.");
        var path = System.IO.Path.Combine(System.IO.Path.GetFullPath(workspace), BootyConfigLoader.DefaultFileName);
        var yaml = File.Exists(path) ? File.ReadAllText(path) : null;
        return new WorkspaceConfig(path, BootyConfigLoader.LoadEffective(yaml, env));
    }

    /// <summary>owner/name from the workspace's git remote "origin" when it points at GitHub.</summary>
    public static string? RepoFromGitRemote(string workspace)
    {
        for (var dir = new DirectoryInfo(System.IO.Path.GetFullPath(workspace)); dir is not null; dir = dir.Parent)
        {
            var config = System.IO.Path.Combine(dir.FullName, ".git", "config");
            if (!File.Exists(config)) continue;
            var lines = File.ReadAllLines(config);
            var inOrigin = false;
            foreach (var line in lines.Select(l => l.Trim()))
            {
                if (line.StartsWith('[')) inOrigin = line == "[remote \"origin\"]";
                else if (inOrigin && line.StartsWith("url", StringComparison.Ordinal))
                    return ParseGitHubUrl(line[(line.IndexOf('=') + 1)..].Trim());
            }
            return null;
        }
        return null;
    }

    private static string? ParseGitHubUrl(string url)
    {
        var marker = url.IndexOf("github.com", StringComparison.OrdinalIgnoreCase);
        if (marker < 0) return null;
        var path = url[(marker + "github.com".Length)..].TrimStart(':', '/');
        if (path.EndsWith(".git", StringComparison.Ordinal)) path = path[..^4];
        return path.Count(c => c == '/') == 1 ? path : null;
    }
}
