using System.Collections.Concurrent;
using ReleaseGovernor.Core.Config;
using ReleaseGovernor.Core.Releases;
using ReleaseGovernor.GitHub.Api;

namespace ReleaseGovernor.Processing.Decisions;

/// <summary>
/// The effective config of a repository at a sha: <c>.booty.yml</c> read through the contents API (cached by
/// repository and sha — a sha's content never changes), then the server's RELEASE_GOVERNOR_* overrides.
/// A missing file means disabled; an invalid one is returned with its errors.
/// </summary>
public sealed class ConfigSource(GitHubClient github, GovernorSettings settings)
{
    private const int CacheLimit = 10_000;
    private readonly ConcurrentDictionary<(string Repo, string Sha), string?> _files = new();
    private readonly ConcurrentDictionary<string, GovernorConfig> _lastKnown = new();

    public async Task<ConfigLoadResult> LoadAsync(RepoRef repo, long? installationId, string sha, CancellationToken ct)
    {
        var key = (repo.ToString().ToLowerInvariant(), sha);
        if (!_files.TryGetValue(key, out var yaml))
        {
            yaml = await github.GetFileContentAsync(repo, installationId, BootyConfigLoader.DefaultFileName, sha, ct);
            if (_files.Count >= CacheLimit) _files.Clear();
            _files[key] = yaml;
        }
        var result = BootyConfigLoader.LoadEffective(yaml, settings.Environment);
        if (result is ConfigLoadResult.Loaded or ConfigLoadResult.Disabled { Config: not null })
            _lastKnown[key.Item1] = NamesFrom(result);
        return result;
    }

    /// <summary>The names (workflows, environment) of the config this process last read for the repository, or null.</summary>
    public GovernorConfig? LastKnown(RepoRef repo) => _lastKnown.GetValueOrDefault(repo.ToString().ToLowerInvariant());

    /// <summary>The config to use for names (workflow names, environment) even when the file is invalid or disabled.</summary>
    public static GovernorConfig NamesFrom(ConfigLoadResult result) => result switch
    {
        ConfigLoadResult.Loaded l => l.Config,
        ConfigLoadResult.Disabled { Config: { } c } => c,
        _ => GovernorConfig.Default,
    };
}
